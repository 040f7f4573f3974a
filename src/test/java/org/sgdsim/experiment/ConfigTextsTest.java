package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;

/** Spliced config texts are the rendered ones, for every kind and for seeds that share digits, signs or lengths. */
class ConfigTextsTest
{
    private static final long[] SEEDS = {1, 2, 12, 1299, 7, -3, -31, 0, Long.MAX_VALUE, Long.MIN_VALUE, 120, 21};

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RunKind.Model<?> model(final Experiment spec)
    {
        return ((RunKind)spec.kind()).build(spec);
    }

    private static void splicedAsRendered(final String file, final String... overrides)
    {
        final List<String> sets = new ArrayList<>(List.of(overrides));
        // Another name per file, so no family of an earlier test (or file) is reused.
        sets.add("experiment.name=texts-" + file.replace(".conf", ""));
        for (int i = 0; i < SEEDS.length; i++)
        {
            final long seed = SEEDS[i];
            final List<String> withSeed = new ArrayList<>(sets);
            withSeed.add("experiment.seed=" + seed);
            final Experiment spec = ExperimentConfig.loadAny(Path.of("conf/experiments", file), withSeed, null);
            final RunKind.Model<?> model = model(spec);
            final ConfigTexts.Texts texts = ConfigTexts.of(model);
            assertEquals(model.renderConfig(), texts.hocon(), file + " config.conf, seed " + seed);
            assertEquals(ConfigTexts.json(model.recordedConfig()), texts.json(), file + " config.json, seed " + seed);
            assertEquals(i >= 2, texts.spliced(), file + ": rendered twice, then spliced (seed " + seed + ")");
        }
    }

    @Test
    void onlineRuns()
    {
        splicedAsRendered("quickstart.conf", "data.dim=16");
        splicedAsRendered("reused-batch-gd.conf", "data.dim=16");
    }

    @Test
    void dfaRuns()
    {
        splicedAsRendered("dfa-teacher-student.conf");
    }

    @Test
    void giantRuns()
    {
        splicedAsRendered("giant-step.conf", "data.dim=16", "student.width=8");
    }

    @Test
    void theSpliceIsWhereTheSeedsDiffer()
    {
        final ConfigTexts.Splice s = ConfigTexts.Splice.between("a {\n  seed = 1234\n}\n", 1234, "a {\n  seed = 1299\n}\n",
            1299);
        assertNotNull(s);
        assertEquals("a {\n  seed = -5\n}\n", s.with(-5));
        assertEquals("a {\n  seed = 7\n}\n", s.with(7));
    }

    @Test
    void noSpliceWhenTheTextDependsOnTheSeedElsewhere()
    {
        assertNull(ConfigTexts.Splice.between("# 1\nseed = 1\n", 1, "# 2\nseed = 2\n", 2));
        assertNull(ConfigTexts.Splice.between("seed = 1\nodd = true\n", 1, "seed = 2\nodd = false\n", 2));
        assertNull(ConfigTexts.Splice.between("seed = 1", 1, "seed = 2", 2), "a number must end before the text does");
        assertNull(ConfigTexts.Splice.between("seed = 15\n", 1, "seed = 25\n", 2), "the seed must be the whole number");
    }
}
