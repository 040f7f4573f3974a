package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;

/** A run whose disk fills up stops with one line naming the file and the cause, and leaves what exists intact. */
class FullDiskTest
{
    @TempDir
    Path tmp;

    private Path mount;

    @AfterEach
    void unmount() throws Exception
    {
        if (mount != null)
        {
            final Process p = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
            final String output = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "umount: " + output);
            Files.deleteIfExists(mount);
        }
    }

    @Test
    @Timeout(60)
    void fullDiskStopsTheRunCleanly() throws Exception
    {
        // Not under the @TempDir: JUnit would try to delete it while it is still a mount point.
        final Path dir = Files.createTempDirectory("sgdsim-full-disk");
        final Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.toString())
            .redirectErrorStream(true).start();
        Assumptions.assumeTrue(m.waitFor(10, TimeUnit.SECONDS) && m.exitValue() == 0,
            "needs root to mount a 256 KiB tmpfs");
        mount = dir;
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, String.join("\n",
            "experiment.name = full",
            "data.dim = 50",
            "teacher.target = \"z1 + He3(z2)\"",
            "student { width = 6, activation = relu }",
            "training { batch-size = 1, learning-rate = \"0.1/d\" }",
            "stop.max-steps = 100000",
            "metrics { every = 1, progress = false, risk-samples = 10000 }",
            "checkpoint { every-steps = 200, every-seconds = none, keep = 2 }"));
        final Path out = dir.resolve("run");
        final StringWriter err = new StringWriter();
        final int code = org.sgdsim.cli.MainAccess.execute(new PrintWriter(err), "run", file.toString(), "--out",
            out.toString(), "-q");
        final String message = err.toString().strip();
        assertEquals(1, code, message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("sgdsim: stage metric-tracker failed: UncheckedIOException: cannot write "),
            message);
        assertTrue(message.endsWith("No space left on device"), message);
        // What exists is intact: the resolved config parses, and every checkpoint left reads back.
        ExperimentConfig.load(out.resolve("config.conf"), java.util.List.of(), null);
        for (final Path ckpt : new CheckpointStore(out, 2).files())
        {
            CheckpointStore.decode(Files.readAllBytes(ckpt), ckpt);
        }
    }
}
