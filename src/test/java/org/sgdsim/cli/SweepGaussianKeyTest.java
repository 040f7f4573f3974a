package org.sgdsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sweep records data.gaussian in its plan; one written before the key existed goes on with the ziggurat. */
class SweepGaussianKeyTest
{
    @TempDir
    Path tmp;

    private static final List<String> SWEEP = List.of("sweep", "conf/sweeps/he2-batch-size.conf", "-q",
        "--set", "seeds=1", "--set", "stop.max-steps=200", "--set", "stop.max-samples=none",
        "--set", "grid.\"training.loss\"=[square]", "--set", "grid.\"training.batch-size\"=[1, 2]");

    @Test
    void anOldSweepFolderFinishesItsRunsWithTheZiggurat() throws IOException
    {
        final Path vector = tmp.resolve("vector");
        final Path ziggurat = tmp.resolve("ziggurat");
        final Path old = tmp.resolve("old");
        sweep(vector, "--set", "data.gaussian=vector");
        sweep(ziggurat, "--set", "data.gaussian=ziggurat");
        final String plan = Files.readString(vector.resolve("sweep-plan.txt"));
        assertTrue(plan.contains(" data.gaussian=vector\n"), plan);
        assertTrue(Files.readString(ziggurat.resolve("sweep-plan.txt")).contains(" data.gaussian=ziggurat\n"));

        // An old sweep interrupted before its second run: its plan has no data.gaussian field, the finished run's
        // config.conf no such key.
        sweep(old, "--set", "data.gaussian=vector");
        final List<Path> runs = runs(old);
        final String legacyPlan = plan.replaceAll(" data\\.gaussian=vector", "");
        Files.writeString(old.resolve("sweep-plan.txt"), legacyPlan);
        deleteTree(runs.get(1));
        final Path firstConfig = runs.get(0).resolve("config.conf");
        Files.writeString(firstConfig, Files.readString(firstConfig).replaceAll("(?m)^.*gaussian.*$\\n", ""));
        sweep(old);

        assertEquals(legacyPlan, Files.readString(old.resolve("sweep-plan.txt")));
        final List<Path> expected = runs(ziggurat);
        final List<Path> resumed = runs(old);
        assertEquals(GoldenMetricsTest.hashOfRun(expected.get(1)), GoldenMetricsTest.hashOfRun(resumed.get(1)));
        assertTrue(Files.readString(resumed.get(1).resolve("summary.json")).contains("\"gaussian\": \"ziggurat\""));
        assertNotEquals(GoldenMetricsTest.hashOfRun(runs(vector).get(1)), GoldenMetricsTest.hashOfRun(resumed.get(1)));
    }

    private static void sweep(final Path out, final String... more)
    {
        final List<String> args = new ArrayList<>(SWEEP);
        args.add("--out");
        args.add(out.toString());
        args.addAll(List.of(more));
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
            .execute(args.toArray(String[]::new));
        assertEquals(0, code, String.join(" ", args) + ": " + err);
    }

    private static List<Path> runs(final Path sweep) throws IOException
    {
        try (Stream<Path> dirs = Files.list(sweep.resolve("runs")))
        {
            final List<Path> runs = dirs.sorted().toList();
            assertEquals(2, runs.size(), runs.toString());
            return runs;
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
