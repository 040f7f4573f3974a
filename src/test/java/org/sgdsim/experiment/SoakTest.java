package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long online run in a child JVM capped at 256 MiB of heap (10 minutes by default; -Dsgdsim.soak.seconds=N):
 * used heap, live threads and open files, sampled once a second in pipeline.csv, stay flat.
 */
class SoakTest
{
    @TempDir
    Path tmp;

    @Test
    @Tag("slow")
    @Timeout(1800)
    void memoryThreadsAndFilesStayFlat() throws Exception
    {
        final long seconds = Long.getLong("sgdsim.soak.seconds", 600);
        final Path file = tmp.resolve("soak.conf");
        Files.writeString(file, String.join("\n",
            "experiment.name = soak",
            "data.dim = 500",
            "teacher.target = \"z1 + He3(z2)\"",
            "student { width = 8, activation = relu, second-layer = rademacher, init = zero }",
            "training { rule = displaced, batch-size = 4, learning-rate = \"0.01*nb*p/d\" }",
            "stop { max-steps = none, max-samples = 1000000000000 }",
            "metrics { every = log, per-decade = 50, progress = false }",
            "checkpoint { every-seconds = 20, keep = 3 }"));
        final Path out = tmp.resolve("soak");
        final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules",
            "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "org.sgdsim.cli.Main", "run",
            file.toString(), "--out", out.toString(), "-q").redirectErrorStream(true)
            .redirectOutput(tmp.resolve("soak.log").toFile()).start();
        Thread.sleep(seconds * 1000);
        p.destroy();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("soak.log")));

        final List<long[]> rows = new ArrayList<>();
        final List<String> lines = Files.readAllLines(out.resolve("pipeline.csv"));
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] c = line.split(",");
            rows.add(new long[] {Long.parseLong(c[9]), Long.parseLong(c[10]), Long.parseLong(c[11])});
        }
        // Leave out the JVM's start (class loading, JIT, pools filling) and the last rows, taken while SIGTERM
        // drains the run (its handler and shutdown threads come and go then).
        final int warm = Math.min(30, rows.size() / 4);
        final List<long[]> steady = rows.subList(warm, rows.size() - 3);
        // Flat means no growth: the last quarter's peaks stay within the first quarter's (Pekko's dispatchers start
        // and retire idle threads, so the thread count moves by a few either way).
        final int quarter = Math.max(1, steady.size() / 4);
        long heapFirst = 0;
        long heapSecond = 0;
        long threadsMin = Long.MAX_VALUE;
        long threadsMax = 0;
        long threadsEarly = 0;
        long threadsLate = 0;
        long filesMin = Long.MAX_VALUE;
        long filesMax = 0;
        long filesEarly = 0;
        long filesLate = 0;
        for (int i = 0; i < steady.size(); i++)
        {
            final long[] r = steady.get(i);
            if (i < steady.size() / 2)
            {
                heapFirst = Math.max(heapFirst, r[0]);
            }
            else
            {
                heapSecond = Math.max(heapSecond, r[0]);
            }
            if (i < quarter)
            {
                threadsEarly = Math.max(threadsEarly, r[1]);
                filesEarly = Math.max(filesEarly, r[2]);
            }
            if (i >= steady.size() - quarter)
            {
                threadsLate = Math.max(threadsLate, r[1]);
                filesLate = Math.max(filesLate, r[2]);
            }
            threadsMin = Math.min(threadsMin, r[1]);
            threadsMax = Math.max(threadsMax, r[1]);
            filesMin = Math.min(filesMin, r[2]);
            filesMax = Math.max(filesMax, r[2]);
        }
        final String figures = String.format("rows %d, heap max first half %.1f MiB, second half %.1f MiB, threads %d..%d, "
            + "open files %d..%d", rows.size(), heapFirst / 1048576.0, heapSecond / 1048576.0, threadsMin, threadsMax,
            filesMin, filesMax);
        System.out.println("soak: " + figures);
        assertTrue(heapSecond <= heapFirst * 1.25 + (8 << 20), "heap flat: " + figures);
        assertTrue(threadsLate <= threadsEarly + 2 && threadsMax <= 32, "threads flat: " + figures);
        assertTrue(filesLate <= filesEarly + 2 && filesMax - filesMin <= 4, "open files flat: " + figures);
    }
}
