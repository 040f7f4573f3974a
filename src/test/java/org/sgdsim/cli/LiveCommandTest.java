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

    @Test
    @org.junit.jupiter.api.Timeout(180)
    void sweepLiveShowsItsRunsWhileTheyGo() throws Exception
    {
        Files.writeString(tmp.resolve("tiny.conf"), String.join("\n",
            "experiment { name = tiny, seed = 1 }",
            "data.dim = 64",
            "teacher.target = \"He3(z1)\"",
            "student { width = 1, activation = He3 }",
            "training { loss = correlation, learning-rate = \"0.01*nb*d^-1.5\", normalization = projected }",
            "stop { max-samples = \"400*d^2\" }",
            "metrics.risk-samples = 10000"));
        final Path sweep = tmp.resolve("tiny-sweep.conf");
        Files.writeString(sweep, String.join("\n",
            "experiment = \"tiny.conf\"",
            "grid { \"training.batch-size\" = [8, 16] }",
            "seeds = 1",
            "curves { metrics = [max-cos-1], x = samples, at = [1000] }"));
        final StringWriter err = new StringWriter();
        final java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        final Thread sweeping = new Thread(() -> code.set(MainAccess.execute(new PrintWriter(err, true), "sweep",
            sweep.toString(), "--out", tmp.resolve("out").toString(), "-q", "--parallel", "1", "--live")));
        sweeping.start();
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        final java.util.Set<String> seenLive = new java.util.TreeSet<>();
        final java.util.Set<String> sweepStates = new java.util.TreeSet<>();
        final java.util.regex.Pattern url = java.util.regex.Pattern.compile("live dashboard at (http://\\S+/)");
        while (sweeping.isAlive())
        {
            final java.util.regex.Matcher m = url.matcher(err.toString());
            if (m.find())
            {
                try
                {
                    final String runs = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(m.group(1) + "api/runs")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    final java.util.regex.Matcher live = java.util.regex.Pattern
                        .compile("\"id\":\"([^\"]+)\",\"state\":\"live\"").matcher(runs);
                    while (live.find())
                    {
                        seenLive.add(live.group(1));
                    }
                    // the sweep page's progress follows the runs as they go
                    final String progress = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(m.group(1) + "api/sweeps")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    final java.util.regex.Matcher p = java.util.regex.Pattern
                        .compile("\"id\":\"out\",\"name\":\"tiny\",\"total\":2,\"done\":(\\d),\"running\":(\\d)")
                        .matcher(progress);
                    if (p.find())
                    {
                        sweepStates.add(p.group(1) + " done, " + p.group(2) + " running");
                    }
                }
                catch (final java.io.IOException closed)
                {
                    // the sweep ended and closed its server
                }
            }
            Thread.sleep(50);
        }
        assertEquals(0, code.get(), err.toString());
        assertFalse(seenLive.isEmpty(), "a run of the sweep was served live: " + err);
        // ids are the runs' paths below the sweep folder
        assertTrue(seenLive.stream().allMatch(id -> id.startsWith("runs/batch-size-")), seenLive.toString());
        assertTrue(sweepStates.contains("0 done, 1 running") && sweepStates.contains("1 done, 1 running"),
            "sweep progress seen: " + sweepStates);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void dfaRunLiveServesItsEpochRows() throws Exception
    {
        final StringWriter err = new StringWriter();
        final java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        final Thread running = new Thread(() -> code.set(MainAccess.execute(new PrintWriter(err, true), "run",
            "conf/experiments/dfa-digits-opu.conf", "--out", tmp.resolve("dfa").toString(), "-q", "--live",
            "--set", "dfa.epochs=200")));
        running.start();
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        final java.util.regex.Pattern url = java.util.regex.Pattern.compile("live dashboard at (http://\\S+/)");
        String seen = "";
        while (running.isAlive() && !seen.contains("sgdsim_test_acc{run=\"dfa\"}"))
        {
            final java.util.regex.Matcher m = url.matcher(err.toString());
            if (m.find())
            {
                try
                {
                    seen = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "metrics"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                }
                catch (final java.io.IOException closed)
                {
                    // the run ended and closed its server
                }
            }
            Thread.sleep(50);
        }
        running.join();
        assertEquals(0, code.get(), err.toString());
        assertTrue(seen.contains("sgdsim_test_acc{run=\"dfa\"}"), "the DFA run's test accuracy was served: " + seen);
        assertTrue(error(2, "run", "conf/experiments/dfa-digits-opu.conf", "--live", "--seeds", "0-1")
            .contains("--live: not with --seeds"));
    }

    private static String error(final int code, final String... args)
    {
        final StringWriter err = new StringWriter();
        assertEquals(code, MainAccess.execute(new PrintWriter(err), args), err.toString());
        return err.toString();
    }
}
