package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.metrics.LiveRows;

/**
 * {@code serve} over many run folders: ids are paths below the runs directory and stay put, the picker gets each
 * run's experiment, sweep point and seed, {@code /metrics} exports runs nobody opened (DFA ones with their step and
 * sample counters) up to a cap, and a client that disconnects is not counted as dropped.
 */
class ServeManyRunsTest
{
    private static final String DFA_HEADER = "epoch,step,samples,train_loss,train_acc,test_loss,test_acc,align_1,"
        + "fidelity,frames,optical_s,energy_j,wall_s";

    @TempDir
    Path tmp;

    @Test
    @Timeout(30)
    void runsAreNamedByExperimentPointAndSeedWithStableIds() throws Exception
    {
        final Path root = tmp.resolve("runs");
        dfaRun(root.resolve("opu/seed-0"), "dfa-digits-opu", 0, 129);
        dfaRun(root.resolve("opu/seed-1"), "dfa-digits-opu", 1, 130);
        dfaRun(root.resolve("bp/seed-0"), "dfa-digits-bp", 0, 131);
        final Path sweep = root.resolve("he3");
        Files.createDirectories(sweep);
        Files.writeString(sweep.resolve(SweepView.PLAN), "# plan\nbatch-size-8-seed1 abc\nbatch-size-8-seed2 def\n");
        onlineRun(sweep.resolve("runs/batch-size-8-seed1"), "he3-batch", 1);
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            server.browse(root);
            final Map<String, Config> runs = runs(server);
            assertEquals(List.of("bp/seed-0", "he3/runs/batch-size-8-seed1", "opu/seed-0", "opu/seed-1"),
                runs.keySet().stream().sorted().toList());
            assertEquals("dfa-digits-opu · seed 1", runs.get("opu/seed-1").getString("label"));
            assertEquals("opu", runs.get("opu/seed-1").getString("group"));
            assertEquals("dfa", runs.get("opu/seed-1").getString("kind"));
            assertEquals("dfa-digits-bp · seed 0", runs.get("bp/seed-0").getString("label"));
            final Config point = runs.get("he3/runs/batch-size-8-seed1");
            assertEquals("he3-batch · batch-size-8 · seed 1", point.getString("label"));
            assertEquals("he3", point.getString("group"));
            assertEquals("batch-size-8", point.getString("point"));
            assertEquals("online", point.getString("kind"));
            // the id in a URL, its slash encoded
            final Config rows = LiveFixture.json(LiveFixture.get(server.url() + "api/runs/opu%2Fseed-1/metrics").body());
            assertEquals(2, rows.getList("rows").size());

            // a new folder that sorts first leaves the others' ids as they were
            dfaRun(root.resolve("aaa/seed-0"), "dfa-digits-opu", 0, 10);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            Map<String, Config> again = runs(server);
            while (!again.containsKey("aaa/seed-0") && System.nanoTime() < deadline)
            {
                Thread.sleep(200);
                again = runs(server);
            }
            assertEquals(List.of("aaa/seed-0", "bp/seed-0", "he3/runs/batch-size-8-seed1", "opu/seed-0", "opu/seed-1"),
                again.keySet().stream().sorted().toList());
            assertEquals("dfa-digits-opu · seed 1", again.get("opu/seed-1").getString("label"));

            // the sweep: one of two runs done, the other not started
            final Config s = LiveFixture.json(LiveFixture.get(server.url() + "api/sweeps/he3").body());
            assertEquals(2, s.getInt("total"));
            assertEquals(1, s.getInt("done"));
            assertEquals(1, s.getInt("pending"));
            assertEquals("he3/runs/batch-size-8-seed1",
                s.getConfigList("points").get(0).getConfigList("runs").get(0).getString("id"));
        }
    }

    @Test
    @Timeout(30)
    void metricsExportsEveryRunNobodyOpenedWithDfaCounters() throws Exception
    {
        final Path root = tmp.resolve("runs");
        dfaRun(root.resolve("opu/seed-0"), "dfa-digits-opu", 0, 129);
        dfaRun(root.resolve("opu/seed-1"), "dfa-digits-opu", 1, 130);
        onlineRun(root.resolve("online"), "online", 1);
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            server.browse(root);
            final String exposition = LiveFixture.get(server.url() + "metrics").body();
            for (final String line : List.of("sgdsim_steps_total{run=\"opu/seed-0\"} 129.0",
                "sgdsim_steps_total{run=\"opu/seed-1\"} 130.0", "sgdsim_samples_total{run=\"opu/seed-1\"} 4160.0",
                "sgdsim_steps_total{run=\"online\"} 40.0", "sgdsim_test_acc{run=\"opu/seed-1\"} 0.84",
                "sgdsim_run_running{run=\"opu/seed-0\"} 0.0", "sgdsim_runs{state=\"finished\"} 3.0",
                "sgdsim_runs_exported 3.0"))
            {
                assertTrue(exposition.contains(line), line + " in\n" + exposition);
            }
            // nothing was opened: every run is still read from its files only
            assertTrue(runs(server).values().stream().noneMatch(r -> r.hasPath("next")));
        }
    }

    @Test
    void theExportIsCappedAndTheRestCounted() throws Exception
    {
        final Path root = tmp.resolve("runs");
        for (int seed = 0; seed < 5; seed++)
        {
            dfaRun(root.resolve("opu/seed-" + seed), "dfa-digits-opu", seed, 100 + seed);
        }
        final RunCatalog catalog = new RunCatalog(64);
        catalog.scan(root);
        final PrometheusExport export = new PrometheusExport(catalog, 2);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        export.write(out);
        final String text = out.toString(StandardCharsets.UTF_8);
        final List<String> steps = text.lines().filter(l -> l.startsWith("sgdsim_steps_total{")).toList();
        assertEquals(List.of("sgdsim_steps_total{run=\"opu/seed-0\"} 100.0", "sgdsim_steps_total{run=\"opu/seed-1\"} 101.0"),
            steps, text);
        assertTrue(text.contains("sgdsim_runs{state=\"finished\"} 5.0") && text.contains("sgdsim_runs_exported 2.0"),
            text);
    }

    @Test
    @Timeout(60)
    void aClientThatDisconnectsIsNotCountedAsDropped() throws Exception
    {
        final LiveRows rows = new LiveRows(1 << 10);
        rows.header(LiveRows.Table.PIPELINE, "wall_s,note");
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            final String id = server.register(tmp.resolve("r"), rows);
            for (int c = 0; c < 3; c++)
            {
                try (Socket client = new Socket())
                {
                    client.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    final OutputStream out = client.getOutputStream();
                    out.write(("GET /events?run=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    final InputStream in = client.getInputStream();
                    final byte[] head = new byte[12];
                    assertEquals(12, in.readNBytes(head, 0, 12));
                    assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
                }
            }
            // rows and heartbeats go on until the server finds each connection closed
            final long deadline = System.nanoTime() + 20_000_000_000L;
            String exposition = "";
            for (int i = 0; System.nanoTime() < deadline && !exposition.contains("sgdsim_sse_clients 0.0"); i++)
            {
                rows.append(LiveRows.Table.PIPELINE, i + ",x");
                Thread.sleep(100);
                exposition = LiveFixture.get(server.url() + "metrics").body();
            }
            assertTrue(exposition.contains("sgdsim_sse_clients 0.0"), exposition);
            assertTrue(exposition.contains("sgdsim_sse_dropped_clients_total 0.0"), exposition);
        }
    }

    private static Map<String, Config> runs(final LiveServer server) throws Exception
    {
        return LiveFixture.json(LiveFixture.get(server.url() + "api/runs").body()).getConfigList("runs").stream()
            .collect(Collectors.toMap(r -> r.getString("id"), r -> r));
    }

    /** A finished DFA run folder as `run --seeds` writes it: two epochs, the last at {@code steps}. */
    private static void dfaRun(final Path dir, final String name, final int seed, final int steps) throws Exception
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.conf"), "experiment {\n    kind=dfa\n    name=" + name + "\n    seed="
            + seed + "\n}\n");
        Files.writeString(dir.resolve("metrics.csv"), DFA_HEADER + "\n"
            + "1,43,1347,1.81,0.43,1.82,0.44,-0.02,0.98,5389,3.62,108.64,1.2\n"
            + "2," + steps + "," + steps * 32 + ",1.01,0.82,1.01,0.84,0.20,0.97,16165,10.86,325.9,1.5\n");
        Files.writeString(dir.resolve("summary.json"), "{\"name\": \"" + name + "\", \"kind\": \"dfa\"}\n");
    }

    /** A finished online run folder with its metrics rows (no pipeline rows: it ran under a second). */
    private static void onlineRun(final Path dir, final String name, final int seed) throws Exception
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.conf"), "experiment {\n    name=" + name + "\n    seed=" + seed + "\n}\n");
        Files.writeString(dir.resolve("metrics.csv"), "step,samples,wall_s,max_cos_1,risk,m_1_1,q_1_1\n"
            + "0,0,0.01,0.1,6.0,0.1,1.0\n40,320,0.2,0.5,5.2,0.5,1.0\n");
        Files.writeString(dir.resolve("summary.json"), "{\"name\": \"" + name + "\", \"reached\": true, "
            + "\"steps_to_threshold\": 40, \"samples_to_threshold\": 320}\n");
    }
}
