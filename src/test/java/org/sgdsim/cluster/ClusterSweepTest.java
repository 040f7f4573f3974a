package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.cli.MainAccess;

/**
 * Three cluster nodes in one JVM (a seed and two workers, each its own actor system on a loopback port) plus the
 * coordinator of {@code sweep --cluster}: the sweep's runs.csv is the local sweep's, byte for byte once the three
 * timing columns are left out, and so is every run's metrics.csv (but its wall-time column).
 */
class ClusterSweepTest
{
    /**
     * Columns measured in wall time (runs.csv of online sweeps; the other kinds' runs.csv, summary.csv and
     * metrics.csv): they differ between any two executions, local or not.
     */
    static final List<String> TIMING = List.of("wall_s", "mean_iter_s", "learner_p50_us", "wall_seconds");

    static final String EXPERIMENT = String.join("\n",
        "experiment { name = tiny, seed = 1 }",
        "data.dim = 48",
        "teacher.target = \"He3(z1)\"",
        "student { width = 1, activation = He3 }",
        "training { loss = correlation, learning-rate = \"0.01*nb*d^-1.5\", normalization = projected }",
        "stop { max-samples = \"20*d^2\", when = { metric = max-cos-1, above = 0.5 } }",
        "metrics { risk-samples = 10000, progress = false }",
        "checkpoint { every-steps = 50, every-seconds = none, keep = 2 }");

    @TempDir
    Path tmp;

