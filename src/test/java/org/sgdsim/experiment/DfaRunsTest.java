package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.dfa.DfaKind;
import org.sgdsim.experiment.dfa.DfaSpec;

/** DFA runs: the stages give the reference loop's rows, resume ends identical, bad config is one line. */
class DfaRunsTest
{
    private static final String BASE = String.join("\n",
        "experiment { name = dfa-test, seed = 4, kind = dfa }",
        "network.widths = [64, 16, 12, 10]",
        "dfa { epochs = 3, batch-size = 128, learning-rate = 0.05, alignment-every = 4 }",
        "checkpoint { every-steps = 10, every-seconds = none, keep = 100 }");

    @TempDir
    Path tmp;

    private static final String OPU = "dfa.projector=opu;dfa.feedback.error=ternary;optics.drift-time=60";

    private DfaSpec variant(final String overrides) throws IOException
    {
        return spec(overrides.split(";"));
    }

    private DfaSpec spec(final String... overrides) throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, BASE);
        return (DfaSpec)ExperimentConfig.loadAny(file, List.of(overrides), null);
    }

    private static List<String> withoutWall(final Path metrics) throws IOException
    {
        return Files.readAllLines(metrics).stream().map(l -> l.substring(0, l.lastIndexOf(',')))
            .collect(Collectors.toList());
    }

    private static List<String> deterministicSummary(final Path dir) throws IOException
    {
        return Files.readAllLines(dir.resolve("summary.json")).stream()
            .filter(l -> !l.contains("wall_seconds")).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dfa.rule=dfa", "dfa.rule=bp", "dfa.rule=shallow", "dfa.feedback.error=ternary", OPU})
    @Timeout(60)
    void theStagesWriteTheReferenceLoopsRows(final String variant) throws IOException
    {
        final Path staged = tmp.resolve("staged");
        final Path reference = tmp.resolve("reference");
        final DfaKind.Result r = Runs.start(variant(variant), staged, null, false).as(DfaKind.KIND).finish();
        Runs.start(variant(variant), reference, null, true).finish();
        assertEquals(withoutWall(reference.resolve("metrics.csv")), withoutWall(staged.resolve("metrics.csv")));
        assertEquals(4, Files.readAllLines(staged.resolve("metrics.csv")).size());
        assertEquals(3, r.outcome().epochs());
        assertTrue(r.testScore() > 0.3, "test accuracy after 3 epochs: " + r.testScore());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dfa.rule=dfa-redrawn", "dfa.rule=fa", OPU})
    @Timeout(60)
    void resumeAfterACrashEndsIdentical(final String variant) throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path crashed = tmp.resolve("crashed");
        Runs.start(variant(variant), whole, null, false).finish();
        Runs.start(variant(variant), crashed, null, false).finish();
        final CheckpointStore store = new CheckpointStore(crashed, 100);
        final List<Path> files = store.files();
        assertEquals(3, files.size(), "checkpoints written: " + files);
        for (final Path f : files.subList(1, files.size()))
        {
            Files.delete(f);
        }
        Files.delete(crashed.resolve("summary.json"));
        Files.writeString(crashed.resolve("metrics.csv"), "9,999,0.1", java.nio.file.StandardOpenOption.APPEND);

        final List<String> notes = new ArrayList<>();
        Runs.resume(crashed, null, notes::add).as(DfaKind.KIND).finish();
        assertEquals(List.of(), notes);
        assertEquals(withoutWall(whole.resolve("metrics.csv")), withoutWall(crashed.resolve("metrics.csv")));
        assertEquals(deterministicSummary(whole), deterministicSummary(crashed));
    }

    @Test
    @Timeout(60)
    void aFinishedRunIsNotResumed() throws IOException
    {
        final Path dir = tmp.resolve("done");
        Runs.start(spec("dfa.epochs=1"), dir, null, true).finish();
        assertEquals("dfa", com.typesafe.config.ConfigFactory.parseFile(dir.resolve("config.conf").toFile())
            .getString("experiment.kind"));
        assertThrows(UserError.class, () -> Runs.resume(dir, null, note -> { }));
    }

    @Test
    @Timeout(120)
    void seedsRunIntoOneFolderWithASummary() throws IOException
    {
        final Path dir = tmp.resolve("seeds");
        final Seeds.Summary s = new Seeds(spec("dfa.epochs=1"), Seeds.parseSeeds("1-3"), 2, dir, null).run();
        assertEquals(List.of(1L, 2L, 3L), s.seeds());
        assertTrue(Files.isRegularFile(dir.resolve("seed-2").resolve("metrics.csv")));
        assertEquals(4, Files.readAllLines(dir.resolve("seeds.csv")).size());
        assertTrue(Files.readString(dir.resolve("seeds.json")).contains("\"mean\""));
    }

    @Test
    void badDfaConfigIsOneLine()
    {
        final String[][] cases = {
            {"dfa.rule=backprop", "dfa.rule: expected bp, fa, dfa, shallow or dfa-redrawn, got 'backprop'"},
            {"network.widths=[64, 10, 9]", "network.widths: expected a list of at least 2 positive integers, [64, ..., 10]"},
            {"dfa.projector=opu", "dfa.projector: expected software with rule bp"},
            {"dfa.feedback.slicing=diagonal", "dfa.feedback.slicing: expected one of blocks, prefix, got 'diagonal'"},
            {"dfa.feedback.rescale=twice", "dfa.feedback.rescale: expected none, auto or a positive number"},
            {"dfa.learning-rates=0.1", "unknown key 'dfa.learning-rates' (did you mean dfa.learning-rate?)"},
            {"dfa.batch-size=5000", "dfa.batch-size: expected an integer in [1, 1347]"},
            {"experiment.kind=offline", "experiment.kind: expected online, dfa or giant-step, got 'offline'"},
            {"dfa.projector=opu", "dfa.feedback.error: expected ternary, sign or target with rescale = none"},
        };
        for (final String[] c : cases)
        {
            final String[] overrides = c[1].startsWith("dfa.projector") ? new String[] {"dfa.rule=bp", c[0]}
                : new String[] {c[0]};
            final UserError e = assertThrows(UserError.class, () -> spec(overrides), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anOnlineCommandRefusesADfaExperiment() throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, BASE);
        final UserError e = assertThrows(UserError.class, () -> ExperimentConfig.load(file, List.of(), null));
        assertTrue(e.getMessage().startsWith("experiment.kind = dfa"), e.getMessage());
    }
}
