package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;

/** A seed set of an online experiment: every seed is the run that seed alone gives, and seeds.csv sums them up. */
class SeedsTest
{
    @TempDir
    Path tmp;

    private static ExperimentSpec spec()
    {
        return ExperimentConfig.load(Path.of("conf/experiments/quickstart.conf"), List.of("data.dim=64",
            "stop.max-steps=3000", "metrics.every=500", "stop.when={metric=max-cos-1, above=0.6}"), null);
    }

    @Test
    void onlineSeedsRunAsTheirSingleRuns() throws IOException
    {
        final Seeds.Summary s = new Seeds(spec(), Seeds.parseSeeds("4,7"), 2, tmp.resolve("set"), null).run();
        assertEquals(List.of(4L, 7L), s.seeds());
        assertEquals("steps_to_threshold", s.score());
        final List<String> csv = Files.readAllLines(tmp.resolve("set").resolve("seeds.csv"));
        assertEquals("seed,steps_to_threshold,max_cos_1,risk,steps,samples,wall_s", csv.get(0));
        assertEquals(3, csv.size());
        for (final long seed : new long[] {4, 7})
        {
            final Path alone = tmp.resolve("alone-" + seed);
            Runs.start(spec().withSeed(seed), alone, null, true).finish();
            assertEquals(withoutWall(alone.resolve("metrics.csv")),
                withoutWall(tmp.resolve("set").resolve("seed-" + seed).resolve("metrics.csv")));
        }
        assertTrue(Files.readString(tmp.resolve("set").resolve("seeds.json")).contains("\"kind\": \"online\""));
    }

    private static List<String> withoutWall(final Path metrics) throws IOException
    {
        return Files.readAllLines(metrics).stream().map(r -> r.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1")).toList();
    }
}