    /** Writes the experiment and a sweep of {@code seeds} seeds × the given batch sizes; returns the sweep file. */
    static Path sweepFile(final Path dir, final int seeds, final String batchSizes) throws IOException
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tiny.conf"), EXPERIMENT);
        final Path sweep = dir.resolve("tiny-sweep.conf");
        Files.writeString(sweep, String.join("\n",
            "experiment = \"tiny.conf\"",
            "grid { \"training.batch-size\" = [" + batchSizes + "] }",
            "seeds = " + seeds,
            "curves { metrics = [max-cos-1], x = samples }"));
        return sweep;
    }

    static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    static ClusterSettings settings(final int port, final int seedPort, final Path workerDir)
    {
        return ClusterSettings.fromUserConfig(ConfigFactory.parseString(String.join("\n",
            "cluster.port = " + port,
            "cluster.seed-nodes = [\"127.0.0.1:" + seedPort + "\"]",
            "cluster.down-after = 2s",
            "cluster.worker.parallel = 1",
            "cluster.worker.dir = \"" + workerDir.toString().replace("\\", "/") + "\"")));
    }

    static int cli(final StringWriter err, final String... args)
    {
        return MainAccess.execute(new PrintWriter(err, true), args);
    }

    @Test
    @Timeout(120)
    @org.junit.jupiter.api.Tag("slow") // ~20 s: three sweeps of two runs and a cluster forming
    void aSweepOnThreeNodesWritesTheLocalRunsCsv() throws Exception
    {
        final Path sweep = sweepFile(tmp.resolve("conf"), 1, "8, 64");
        final StringWriter err = new StringWriter();
        final Path local = tmp.resolve("local");
        assertEquals(0, cli(err, "sweep", sweep.toString(), "--out", local.toString(), "-q", "--parallel", "2"),
            err.toString());

        final int seedPort = freePort();
        final Path workers = tmp.resolve("workers");
        try (ClusterNode seed = ClusterNode.seed(settings(seedPort, seedPort, workers));
             ClusterNode a = ClusterNode.worker(settings(0, seedPort, workers), null);
             ClusterNode b = ClusterNode.worker(settings(0, seedPort, workers), null))
        {
            assertTrue(seed.awaitUp(Duration.ofSeconds(20)));
            assertTrue(a.awaitUp(Duration.ofSeconds(20)));
            assertTrue(b.awaitUp(Duration.ofSeconds(20)));
            final Path remote = tmp.resolve("remote");
            assertEquals(0, cli(err, "sweep", sweep.toString(), "--out", remote.toString(), "-q",
                "--cluster", "127.0.0.1:" + seedPort), err.toString());

            assertEquals(deterministic(local.resolve("runs.csv")), deterministic(remote.resolve("runs.csv")));
            final List<String> rows = Files.readAllLines(remote.resolve("runs.csv"));
            assertEquals(3, rows.size(), rows.toString());
            for (final String run : List.of("batch-size-8-seed1", "batch-size-64-seed1"))
            {
                assertEquals(withoutWall(Files.readString(local.resolve("runs").resolve(run).resolve("metrics.csv"))),
                    withoutWall(Files.readString(remote.resolve("runs").resolve(run).resolve("metrics.csv"))), run);
                // The worker's own run folder holds what the local sweep's does.
                final Path onWorker = workerRunDir(workers, run);
                assertEquals(files(local.resolve("runs").resolve(run)), files(onWorker), run);
                assertEquals(Files.readString(local.resolve("runs").resolve(run).resolve("config.conf")),
                    Files.readString(onWorker.resolve("config.conf")), run);
            }
            assertTrue(Files.isRegularFile(remote.resolve("summary.csv")));
            assertTrue(Files.isRegularFile(remote.resolve("plots/curves-max-cos-1.png")));

            // Both workers are members the dashboard can list; once the sweep is over nobody runs anything.
            final ClusterSnapshot view = a.status().snapshot();
            assertTrue(view.members().stream().filter(m -> m.roles().contains(ClusterNode.WORKER)).count() >= 2,
                view.toString());
            assertTrue(view.members().stream().allMatch(m -> m.runs().isEmpty()), view.toString());
            assertTrue(view.members().stream().anyMatch(m -> m.address().equals("pekko://sgdsim@127.0.0.1:" + seedPort)),
                view.toString());

            // A coordinator restarted on the same folder hands out only the runs without a result there (as if it
            // had died before that run's result arrived), and ends with the same runs.csv.
            final Path kept = remote.resolve("runs/batch-size-8-seed1/summary.json");
            final java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(kept);
            Files.delete(remote.resolve("runs/batch-size-64-seed1/summary.json"));
            Files.delete(remote.resolve("runs.csv"));
            assertEquals(0, cli(err, "sweep", sweep.toString(), "--out", remote.toString(), "-q",
                "--cluster", "127.0.0.1:" + seedPort), err.toString());
            assertEquals(written, Files.getLastModifiedTime(kept), "a run with a result is not handed out again");
            assertTrue(Files.isRegularFile(remote.resolve("runs/batch-size-64-seed1/summary.json")));
            assertEquals(deterministic(local.resolve("runs.csv")), deterministic(remote.resolve("runs.csv")));
        }
    }

    @Test
    @Timeout(60)
    void aCoordinatorThatCannotJoinSaysSoInOneLine() throws Exception
    {
        final Path sweep = sweepFile(tmp.resolve("conf"), 1, "8");
        final StringWriter err = new StringWriter();
        final int nobody = freePort();
        assertEquals(2, cli(err, "sweep", sweep.toString(), "--out", tmp.resolve("out").toString(), "-q",
            "--cluster", "127.0.0.1:" + nobody, "--set", "cluster.join-timeout=2s"), err.toString());
        final String message = err.toString().trim();
        assertTrue(message.startsWith("sgdsim: --cluster 127.0.0.1:" + nobody + ": could not join the cluster within 2 s"),
            message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    @Timeout(60)
    void clusterSettingsAndPortsAreCheckedWithOneLineErrors() throws Exception
    {
        final StringWriter unknown = new StringWriter();
        assertEquals(2, cli(unknown, "cluster", "worker", "--set", "cluster.prot=2552"));
        assertTrue(unknown.toString().startsWith("sgdsim: --set: unknown key 'cluster.prot'; expected one of "),
            unknown.toString());
        final StringWriter badPort = new StringWriter();
        assertEquals(2, cli(badPort, "cluster", "seed", "--set", "cluster.port=70000"));
        assertEquals("sgdsim: --set: cluster.port: expected auto or a port in [0, 65535] (0 = any free port), got 70000",
            badPort.toString().trim());
        final StringWriter notCluster = new StringWriter();
        assertEquals(2, cli(notCluster, "cluster", "seed", "--set", "data.dim=10"));
        assertTrue(notCluster.toString().contains("takes only cluster.* keys"), notCluster.toString());
        final StringWriter role = new StringWriter();
        assertEquals(2, cli(role, "cluster", "leader"));
        assertEquals("sgdsim: cluster: expected seed, worker, keygen DIR or bench, got 'leader'", role.toString().trim());
        final StringWriter target = new StringWriter();
        assertEquals(2, cli(target, "sweep", sweepFile(tmp.resolve("conf"), 1, "8").toString(), "--cluster", "nohost"));
        assertEquals("sgdsim: --cluster: expected HOST:PORT, got 'nohost'", target.toString().trim());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            final StringWriter inUse = new StringWriter();
            assertEquals(2, cli(inUse, "cluster", "seed", "--set", "cluster.port=" + taken.getLocalPort()));
            assertEquals("sgdsim: cluster.port " + taken.getLocalPort() + " on 127.0.0.1 is in use (another sgdsim "
                + "node or program listens there); choose another with --set cluster.port=N", inUse.toString().trim());
        }
    }

    /** The run's folder on whichever worker ran it last. */
    static Path workerRunDir(final Path workers, final String run) throws IOException
    {
        try (Stream<Path> all = Files.walk(workers))
        {
            return all.filter(p -> p.getFileName().toString().equals(run) && Files.isRegularFile(p.resolve("summary.json")))
                .findFirst().orElseThrow(() -> new AssertionError("no worker folder holds " + run));
        }
    }

    static List<String> files(final Path dir) throws IOException
    {
        try (Stream<Path> all = Files.walk(dir))
        {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                .filter(p -> !p.startsWith("checkpoints")).sorted().toList();
        }
    }

    /** runs.csv without its timing columns, as one string to compare byte for byte. */
    static String deterministic(final Path runsCsv) throws IOException
    {
        final List<String> lines = Files.readAllLines(runsCsv);
        final List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        final StringBuilder out = new StringBuilder();
        for (final String line : lines)
        {
            final String[] cells = line.split(",", -1);
            final List<String> kept = new ArrayList<>();
            for (int c = 0; c < cells.length; c++)
            {
                if (!TIMING.contains(header.get(c)))
                {
                    kept.add(cells[c]);
                }
            }
            out.append(String.join(",", kept)).append('\n');
        }
        return out.toString();
    }

    static String withoutWall(final String metrics)
    {
        return metrics.replaceAll("(?m)^([^,]*,[^,]*),[^,]*", "$1");
    }
}
