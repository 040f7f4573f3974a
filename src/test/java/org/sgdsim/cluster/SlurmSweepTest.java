package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/slurm/sgdsim-sweep.sbatch on a real SLURM (a one-node one: deploy/slurm/ci-slurm-up.sh, which .ci/run
 * calls): the job's runs.csv is the local sweep's, and neither a job that ends nor one that is cancelled leaves a
 * process behind. Skipped only when sbatch is not installed.
 */
class SlurmSweepTest
{
    private static final Path SCRIPT = Path.of("deploy", "slurm", "sgdsim-sweep.sbatch").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    @Tag("slow")
    @Timeout(900)
    void theSbatchScriptRunsTheLocalSweepAndLeavesNoProcessBehind() throws Exception
    {
        assumeTrue(run(List.of("sh", "-c", "command -v sbatch")).code() == 0,
            "sbatch is not installed: this test needs SLURM (as root, deploy/slurm/ci-slurm-up.sh starts a one-node "
                + "SLURM on this machine)");
        final Path sweep = ClusterSweepTest.sweepFile(tmp.resolve("conf"), 2, "8, 64");
        final StringWriter err = new StringWriter();
        final Path local = tmp.resolve("local");
        assertEquals(0, ClusterSweepTest.cli(err, "sweep", sweep.toString(), "--out", local.toString(), "-q",
            "--parallel", "1"), err.toString());

        final Path shared = tmp.resolve("shared");
        final Result job = run(sbatch(List.of("--wait"), sweep, shared));
        final Path jobOut = tmp.resolve("shared-job.out");
        final String out = Files.exists(jobOut) ? Files.readString(jobOut) : "";
        assertEquals(0, job.code(), job.output() + out);
        assertTrue(out.contains("cluster keygen: cluster keys in " + shared.resolve("keys")), out);
        assertEquals(ClusterSweepTest.deterministic(local.resolve("runs.csv")),
            ClusterSweepTest.deterministic(shared.resolve("sweep").resolve("runs.csv")));
        assertNoProcessOf(shared);

        // A cancelled job: its seed, worker and coordinator all end, and the sweep is left to resume.
        final Path longSweep = tmp.resolve("conf").resolve("long-sweep.conf");
        Files.writeString(tmp.resolve("conf").resolve("long.conf"), String.join("\n",
            "experiment { name = long, seed = 1 }", "data.dim = 48", "teacher.target = \"He2(z1)\"",
            "student { width = 1, activation = He2 }", "training { learning-rate = \"0.5/d\" }",
            "stop.max-steps = 1000000000", "metrics { risk-samples = 10000, progress = false }"));
        Files.writeString(longSweep, String.join("\n", "experiment = \"long.conf\"",
            "grid { \"training.batch-size\" = [1] }", "seeds = 4"));
        final Path shared2 = tmp.resolve("shared2");
        final Result submitted = run(sbatch(List.of("--parsable"), longSweep, shared2));
        assertEquals(0, submitted.code(), submitted.output());
        final String id = submitted.output().strip().split(";")[0];
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!anyRunStarted(shared2.resolve("workers")))
        {
            assertTrue(System.nanoTime() < end, "the cancelled job never started a run: "
                + run(List.of("squeue", "-j", id)).output());
            Thread.sleep(200);
        }
        assertEquals(0, run(List.of("scancel", id)).code());
        while (!run(List.of("squeue", "-h", "-j", id)).output().isBlank())
        {
            assertTrue(System.nanoTime() < end + TimeUnit.SECONDS.toNanos(120), "job " + id + " does not end");
            Thread.sleep(500);
        }
        assertNoProcessOf(shared2);
        assertFalse(Files.exists(shared2.resolve("sweep").resolve("runs.csv")), "the cancelled sweep did not finish");
    }

    private List<String> sbatch(final List<String> options, final Path sweep, final Path shared) throws IOException
    {
        final String sgdsim = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.sgdsim.cli.Main");
        final int port = ClusterSweepTest.freePort();
        final List<String> command = new java.util.ArrayList<>(List.of("sbatch"));
        command.addAll(options);
        command.addAll(List.of("--output=" + tmp.resolve(shared.getFileName() + "-job.out"),
            "--export=ALL,SWEEP=" + sweep + ",SHARED=" + shared + ",NODE_ADDRESS=127.0.0.1,SEED_PORT=" + port
                + ",DOWN_AFTER=3s", SCRIPT.toString()));
        // --export splits its list on commas: the command travels in the environment (ALL) instead
        command.add(0, "env");
        command.add(1, "SGDSIM=" + sgdsim);
        return command;
    }

    private static boolean anyRunStarted(final Path workers) throws IOException
    {
        if (!Files.isDirectory(workers))
        {
            return false;
        }
        try (var all = Files.walk(workers))
        {
            return all.anyMatch(p -> p.getFileName().toString().equals("config.conf"));
        }
    }

    /** No process of this machine has the job's shared folder on its command line (seed, workers, coordinator). */
    private static void assertNoProcessOf(final Path shared) throws Exception
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            final Result ps = run(List.of("pgrep", "-af", shared.toString()));
            if (ps.output().isBlank())
            {
                return;
            }
            assertTrue(System.nanoTime() < end, "processes left behind: " + ps.output());
            Thread.sleep(500);
        }
    }

    private record Result(int code, String output)
    {
    }

    private static Result run(final List<String> command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(900, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(p.exitValue(), out);
    }
}
