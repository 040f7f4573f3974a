package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes on loopback: a seed and two workers in child JVMs, the coordinator in this one. One worker is
 * killed with SIGKILL while it has a run under way; the run is queued again, done by the other worker, and the
 * sweep ends with the local sweep's runs.csv (timing columns aside).
 */
class ClusterKillTest
{
    private static final String EXPERIMENT = String.join("\n",
        "experiment { name = kill, seed = 1 }",
        "data.dim = 48",
        "teacher.target = \"He2(z1)\"",
        "student { width = 1, activation = He2 }",
        "training { learning-rate = \"0.5/d\", normalization = projected }",
        "stop.max-steps = 400000",
        "metrics { every = log, risk-samples = 10000, progress = false }",
        "checkpoint { every-steps = 50000, every-seconds = none, keep = 2 }");

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();

    private Process child(final String name, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
            "-cp", System.getProperty("java.class.path"), "org.sgdsim.cli.Main"));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        children.add(p);
        return p;
    }

    private void awaitLine(final String name, final String text, final Process p) throws Exception
    {
        final Path log = tmp.resolve(name + ".log");
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.exists(log) && Files.readString(log).contains(text)))
        {
            assertTrue(p.isAlive(), name + " ended: " + (Files.exists(log) ? Files.readString(log) : ""));
            assertTrue(System.nanoTime() < end, name + " did not print '" + text + "'");
            Thread.sleep(100);
        }
    }

    @Test
    @Tag("slow")
    @Timeout(400)
    void aWorkerKilledMidSweepLosesNoRunAndChangesNoResult() throws Exception
    {
        final Path conf = tmp.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("kill.conf"), EXPERIMENT);
        final Path sweep = conf.resolve("kill-sweep.conf");
        Files.writeString(sweep, String.join("\n", "experiment = \"kill.conf\"",
            "grid { \"training.batch-size\" = [1, 2] }", "seeds = 3"));
        final StringWriter err = new StringWriter();
        final Path local = tmp.resolve("local");
        assertEquals(0, ClusterSweepTest.cli(err, "sweep", sweep.toString(), "--out", local.toString(), "-q",
            "--parallel", "1"), err.toString());

        final int seedPort = ClusterSweepTest.freePort();
        final String join = "127.0.0.1:" + seedPort;
        final Path dirA = tmp.resolve("worker-a");
        final Path dirB = tmp.resolve("worker-b");
        try
        {
            final Process seed = child("seed", "cluster", "seed", "--set", "cluster.port=" + seedPort,
                "--set", "cluster.down-after=2s");
            final Process a = child("a", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.worker.dir=" + dirA, "--set", "cluster.down-after=2s");
            final Process b = child("b", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.worker.dir=" + dirB, "--set", "cluster.down-after=2s");
            awaitLine("seed", "is up", seed);
            awaitLine("a", "is up", a);
            awaitLine("b", "is up", b);

            final Path remote = tmp.resolve("remote");
            final StringWriter coordinatorErr = new StringWriter();
            final CompletableFuture<Integer> coordinator = CompletableFuture.supplyAsync(() ->
                ClusterSweepTest.cli(coordinatorErr, "sweep", sweep.toString(), "--out", remote.toString(), "-q",
                    "--cluster", join, "--set", "cluster.down-after=2s"));

            // Kill worker a while a run is under way on it: a run folder with a config.conf and no summary.json.
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Path underWay = null;
            while (underWay == null)
            {
                assertTrue(System.nanoTime() < end, "worker a never started a run");
                assertFalse(coordinator.isDone(), "the sweep ended before worker a started a run: " + coordinatorErr);
                underWay = unfinishedRun(dirA);
                Thread.sleep(20);
            }
            a.destroyForcibly();
            assertTrue(a.waitFor(10, TimeUnit.SECONDS));
            final String run = underWay.getFileName().toString();

            assertEquals(0, coordinator.get(300, TimeUnit.SECONDS), coordinatorErr.toString());
            assertEquals(ClusterSweepTest.deterministic(local.resolve("runs.csv")),
                ClusterSweepTest.deterministic(remote.resolve("runs.csv")));
            assertEquals(7, Files.readAllLines(remote.resolve("runs.csv")).size());
            if (!Files.exists(underWay.resolve("summary.json")))
            {
                // The run a was doing when it died was queued again and finished by b, with the local result.
                assertTrue(Files.isRegularFile(dirB.resolve(find(dirB, run)).resolve("summary.json")), run);
            }
            assertEquals(ClusterSweepTest.withoutWall(Files.readString(local.resolve("runs").resolve(run)
                .resolve("metrics.csv"))), ClusterSweepTest.withoutWall(Files.readString(remote.resolve("runs")
                .resolve(run).resolve("metrics.csv"))));
            assertTrue(b.isAlive() && seed.isAlive(), "the others survive");

            // SIGTERM: the worker leaves the cluster and exits 0.
            b.destroy();
            assertTrue(b.waitFor(60, TimeUnit.SECONDS), "worker b exits after SIGTERM");
            assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b.log")));
        }
        finally
        {
            for (final Process p : children)
            {
                p.destroyForcibly();
            }
            for (final Process p : children)
            {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A run folder under a worker's folder that has started (config.conf) and not finished (no summary.json). */
    static Path unfinishedRun(final Path workerDir) throws IOException
    {
        if (!Files.isDirectory(workerDir))
        {
            return null;
        }
        try (Stream<Path> all = Files.walk(workerDir))
        {
            return all.filter(p -> Files.isRegularFile(p.resolve("config.conf"))
                && !Files.exists(p.resolve("summary.json"))).findFirst().orElse(null);
        }
    }

    static Path find(final Path workerDir, final String run) throws IOException
    {
        try (Stream<Path> all = Files.walk(workerDir))
        {
            return all.filter(p -> p.getFileName().toString().equals(run)).findFirst()
                .map(workerDir::relativize).orElseThrow(() -> new AssertionError(run + " not in " + workerDir));
        }
    }
}
