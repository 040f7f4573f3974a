package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's group-commit log restores the result files a crash lost or tore, and only complete records. */
class ResultLogTest
{
    @TempDir
    Path tmp;

    @Test
    void replayRestoresLostAndTornFilesFromCompleteRecordsOnly() throws Exception
    {
        try (ResultLog log = new ResultLog(tmp))
        {
            log.append(0, "step\n0\n", "{\"run\": 0}");
            log.append(1, "step\n1\n", "{\"run\": 1}");
            log.append(2, "step\n2\n", "{\"run\": 2}");
            log.sync();
        }
        // A crash: run 0's files never reached the disk, run 1's metrics are torn, and the log's tail (run 2's
        // record) is cut short.
        final Path log = tmp.resolve(ResultLog.NAME);
        final byte[] bytes = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        final Path run1 = Files.createDirectories(tmp.resolve("runs/r1"));
        Files.writeString(run1.resolve("metrics.csv"), "st");
        Files.writeString(run1.resolve("summary.json"), "{\"run\": 1}");

        assertEquals(2, ResultLog.replay(tmp, i -> tmp.resolve("runs/r" + i)));
        assertEquals("step\n0\n", Files.readString(tmp.resolve("runs/r0/metrics.csv")));
        assertEquals("{\"run\": 0}", Files.readString(tmp.resolve("runs/r0/summary.json")));
        assertEquals("step\n1\n", Files.readString(run1.resolve("metrics.csv")));
        assertFalse(Files.exists(tmp.resolve("runs/r2")), "a torn record is not a result");
        // Nothing to do the second time.
        final long modified = Files.getLastModifiedTime(run1.resolve("metrics.csv")).toMillis();
        assertEquals(2, ResultLog.replay(tmp, i -> tmp.resolve("runs/r" + i)));
        assertEquals(modified, Files.getLastModifiedTime(run1.resolve("metrics.csv")).toMillis());
    }
}
