package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.Runs;

/**
 * A real Prometheus server on loopback scrapes a live run once a second; the series come back through its HTTP
 * query API, and {@code promtool check metrics} accepts the exposition.
 */
class PrometheusScrapeTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void prometheusScrapesALiveRun() throws Exception
    {
        final Path prometheusBin = Tools.require("prometheus", "prometheus");
        final Path promtool = Tools.require("promtool", "prometheus");
        Process prometheus = null;
        Runs.Active run = null;
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            run = LiveFixture.start(tmp.resolve("run"), 2_000, 50_000_000);
            final String id = server.register(run.dir(), run.live());
            final long until = System.nanoTime() + 60_000_000_000L;
            while (run.live().latencyTotals().isEmpty() && System.nanoTime() < until)
            {
                Thread.sleep(100);
            }

            final String exposition = LiveFixture.get(server.url() + "metrics").body();
            for (final String family : List.of("sgdsim_steps_total{run=\"" + id + "\"}", "sgdsim_samples_total",
                "sgdsim_max_cos_1", "sgdsim_risk", "sgdsim_student_teacher_overlap_1_1", "sgdsim_student_overlap_1_2",
                "sgdsim_iteration_duration_seconds_bucket{run=\"" + id + "\",stage=\"learner-iteration\",le=\"+Inf\"}",
                "sgdsim_queue_depth{run=\"" + id + "\",stage=\"learner\"}", "sgdsim_throughput_samples_per_second"))
            {
                assertTrue(exposition.contains(family), family + " in\n" + exposition);
            }
            final Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true).start();
            check.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            final String lint = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, check.exitValue(), "promtool check metrics: " + lint);

            final int port = freePort();
            prometheus = prometheus(prometheusBin, server, port);

            final String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            final long ready = System.nanoTime() + 60_000_000_000L;
            while (!ready("http://127.0.0.1:" + port + "/-/ready") && System.nanoTime() < ready && prometheus.isAlive())
            {
                Thread.sleep(250);
            }
            double first = Double.NaN;
            double later = Double.NaN;
            final long deadline = System.nanoTime() + 90_000_000_000L;
            while (System.nanoTime() < deadline && !(later > first))
            {
                Thread.sleep(1000);
                if (!prometheus.isAlive())
                {
                    break;
                }
                final double v = value(api, "sgdsim_steps_total{run=\"" + id + "\",job=\"sgdsim\"}");
                if (Double.isNaN(first))
                {
                    first = v;
                }
                else
                {
                    later = v;
                }
            }
            assertTrue(later > first && first >= 0,
                "steps read back from Prometheus grew: " + first + " -> " + later + "\n"
                    + Files.readString(tmp.resolve("prometheus.log")));
            final double p99 = value(api, "histogram_quantile(0.99, sum by (le) (sgdsim_iteration_duration_seconds_bucket"
                + "{run=\"" + id + "\",stage=\"learner-iteration\"}))");
            assertTrue(p99 > 0 && p99 <= 10, "p99 learner iteration time from Prometheus: " + p99);
            final double maxCos = value(api, "sgdsim_max_cos_1{run=\"" + id + "\"}");
            assertTrue(maxCos > 0 && maxCos <= 1, "max_cos_1 from Prometheus: " + maxCos);
        }
        finally
        {
            Tools.stop(prometheus);
            if (run != null)
            {
                run.requestStop();
                run.finish();
            }
        }
    }

    /**
     * {@code serve} over a folder of finished runs nobody opened in a browser: a real Prometheus sees every one,
     * DFA runs with their step counters.
     */
    @Test
    @Timeout(180)
    void prometheusSeesEveryRunUnderTheRunsDirectory() throws Exception
    {
        final Path prometheusBin = Tools.require("prometheus", "prometheus");
        final Path root = tmp.resolve("runs");
        assertEquals(0, LiveFixture.cli("run", "conf/experiments/dfa-digits-opu.conf", "--seeds", "0-1",
            "--set", "dfa.epochs=2", "--out", root.resolve("opu").toString(), "-q"));
        final Runs.Active online = LiveFixture.start(root.resolve("online"), 100, 20_000);
        online.finish();
        Process prometheus = null;
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            server.browse(root);
            final int port = freePort();
            prometheus = prometheus(prometheusBin, server, port);
            final String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            double runs = Double.NaN;
            final long deadline = System.nanoTime() + 90_000_000_000L;
            while (System.nanoTime() < deadline && !(runs == 3) && prometheus.isAlive())
            {
                Thread.sleep(1000);
                if (ready("http://127.0.0.1:" + port + "/-/ready"))
                {
                    runs = value(api, "count(sgdsim_steps_total{job=\"sgdsim\"})");
                }
            }
            assertEquals(3.0, runs, "runs with steps in Prometheus\n" + Files.readString(tmp.resolve("prometheus.log")));
            assertTrue(value(api, "sgdsim_steps_total{run=\"opu/seed-1\"}") > 0, "a DFA run's steps");
            assertTrue(value(api, "sgdsim_samples_total{run=\"opu/seed-0\"}") > 0, "a DFA run's samples");
            assertEquals(3.0, value(api, "sgdsim_runs{state=\"finished\"}"));
            assertEquals(0.0, value(api, "sum(sgdsim_run_running)"));
        }
        finally
        {
            Tools.stop(prometheus);
        }
    }

    private static int freePort() throws java.io.IOException
    {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return free.getLocalPort();
        }
    }

    /** A Prometheus on {@code port} scraping {@code server} every second, its log in tmp/prometheus.log. */
    private Process prometheus(final Path binary, final LiveServer server, final int port) throws java.io.IOException
    {
        final Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n  - job_name: sgdsim\n    static_configs:\n      - targets: ['127.0.0.1:"
            + server.port() + "']\n");
        return new ProcessBuilder(binary.toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
    }

    private static boolean ready(final String url) throws InterruptedException
    {
        try
        {
            return LiveFixture.get(url).statusCode() == 200;
        }
        catch (final java.io.IOException notYet)
        {
            return false;
        }
    }

    /** The single value of an instant query, NaN when the result is empty. */
    private static double value(final String api, final String query) throws Exception
    {
        final Config r = LiveFixture.json(LiveFixture.get(api + URLEncoder.encode(query, StandardCharsets.UTF_8)).body());
        assertEquals("success", r.getString("status"), r.root().render());
        final List<? extends Config> result = r.getConfigList("data.result");
        if (result.isEmpty())
        {
            return Double.NaN;
        }
        return Double.parseDouble(result.get(0).getList("value").get(1).unwrapped().toString());
    }
}
