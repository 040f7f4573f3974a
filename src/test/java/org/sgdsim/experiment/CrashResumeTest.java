package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.online.OnlineKind;

/**
 * Real processes: a run in a child JVM killed with SIGKILL at several points, or stopped with SIGTERM, resumes to
 * exactly the files of an uninterrupted run.
 */
class CrashResumeTest
{
    private static final String EXPERIMENT = String.join("\n",
        "experiment.name = crash",
        "data { dim = 300, block-size = 16 }",
        "teacher.target = \"He2(z1)\"",
        "student { width = 2, activation = He2 }",
        "training { batch-size = 2, learning-rate = \"0.1/d\", normalization = projected }",
        "stop.max-steps = 60000",
        "metrics { every = 500, progress = false }",
        "checkpoint { every-steps = 2000, every-seconds = none, keep = 3 }");

    @TempDir
    Path tmp;

    private Path experiment() throws IOException
    {
        final Path file = tmp.resolve("crash.conf");
        Files.writeString(file, EXPERIMENT);
        return file;
    }

    private Process child(final Path file, final Path out) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
            "-cp", System.getProperty("java.class.path"), "org.sgdsim.cli.Main", "run", file.toString(), "--out",
            out.toString(), "-q"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve(out.getFileName() + ".log").toFile())
            .start();
    }

    private Path uninterrupted(final Path file) throws IOException
    {
        final Path whole = tmp.resolve("whole");
        Runs.start(ExperimentConfig.load(file, List.of(), null), whole, null, false).finish();
        return whole;
    }

    @Test
    @Tag("slow")
    @Timeout(120)
    void sigtermDrainsCheckpointsAndExitsZero() throws Exception
    {
        final Path file = experiment();
        final Path out = tmp.resolve("term");
        final Process p = child(file, out);
        waitForRows(out.resolve("metrics.csv"), 3);
        final long start = System.nanoTime();
        p.destroy();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "exits within 5 s of SIGTERM");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("term.log")));
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        final String summary = Files.readString(out.resolve("summary.json"));
        if (summary.contains("\"stop_reason\": \"interrupted\""))
        {
            assertTrue(new CheckpointStore(out, 3).files().size() >= 1, "the drain wrote a checkpoint");
            Runs.resume(out, null, n -> { }).as(OnlineKind.KIND).finish();
        }
        assertSameFiles(uninterrupted(file), out);
    }

    @Test
    @Tag("slow")
    @Timeout(600)
    void sigkillAtFivePointsThenResumeIsIdentical() throws Exception
    {
        final Path file = experiment();
        final Path whole = uninterrupted(file);
        // Points counted from the first row on disk (the JVM start before it varies): early, around the first
        // checkpoints, and late in the run.
        final long[] delaysMs = {0, 150, 400, 800, 1500};
        for (final long delay : delaysMs)
        {
            final Path out = tmp.resolve("kill-" + delay);
            final Process p = child(file, out);
            waitForRows(out.resolve("metrics.csv"), 1);
            Thread.sleep(delay);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            if (Files.exists(out.resolve("summary.json")))
            {
                // the run finished before the kill: nothing to resume, still identical
                assertSameFiles(whole, out);
                continue;
            }
            Runs.resume(out, null, n -> { }).as(OnlineKind.KIND).finish();
            assertSameFiles(whole, out);
        }
    }

    private static void waitForRows(final Path metrics, final int rows) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (Files.exists(metrics) && Files.readAllLines(metrics).size() > rows)
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no rows appeared in " + metrics);
    }

    private static void assertSameFiles(final Path expected, final Path actual) throws IOException
    {
        assertEquals(withoutWall(expected.resolve("metrics.csv")), withoutWall(actual.resolve("metrics.csv")),
            actual.toString());
        assertEquals(deterministicSummary(expected), deterministicSummary(actual), actual.toString());
    }

    private static List<String> withoutWall(final Path metrics) throws IOException
    {
        return Files.readAllLines(metrics).stream().map(r -> r.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1"))
            .collect(Collectors.toList());
    }

    private static List<String> deterministicSummary(final Path run) throws IOException
    {
        final String json = Files.readString(run.resolve("summary.json"));
        return json.substring(0, json.indexOf("\"latency\"")).lines().filter(l -> !l.contains("wall_seconds"))
            .collect(Collectors.toList());
    }
}
