package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.cli.MainAccess;

/**
 * Sweeps of the run kinds besides online ({@code dfa}, {@code giant-step}) on an in-process cluster (a seed and two
 * workers on loopback, plus the coordinator of {@code sweep --cluster}) end as the local sweep of the same plan:
 * every run's metrics.csv and summary.json, runs.csv, summary.csv, the report's lines and plots, and the workers' run
 * folders, wall-clock figures aside.
 */
class ClusterKindSweepTest
{
    /** The shipped DFA sweep, shrunk: three rules, one seed, two epochs of 400 samples. */
    static final List<String> DFA = List.of("conf/sweeps/dfa-feedback-rules.conf", "--set", "seeds=1",
        "--set", "dfa.epochs=2", "--set", "dfa.train-size=400", "--set", "dfa.test-size=100");
    /** The shipped staircase, shrunk: two targets (one of two steps) × two kappas at d = p = 32. */
    static final List<String> GIANT = List.of("conf/sweeps/giant-step-staircase.conf", "--set", "seeds=1",
        "--set", "grid.\"giant.kappa\"=[0.5, 2]", "--set", "grid.target=[{ name = He2, teacher.target = \"He2(z1)\" }, "
            + "{ name = \"z1+z1z2-2steps\", teacher.target = \"z1 + z1*z2\", giant.steps = 2 }]",
        "--set", "data.dim=32", "--set", "student.width=32", "--set", "readout.samples=\"2*d\"",
        "--set", "readout.test-samples=\"2*d\"");

    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    @Tag("slow") // ~25 s: a cluster forming, then two sweeps of the other kinds locally and on it, and a resume
    void dfaAndGiantStepSweepsOnThreeNodesEndAsTheLocalOnes() throws Exception
    {
        final Path local = tmp.resolve("local");
        final String dfaLocal = sweep(DFA, local.resolve("dfa"));
        final String giantLocal = sweep(GIANT, local.resolve("giant"));

        final int seedPort = ClusterSweepTest.freePort();
        final Path workers = tmp.resolve("workers");
        try (ClusterNode seed = ClusterNode.seed(ClusterSweepTest.settings(seedPort, seedPort, workers));
             ClusterNode a = ClusterNode.worker(ClusterSweepTest.settings(0, seedPort, workers), null);
             ClusterNode b = ClusterNode.worker(ClusterSweepTest.settings(0, seedPort, workers), null))
        {
            assertTrue(seed.awaitUp(Duration.ofSeconds(20)));
            assertTrue(a.awaitUp(Duration.ofSeconds(20)));
            assertTrue(b.awaitUp(Duration.ofSeconds(20)));
            final Path remote = tmp.resolve("remote");
            final String cluster = "127.0.0.1:" + seedPort;
            final String dfaRemote = sweep(DFA, remote.resolve("dfa"), "--cluster", cluster);
            final String giantRemote = sweep(GIANT, remote.resolve("giant"), "--cluster", cluster);

            for (final String kind : List.of("dfa", "giant"))
            {
                assertSameSweep(local.resolve(kind), remote.resolve(kind), workers);
            }
            assertEquals(report(dfaLocal, local.resolve("dfa")), report(dfaRemote, remote.resolve("dfa")));
            assertEquals(report(giantLocal, local.resolve("giant")), report(giantRemote, remote.resolve("giant")));
            assertTrue(giantRemote.contains("He2: z1 learned (mean max_cos ≥ 0.70) from kappa = 2.00"), giantRemote);
            assertEquals(List.of("max-cos-vs-kappa.png", "max-cos-vs-kappa.svg", "test-error-vs-kappa.png",
                "test-error-vs-kappa.svg"), ClusterSweepTest.files(remote.resolve("giant/plots")));

            // A DFA run whose result the coordinator lost is handed out again; the worker that holds the finished
            // run (a DFA run's rows count epochs) sends it back without running it again.
            final Path lost = remote.resolve("dfa/runs/rule-dfa-seed0");
            final Path onWorker = ClusterSweepTest.workerRunDir(workers, "rule-dfa-seed0");
            final java.nio.file.attribute.FileTime written =
                Files.getLastModifiedTime(onWorker.resolve("summary.json"));
            Files.delete(lost.resolve("summary.json"));
            Files.delete(remote.resolve("dfa/runs.csv"));
            assertEquals(report(dfaLocal, local.resolve("dfa")),
                report(sweep(DFA, remote.resolve("dfa"), "--cluster", cluster), remote.resolve("dfa")));
            assertEquals(written, Files.getLastModifiedTime(onWorker.resolve("summary.json")));
            assertSameSweep(local.resolve("dfa"), remote.resolve("dfa"), workers);
        }
    }

    /** Runs {@code sweep FILE --set … --out out extra…} and returns what it printed. */
    private static String sweep(final List<String> fileAndSets, final Path out, final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of("sweep"));
        args.addAll(fileAndSets);
        args.addAll(List.of("--out", out.toString(), "-q", "--parallel", "2"));
        args.addAll(List.of(extra));
        final StringWriter stdout = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(0, MainAccess.execute(new PrintWriter(stdout, true), new PrintWriter(err, true),
            args.toArray(String[]::new)), err.toString());
        return stdout.toString();
    }

    /** The report's lines with the sweep folder's path taken out. */
    private static String report(final String printed, final Path dir)
    {
        return printed.replace(dir.toString(), "DIR");
    }

    /**
     * The reports, the coordinator's result files and the workers' run folders of the cluster sweep in {@code remote}
     * are those of the local sweep in {@code local}, wall-clock figures aside.
     */
    private static void assertSameSweep(final Path local, final Path remote, final Path workers) throws IOException
    {
        for (final String report : List.of("runs.csv", "summary.csv"))
        {
            assertEquals(ClusterSweepTest.deterministic(local.resolve(report)),
                ClusterSweepTest.deterministic(remote.resolve(report)), report);
        }
        final List<String> runs;
        try (Stream<Path> dirs = Files.list(local.resolve("runs")))
        {
            runs = dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(runs.size(), Files.readAllLines(remote.resolve("runs.csv")).size() - 1);
        for (final String run : runs)
        {
            final Path expected = local.resolve("runs").resolve(run);
            // The coordinator keeps the two files the workers send back.
            assertEquals(List.of("metrics.csv", "summary.json"),
                ClusterSweepTest.files(remote.resolve("runs").resolve(run)), run);
            assertSameFiles(expected, remote.resolve("runs").resolve(run), List.of("metrics.csv", "summary.json"));
            // The worker that ran it holds the local run folder's files.
            final Path onWorker = ClusterSweepTest.workerRunDir(workers, run);
            final List<String> files = ClusterSweepTest.files(expected);
            assertEquals(files, ClusterSweepTest.files(onWorker), run);
            assertSameFiles(expected, onWorker, files);
        }
    }

    private static void assertSameFiles(final Path expected, final Path actual, final List<String> files)
        throws IOException
    {
        for (final String file : files)
        {
            assertEquals(comparable(expected.resolve(file)), comparable(actual.resolve(file)),
                actual.resolve(file).toString());
        }
    }

    /** A run's file without its wall-clock figures: CSV columns wall_s (…), summary.json's wall_seconds. */
    private static String comparable(final Path file) throws IOException
    {
        final String name = file.getFileName().toString();
        if (name.endsWith(".csv"))
        {
            return ClusterSweepTest.deterministic(file);
        }
        final String text = Files.readString(file);
        return name.equals("summary.json") ? text.replaceAll("(?m)^\\s*\"wall_seconds\": [^\\n]*\\n", "") : text;
    }
}
