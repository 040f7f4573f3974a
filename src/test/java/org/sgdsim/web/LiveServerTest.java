package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.Runs;
import org.sgdsim.metrics.LiveRows;

/** The server's JSON, its error answers, SSE resumption against a live run, and the watchdog on stalled clients. */
class LiveServerTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void resumingWithLastEventIdLosesNothing() throws Exception
    {
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            final Runs.Active run = LiveFixture.start(tmp.resolve("run"), 1_000, 60_000);
            final String id = server.register(run.dir(), run.live());
            final String url = server.url() + "events?run=" + id;
            final List<String> steps = new ArrayList<>();
            String last = null;
            try (SseClient first = new SseClient(url, null))
            {
                assertEquals(200, first.status);
                SseClient.Event e;
                while (steps.size() < 20 && (e = first.next()) != null)
                {
                    if (e.event().equals("metrics"))
                    {
                        steps.add(LiveFixture.json(e.data()).getString("step"));
                    }
                    if (e.id() != null)
                    {
                        last = e.id();
                    }
                }
            }
            Thread.sleep(300);    // rows keep coming while no one listens
            int ids = 0;
            long previous = Long.parseLong(last);
            try (SseClient second = new SseClient(url, last))
            {
                SseClient.Event e;
                while ((e = second.next()) != null && !e.event().equals("end"))
                {
                    if (e.id() != null)
                    {
                        assertEquals(previous + 1, Long.parseLong(e.id()), "ids follow on without a gap");
                        previous = Long.parseLong(e.id());
                        ids++;
                    }
                    assertFalse(e.event().equals("gap"), e.data());
                    if (e.event().equals("metrics"))
                    {
                        steps.add(LiveFixture.json(e.data()).getString("step"));
                    }
                }
                assertNotNull(e, "the stream ends with an end event");
            }
            run.finish();
            assertTrue(ids > 0);
            final List<String> file = Files.readAllLines(run.dir().resolve("metrics.csv"));
            assertEquals(file.stream().skip(1).map(l -> l.split(",")[0]).toList(), steps,
                "the two streams together carry exactly metrics.csv's rows");
        }
    }

    @Test
    @Timeout(60)
    void jsonForScriptsAndErrorsForBadRequests() throws Exception
    {
        final LiveRows rows = new LiveRows(64);
        rows.header(LiveRows.Table.METRICS, "step,samples,wall_s,max_cos_1,risk,test_accuracy");
        rows.append(LiveRows.Table.METRICS, "0,0,0.1,0.05,1.25,0.5");
        rows.append(LiveRows.Table.METRICS, "10,10,0.2,0.5,NaN,0.75");
        Files.createDirectories(tmp.resolve("r1"));
        Files.writeString(tmp.resolve("r1/theory.csv"), "step,samples,wall_s,max_cos_1,risk\n0,0,0.0,0.05,1.25\n");
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            final String id = server.register(tmp.resolve("r1"), rows);
            assertEquals("r1", id);
            final Config runs = LiveFixture.json(LiveFixture.get(server.url() + "api/runs").body());
            assertEquals("r1", runs.getConfigList("runs").get(0).getString("id"));
            assertEquals(List.of("step", "samples", "wall_s", "max_cos_1", "risk", "test_accuracy"),
                runs.getConfigList("runs").get(0).getStringList("columns.metrics"));

            final HttpResponse<String> metrics = LiveFixture.get(server.url() + "api/runs/r1/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            final Config m = LiveFixture.json(metrics.body());
            assertEquals(2, m.getList("rows").size());
            assertEquals(0.75, ((Number)((List<?>)m.getList("rows").unwrapped().get(1)).get(5)).doubleValue());
            assertEquals(null, ((List<?>)m.getList("rows").unwrapped().get(1)).get(4), "NaN is null");
            assertEquals(1, m.getList("theory.rows").size());
            assertEquals(1, LiveFixture.json(LiveFixture.get(server.url() + "api/runs/r1/metrics?since=1").body())
                .getList("rows").size());

            expectError(server.url() + "api/runs/nope/metrics", 404, "unknown run 'nope'");
            expectError(server.url() + "api/sweeps/nope", 404, "unknown sweep 'nope'");
            expectError(server.url() + "events?run=nope", 404, "unknown run 'nope'");
            expectError(server.url() + "events", 400, "parameter 'run' is required");
            expectError(server.url() + "events?run=r1&color=red", 400, "unknown parameter 'color'");
            expectError(server.url() + "api/runs/r1/metrics?since=abc", 400, "since: expected a sequence number");
            expectError(server.url() + "api/runs/r1/metrics?table=x", 400, "table: expected metrics");
            expectError(server.url() + "api/runs/r1/other", 404, "unknown path");
            expectError(server.url() + "nothing/here", 404, "unknown path /nothing/here");
            expectError(server.url() + "static/../../etc/passwd", 404, "no such file");
            final HttpResponse<String> badId = LiveFixture.HTTP.send(HttpRequest.newBuilder(
                URI.create(server.url() + "events?run=r1")).header("Last-Event-ID", "12x").build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badId.statusCode());
            assertTrue(badId.body().contains("Last-Event-ID: expected the id of an event"), badId.body());
            final HttpResponse<String> post = LiveFixture.HTTP.send(HttpRequest.newBuilder(
                URI.create(server.url() + "api/runs")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            final HttpResponse<String> head = LiveFixture.HTTP.send(HttpRequest.newBuilder(
                URI.create(server.url() + "events?run=r1")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));

            assertEquals("{\"cluster\":false,\"members\":[]}",
                LiveFixture.get(server.url() + "api/cluster").body().strip());
            server.cluster(() -> List.of(new ClusterView.Member("127.0.0.1:25520", "Up", List.of("coordinator"),
                List.of("r1"))));
            final Config cluster = LiveFixture.json(LiveFixture.get(server.url() + "api/cluster").body());
            assertTrue(cluster.getBoolean("cluster"));
            assertEquals("Up", cluster.getConfigList("members").get(0).getString("status"));
            assertEquals(List.of("r1"), cluster.getConfigList("members").get(0).getStringList("runs"));

            final HttpResponse<String> page = LiveFixture.get(server.url());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("/static/vendor/uplot/uPlot.iife.min.js"));
            assertEquals(200, LiveFixture.get(server.url() + "static/vendor/uplot/uPlot.iife.min.js").statusCode());
            assertTrue(LiveFixture.get(server.url() + "static/vendor/uplot/LICENSE").body().contains("MIT"));
        }
    }

    @Test
    @Timeout(60)
    void aStalledClientIsDroppedAndNeverHoldsTheWriter() throws Exception
    {
        final LiveRows rows = pipelineFeed();
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            final String id = server.register(tmp.resolve("stall"), rows);
            try (Socket stalled = stalledClient(server, id))
            {
                // 16k rows of 2 kB: far more than the socket buffers hold; the writer must never wait for them
                final long start = System.nanoTime();
                appendLargeRows(rows, 0, 16_384);
                assertTrue(System.nanoTime() - start < 5_000_000_000L, "the writer is not held up by the client");
                awaitExposition(server, "sgdsim_sse_dropped_clients_total 1.0", "sgdsim_sse_clients 0.0");
            }
            // the server still serves other clients
            rows.finish();
            try (SseClient client = new SseClient(server.url() + "events?run=" + id, "16380"))
            {
                assertEquals(200, client.status);
                SseClient.Event e;
                final List<String> ids = new ArrayList<>();
                while ((e = client.next()) != null && !e.event().equals("end"))
                {
                    if (e.id() != null)
                    {
                        ids.add(e.id());
                    }
                }
                assertEquals(List.of("16381", "16382", "16383"), ids);
            }
        }
    }

    @Test
    @Timeout(60)
    void droppingAStalledClientLosesNothingForAHealthyOne() throws Exception
    {
        final LiveRows rows = pipelineFeed();
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            final String id = server.register(tmp.resolve("shared"), rows);
            final List<String> ids = new ArrayList<>();
            final List<String> kinds = new ArrayList<>();
            final SseClient healthy = new SseClient(server.url() + "events?run=" + id, null);
            final Thread reader = new Thread(() ->
            {
                try (healthy)
                {
                    SseClient.Event e;
                    while ((e = healthy.next()) != null)
                    {
                        kinds.add(e.event());
                        if (e.id() != null)
                        {
                            ids.add(e.id());
                        }
                        if (e.event().equals("end"))
                        {
                            return;
                        }
                    }
                }
                catch (final IOException ex)
                {
                    kinds.add("failed: " + ex);
                }
            });
            reader.start();
            try (Socket stalled = stalledClient(server, id))
            {
                // 6000 rows of 2 kB fill the stalled client's socket buffers and block the broadcaster on it
                appendLargeRows(rows, 0, 6_000);
                awaitExposition(server, "sgdsim_sse_dropped_clients_total 1.0", "sgdsim_sse_clients 1.0");
                // after the drop the broadcaster goes on with the healthy client
                appendLargeRows(rows, 6_000, 9_000);
                rows.finish();
                reader.join(30_000);
            }
            assertFalse(reader.isAlive(), "the healthy client got its end event");
            assertEquals("run", kinds.get(0));
            assertEquals("end", kinds.get(kinds.size() - 1), kinds.get(kinds.size() - 1));
            assertFalse(kinds.contains("gap"));
            assertEquals(9_000, ids.size());
            for (int i = 0; i < ids.size(); i++)
            {
                assertEquals(Integer.toString(i), ids.get(i), "ids follow on without a gap");
            }
            final String exposition = LiveFixture.get(server.url() + "metrics").body();
            assertTrue(exposition.contains("sgdsim_sse_dropped_clients_total 1.0"), "only the stalled one dropped");
        }
    }

    @Test
    @Timeout(60)
    void closingTheServerEndsEveryStreamAtOnceEvenWithAWriteBlocked() throws Exception
    {
        final LiveRows rows = pipelineFeed();
        // a client timeout longer than the test: only closing can free the write blocked on the stalled client
        final LiveServer server = LiveServer.start(new LiveSettings("127.0.0.1", 0, 4096, Duration.ofSeconds(1),
            Duration.ofSeconds(120), 64));
        final String id = server.register(tmp.resolve("closing"), rows);
        try (SseClient healthy = new SseClient(server.url() + "events?run=" + id, null);
            Socket stalled = stalledClient(server, id))
        {
            assertEquals("run", healthy.next().event());
            appendLargeRows(rows, 0, 6_000);
            Thread.sleep(1_000);
            final long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "close does not wait for the stalled client");
            try
            {
                while (healthy.next() != null)
                {
                    // the rows sent before the close
                }
            }
            catch (final IOException ex)
            {
                // the connection was closed mid-response: the stream ended all the same
            }
        }
    }

    @Test
    @Timeout(60)
    void servesFinishedRunFoldersFromDisk() throws Exception
    {
        final Runs.Active run = LiveFixture.start(tmp.resolve("runs").resolve("done"), 500, 5_000);
        run.finish();
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            server.browse(tmp.resolve("runs"));
            final Config runs = LiveFixture.json(LiveFixture.get(server.url() + "api/runs").body());
            assertEquals("done", runs.getConfigList("runs").get(0).getString("id"));
            assertEquals("finished", runs.getConfigList("runs").get(0).getString("state"));
            final Config m = LiveFixture.json(LiveFixture.get(server.url() + "api/runs/done/metrics").body());
            final List<String> file = Files.readAllLines(run.dir().resolve("metrics.csv"));
            assertEquals(file.size() - 1, m.getList("rows").size());
            assertEquals(List.of(file.get(0).split(",")), m.getStringList("columns"));
            assertTrue(m.getBoolean("finished"));
            final List<String> events = new ArrayList<>();
            try (SseClient client = new SseClient(server.url() + "events?run=done", null))
            {
                SseClient.Event e;
                while ((e = client.next()) != null && !e.event().equals("end"))
                {
                    events.add(e.event());
                }
            }
            assertEquals(file.size() - 1, events.stream().filter("metrics"::equals).count());
            // latency.hlog is read too: the learner's percentiles per interval and its Prometheus histogram
            final Config latency = LiveFixture.json(LiveFixture.get(server.url()
                + "api/runs/done/metrics?table=latency").body());
            assertEquals(List.of("wall_s", "stage", "count", "p50_us", "p90_us", "p99_us", "max_us"),
                latency.getStringList("columns"));
            assertTrue(latency.getList("rows").unwrapped().stream()
                .anyMatch(r -> ((List<?>)r).get(1).equals("learner-iteration")), latency.root().render());
            final String exposition = LiveFixture.get(server.url() + "metrics").body();
            assertTrue(exposition.contains("sgdsim_iteration_duration_seconds_count{run=\"done\",stage=\"learner-iteration\"}"),
                exposition);
            assertTrue(exposition.contains("sgdsim_run_running{run=\"done\"} 0.0"), exposition);
        }
    }

    /** An empty feed holding up to 16 384 rows of the pipeline table. */
    private static LiveRows pipelineFeed()
    {
        final LiveRows rows = new LiveRows(1 << 14);
        rows.header(LiveRows.Table.PIPELINE, "wall_s,note");
        return rows;
    }

    /** Pipeline rows {@code from} to {@code to} (exclusive) of 2 kB each. */
    private static void appendLargeRows(final LiveRows rows, final int from, final int to)
    {
        final String filler = "x".repeat(2000);
        for (int i = from; i < to; i++)
        {
            rows.append(LiveRows.Table.PIPELINE, i + "," + filler);
        }
    }

    /** A client that sends its request for {@code id}'s events with a 4 kB receive buffer and never reads. */
    private static Socket stalledClient(final LiveServer server, final String id) throws IOException
    {
        final Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
        final OutputStream out = stalled.getOutputStream();
        out.write(("GET /events?run=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return stalled;
    }

    /** Reads {@code /metrics} until it has every one of {@code lines}, for 20 s at most. */
    private static void awaitExposition(final LiveServer server, final String... lines)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        String exposition = "";
        while (System.nanoTime() < deadline && !Arrays.stream(lines).allMatch(exposition::contains))
        {
            Thread.sleep(100);
            exposition = LiveFixture.get(server.url() + "metrics").body();
        }
        for (final String line : lines)
        {
            assertTrue(exposition.contains(line), exposition);
        }
    }

    private static void expectError(final String url, final int status, final String message)
        throws IOException, InterruptedException
    {
        final HttpResponse<String> r = LiveFixture.get(url);
        assertEquals(status, r.statusCode(), url + " -> " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), url);
        final String error = LiveFixture.json(r.body()).getString("error");
        assertTrue(error.contains(message), url + " -> " + error);
    }
}
