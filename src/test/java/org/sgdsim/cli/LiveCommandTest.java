package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --live and serve: a port in use or a bad live.* value is one line and exit code 2, with nothing written. */
class LiveCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void portInUseIsAUserErrorBeforeAnythingIsWritten() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            final Path out = tmp.resolve("run");
            final String err = error(2, "run", "conf/experiments/quickstart.conf", "--live", "--out", out.toString(),
                "-q", "--set", "live.port=" + taken.getLocalPort());
            assertTrue(err.startsWith("sgdsim: live.port: cannot listen on 127.0.0.1:" + taken.getLocalPort()), err);
            assertEquals(1, err.strip().lines().count(), err);
            assertFalse(Files.exists(out), "no run folder");
        }
    }

    @Test
    void badLiveSettingsAndCombinations()
    {
        final String q = "conf/experiments/quickstart.conf";
        assertTrue(error(2, "run", q, "--set", "live.port=70000").contains("live.port: expected an integer in [0, 65535]"));
        assertTrue(error(2, "run", q, "--set", "live.heartbeat=soon").contains("live.heartbeat: expected a duration"));
        assertTrue(error(2, "run", q, "--set", "live.colour=red").contains("unknown key 'live.colour'"));
        assertTrue(error(2, "run", q, "--live", "--reference").contains("--live: the reference loop has no live feed"));
        assertTrue(error(2, "serve", tmp.resolve("absent").toString()).contains("is not a directory"));
        assertTrue(error(2, "serve", tmp.toString(), "--set", "data.dim=3").contains("serve takes live.* keys only"));
        assertTrue(error(2, "serve", tmp.toString(), "--set", "live.nope=3").contains("unknown key 'live.nope'"));
        assertTrue(error(2, "serve", tmp.toString(), "--port", "-1").contains("--port: expected a TCP port"));
    }

    private static String error(final int code, final String... args)
    {
        final StringWriter err = new StringWriter();
        assertEquals(code, MainAccess.execute(new PrintWriter(err), args), err.toString());
        return err.toString();
    }
}
