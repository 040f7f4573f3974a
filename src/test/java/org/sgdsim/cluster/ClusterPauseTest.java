package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that stops answering and comes back (a long GC pause, a suspended VM): seed and two workers in child
 * JVMs on loopback, the coordinator in this one, {@code cluster.down-after = 3s}. Worker a gets SIGSTOP while it
 * has a run under way and SIGCONT 15 s later, long after it was downed. Its run is redone by b; runs.csv holds each
 * run once, with the local sweep's results; whatever a finishes after it resumes is identical and never counted
 * twice; a, removed from the cluster, exits 1 with its one line (docs/cluster.md: start it again to rejoin).
 */
class ClusterPauseTest
{
    private static final String EXPERIMENT = String.join("\n",
        "experiment { name = pause, seed = 1 }",
        "data.dim = 48",
        "teacher.target = \"He2(z1)\"",
        "student { width = 1, activation = He2 }",
        "training { learning-rate = \"0.5/d\", normalization = projected }",
        "stop.max-steps = 400000",
        "metrics { every = log, risk-samples = 10000, progress = false }",
        "checkpoint { every-steps = 50000, every-seconds = none, keep = 2 }");

    @TempDir
    Path tmp;

    @Test
    @Tag("slow")
    @Timeout(600)
    void aPausedWorkerLosesNoRunAndCountsNoRunTwice() throws Exception
    {
        final Path conf = tmp.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("pause.conf"), EXPERIMENT);
        final Path sweep = conf.resolve("pause-sweep.conf");
        Files.writeString(sweep, String.join("\n", "experiment = \"pause.conf\"",
            "grid { \"training.batch-size\" = [1, 2] }", "seeds = 2"));
        final StringWriter err = new StringWriter();
        final Path local = tmp.resolve("local");
        assertEquals(0, ClusterSweepTest.cli(err, "sweep", sweep.toString(), "--out", local.toString(), "-q",
            "--parallel", "1"), err.toString());

        final int seedPort = ClusterSweepTest.freePort();
        final String join = "127.0.0.1:" + seedPort;
        final String downAfter = "cluster.down-after=3s";
        final Path dirA = tmp.resolve("worker-a");
        final Path dirB = tmp.resolve("worker-b");
        try (ChildJvms jvms = new ChildJvms(tmp))
        {
            final Process seed = jvms.start("seed", "cluster", "seed", "--set", "cluster.port=" + seedPort,
                "--set", downAfter);
            final Process a = jvms.start("a", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.worker.dir=" + dirA, "--set", downAfter);
            final Process b = jvms.start("b", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.worker.dir=" + dirB, "--set", downAfter);
            jvms.awaitLine("seed", "is up", seed);
            jvms.awaitLine("a", "is up", a);
            jvms.awaitLine("b", "is up", b);

            final Path remote = tmp.resolve("remote");
            final StringWriter coordinatorErr = new StringWriter();
            final CompletableFuture<Integer> coordinator = CompletableFuture.supplyAsync(() ->
                ClusterSweepTest.cli(coordinatorErr, "sweep", sweep.toString(), "--out", remote.toString(), "-q",
                    "--cluster", join, "--set", downAfter));

            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            Path underWay = null;
            while (underWay == null)
            {
                assertTrue(System.nanoTime() < end, "worker a never started a run");
                assertFalse(coordinator.isDone(), "the sweep ended before worker a started a run: " + coordinatorErr);
                underWay = ClusterKillTest.unfinishedRun(dirA);
                Thread.sleep(20);
            }
            ChildJvms.signal(a, "STOP");
            Thread.sleep(15_000);
            ChildJvms.signal(a, "CONT");
            final String run = underWay.getFileName().toString();

            assertEquals(0, coordinator.get(400, TimeUnit.SECONDS), coordinatorErr.toString());
            final List<String> rows = Files.readAllLines(remote.resolve("runs.csv"));
            assertEquals(5, rows.size(), "a header and each of the 4 runs once: " + rows);
            assertEquals(ClusterSweepTest.deterministic(local.resolve("runs.csv")),
                ClusterSweepTest.deterministic(remote.resolve("runs.csv")));
            try (Stream<Path> results = Files.list(remote.resolve("runs")))
            {
                assertEquals(4, results.count());
            }
            // The paused worker's run was redone by b, with the local result.
            assertTrue(Files.isRegularFile(dirB.resolve(ClusterKillTest.find(dirB, run)).resolve("summary.json")),
                run + " redone by b");
            final String expected = ClusterSweepTest.withoutWall(Files.readString(local.resolve("runs").resolve(run)
                .resolve("metrics.csv")));
            assertEquals(expected, ClusterSweepTest.withoutWall(Files.readString(remote.resolve("runs").resolve(run)
                .resolve("metrics.csv"))));

            // a, downed while it was stopped, learns it on resuming and exits 1 with its one line.
            assertTrue(a.waitFor(90, TimeUnit.SECONDS), "the resumed worker exits: " + jvms.output("a"));
            assertEquals(1, a.exitValue(), jvms.output("a"));
            assertTrue(jvms.output("a").contains("has left the cluster (removed by the split brain resolver"),
                jvms.output("a"));
            // Whatever a finished of its run after resuming is the same result (and was not counted: 4 rows above);
            // a run it was made to stop when it learnt it had been removed is marked interrupted, not finished.
            if (org.sgdsim.experiment.sweep.RunRecord.finished(underWay))
            {
                assertEquals(expected, ClusterSweepTest.withoutWall(Files.readString(underWay.resolve("metrics.csv"))));
            }
            assertTrue(b.isAlive() && seed.isAlive(), "the others survive");
        }
    }
}
