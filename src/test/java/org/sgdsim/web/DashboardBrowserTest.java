package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.Runs;

/**
 * Real headless Chromium against a live run: the dashboard loads without console errors, the max-cos chart gains
 * points while the run advances, and a screenshot is saved as target/dashboard-live.png.
 */
class DashboardBrowserTest
{
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void curvesGrowWithoutConsoleErrors() throws Exception
    {
        final Process[] browser = new Process[1];
        Runs.Active run = null;
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            run = LiveFixture.start(tmp.resolve("run"), 500, 50_000_000);
            final String id = server.register(run.dir(), run.live());
            try (DevTools tab = open(browser, server.url() + "#run=" + id))
            {
                final List<Integer> seen = new ArrayList<>();
                final long deadline = System.nanoTime() + 120_000_000_000L;
                while (System.nanoTime() < deadline)
                {
                    final int points = points(tab);
                    seen.add(points);
                    if (points > 0 && seen.get(0) >= 0 && points > firstPositive(seen) && seen.size() > 2)
                    {
                        break;
                    }
                    Thread.sleep(500);
                }
                final int first = firstPositive(seen);
                final int last = seen.get(seen.size() - 1);
                assertTrue(first > 0 && last > first, "max-cos points seen over time: " + seen);
                assertTrue(run.live().next() > 0 && !run.live().finished(), "the run was still going");

                final int largest = tab.call("Runtime.evaluate", "{\"expression\":\"Math.max(0, ...window.sgdsim.charts"
                    + ".map(c => c.xs.length))\",\"returnByValue\":true}").getInt("result.value");
                assertTrue(largest > 0 && largest <= 2001, "every chart's buffer stays bounded: " + largest);
                final Path png = Path.of("target", "dashboard-live.png");
                screenshot(tab, png);
                assertTrue(Files.size(png) > 10_000, "screenshot " + png);

                assertEquals(List.of(), errors(tab), "console errors");
                // decimation: 5000 more rows leave at most 2000 points per chart, the newest kept
                final String thinned = tab.call("Runtime.evaluate", "{\"expression\":\"(() => { for (let i = 1; i <= 5000; i++)"
                    + " window.sgdsim.addRow('metrics', {step: 1e12 + i, max_cos_1: 0.5, risk: 0.1});"
                    + " const c = window.sgdsim.charts.find(c => c.def.id === 'maxcos');"
                    + " return c.xs.length + ',' + c.xs[c.xs.length - 1]; })()\",\"returnByValue\":true}")
                    .getString("result.value");
                final int kept = Integer.parseInt(thinned.split(",")[0]);
                assertTrue(kept > 500 && kept <= 2000, "points kept after 5000 more rows: " + thinned);
                assertEquals(1e12 + 5000, Double.parseDouble(thinned.split(",")[1]), "the newest row is kept");
                final String title = tab.call("Runtime.evaluate",
                    "{\"expression\":\"document.title\",\"returnByValue\":true}").getString("result.value");
                assertEquals("sgdsim live", title);
                // no theory.csv: no title promises a theory curve
                assertEquals("max-cos per teacher direction|population risk", eval(tab,
                    "['maxcos', 'risk'].map(id => document.querySelector('#chart-' + id + ' h2').textContent).join('|')"));
            }
        }
        finally
        {
            Tools.stop(browser[0]);
            if (run != null)
            {
                run.requestStop();
                run.finish();
            }
        }
    }

    /** With theory.enabled the theory curve is overlaid, and named in the titles, while the run is still going. */
    @Test
    @Timeout(180)
    void theTheoryIsOverlaidFromTheStart() throws Exception
    {
        final Process[] browser = new Process[1];
        Runs.Active run = null;
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            run = LiveFixture.start(tmp.resolve("run"), 500, 50_000_000, "theory.enabled = true\n");
            final String id = server.register(run.dir(), run.live());
            try (DevTools tab = open(browser, server.url() + "#run=" + id))
            {
                assertEquals("true", await(tab, "document.querySelector('#chart-maxcos h2').textContent"
                    + " === 'max-cos per teacher direction (theory dashed)'"
                    + " && window.sgdsim.charts.find(c => c.def.id === 'maxcos').plot.series.length === 3"));
                assertFalse(run.live().finished(), "the run was still going");
                assertEquals("population risk (theory dashed)", eval(tab,
                    "document.querySelector('#chart-risk h2').textContent"));
                assertEquals(List.of(), errors(tab), "console errors");
            }
        }
        finally
        {
            Tools.stop(browser[0]);
            if (run != null)
            {
                run.requestStop();
                run.finish();
            }
        }
    }

    /**
     * A DFA seed set: named by experiment and seed in the picker, one chart per kind of column, and the accuracy
     * chart's y-range fits accuracy (before, frame counts up to 10^5 shared its axis). Screenshot:
     * target/dashboard-dfa.png.
     */
    @Test
    @Timeout(180)
    void dfaRunGetsAChartPerKindOfColumn() throws Exception
    {
        final Path out = tmp.resolve("dfa");
        assertEquals(0, LiveFixture.cli("run", "conf/experiments/dfa-digits-opu.conf", "--seeds", "0-1", "--set",
            "dfa.epochs=4", "--out", out.toString(), "-q"));
        final Process[] browser = new Process[1];
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            server.browse(out);
            try (DevTools tab = open(browser, server.url() + "#run=seed-1"))
            {
                assertEquals("true", await(tab, "(document.getElementById('chart-frames') || {}).hidden === false"
                    + " && Number(document.getElementById('chart-accuracy').dataset.points) === 4"));
                final String range = eval(tab, "(() => { const c = window.sgdsim.charts.find(c => c.def.id ==="
                    + " 'accuracy'); return c.plot.scales.y.min + ',' + c.plot.scales.y.max + ',' + c.cols.join(' '); })()");
                final String[] r = range.split(",");
                assertTrue(Double.parseDouble(r[0]) >= -0.1 && Double.parseDouble(r[1]) <= 1.1
                    && Double.parseDouble(r[1]) >= 0.5, "accuracy y-range " + range);
                assertEquals("train_acc test_acc", r[2]);
                for (final String chart : List.of("loss", "alignment", "fidelity", "frames", "optical_s", "energy"))
                {
                    assertEquals("false", eval(tab, "document.getElementById('chart-" + chart + "').hidden"), chart);
                }
                // no pipeline.csv: those charts are not drawn
                assertEquals("true", eval(tab, "document.getElementById('chart-throughput').hidden"));
                final String options = eval(tab, "Array.from(document.querySelectorAll('#run option'))"
                    + ".map(o => o.parentNode.label + ': ' + o.textContent).join('; ')");
                assertTrue(options.contains("dfa-digits-opu · seed 0 (finished)")
                    && options.contains("dfa-digits-opu · seed 1 (finished)"), options);
                screenshot(tab, Path.of("target", "dashboard-dfa.png"));
                assertEquals(List.of(), errors(tab), "console errors");
            }
        }
        finally
        {
            Tools.stop(browser[0]);
        }
    }

    /**
     * A sweep folder: progress, the table of points, the scaling plots and the phase diagram with its theory lines,
     * the seeds of one point with their median band, and a click on a seed's link opens its run.
     */
    @Test
    @Timeout(240)
    void sweepPageShowsProgressScalingAndSeeds() throws Exception
    {
        final Path conf = tmp.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("tiny.conf"), String.join("\n",
            "experiment { name = tiny, seed = 1 }",
            "data.dim = 64",
            "teacher.target = \"He3(z1)\"",
            "student { width = 1, activation = He3 }",
            "training { loss = correlation, learning-rate = \"0.01*nb*d^-1.5\", normalization = projected }",
            "stop { max-samples = \"20*d^2\", when = { metric = max-cos-1, above = 0.5 } }",
            "metrics.risk-samples = 10000",
            "checkpoint.every-seconds = none"));
        Files.writeString(conf.resolve("tiny-sweep.conf"), String.join("\n",
            "experiment = \"tiny.conf\"",
            "grid { \"training.batch-size\" = [8, 64] }",
            "seeds = 3"));
        final Path out = tmp.resolve("sweep");
        assertEquals(0, LiveFixture.cli("sweep", conf.resolve("tiny-sweep.conf").toString(), "--out", out.toString(), "-q",
            "--latency", "0.001"));
        final Process[] browser = new Process[1];
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            server.browse(out);
            try (DevTools tab = open(browser, server.url()))
            {
                assertEquals("true", await(tab, "document.getElementById('progress').dataset.done === '6'"
                    + " && document.querySelectorAll('#points-table tbody tr').length === 2"
                    + " && !!document.getElementById('sweep-chart-phase') && !document.getElementById('sweep-chart-phase').hidden"));
                assertEquals("done 6 · running 0 · failed 0 · pending 0 of 6", eval(tab,
                    "document.getElementById('progress').textContent"));
                assertEquals("false", eval(tab, "document.getElementById('sweep-chart-T').hidden"));
                assertEquals("false", eval(tab, "document.getElementById('sweep-chart-nbT').hidden"));
                // medians and the theory's T per group, the phase diagram with both theory lines
                assertEquals("2", eval(tab, "document.getElementById('sweep-chart-T').dataset.series"));
                assertTrue(eval(tab, "Array.from(document.querySelectorAll('#sweep-chart-phase .u-legend th'))"
                    + ".map(t => t.textContent).join('|')").contains("theory, correlation loss"));
                eval(tab, "document.querySelector('#points-table tbody tr[data-point=batch-size-64]').click()");
                assertEquals("true", await(tab, "document.getElementById('seeds').dataset.curves === '3'"));
                assertTrue(eval(tab, "document.getElementById('seeds-title').textContent").contains("batch-size-64"));
                screenshot(tab, Path.of("target", "dashboard-sweep.png"));
                eval(tab, "document.querySelector('#seeds-links a[data-run]').click()");
                assertEquals("true", await(tab, "location.hash.startsWith('#run=runs%2Fbatch-size-64-seed')"
                    + " && Number((document.getElementById('chart-maxcos') || {dataset: {}}).dataset.points) > 0"));
                assertEquals(List.of(), errors(tab), "console errors");
            }
        }
        finally
        {
            Tools.stop(browser[0]);
        }
    }


    /** Headless Chromium with a DevTools tab on {@code url}; the caller stops the browser. */
    private DevTools open(final Process[] browser, final String url) throws Exception
    {
        final Path chromium = Tools.require("chromium", "chromium");
        browser[0] = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0",
            "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1400,1200", "about:blank")
            .redirectErrorStream(true).start();
        final String browserSocket = devToolsUrl(browser[0]);
        final String port = browserSocket.replaceFirst("ws://[^:]+:(\\d+)/.*", "$1");
        final String list = LiveFixture.get("http://127.0.0.1:" + port + "/json/list").body();
        final Matcher page = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"|"
            + "\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(list);
        assertTrue(page.find(), list);
        final DevTools tab = new DevTools(page.group(1) != null ? page.group(1) : page.group(2));
        tab.call("Runtime.enable", "{}");
        tab.call("Log.enable", "{}");
        tab.call("Page.enable", "{}");
        tab.call("Page.navigate", "{\"url\":\"" + url + "\"}");
        return tab;
    }

    /** Evaluates a JavaScript expression in the page; its value as text. */
    private static String eval(final DevTools tab, final String expression) throws Exception
    {
        final Config r = tab.call("Runtime.evaluate", "{\"expression\":" + RowJson.quote("String(" + expression + ")")
            + ",\"returnByValue\":true}");
        return r.hasPath("result.value") ? r.getString("result.value") : "";
    }

    /** Polls {@code expression} until it is "true" or a minute passes; returns its last value. */
    private static String await(final DevTools tab, final String expression) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        String v = "";
        while (System.nanoTime() < deadline)
        {
            v = eval(tab, expression);
            if (v.equals("true"))
            {
                return v;
            }
            Thread.sleep(250);
        }
        return v;
    }

    /** Saves a screenshot of the page as {@code png}. */
    private static void screenshot(final DevTools tab, final Path png) throws Exception
    {
        final Config shot = tab.call("Page.captureScreenshot", "{\"format\":\"png\"}");
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(shot.getString("data")));
    }

    /** Console errors and exceptions the page reported. */
    private static List<String> errors(final DevTools tab)
    {
        final List<String> errors = new ArrayList<>();
        for (final Config e : tab.events())
        {
            final String method = e.getString("method");
            if (method.equals("Runtime.exceptionThrown")
                || (method.equals("Runtime.consoleAPICalled")
                    && List.of("error", "assert").contains(e.getString("params.type")))
                || (method.equals("Log.entryAdded") && e.getString("params.entry.level").equals("error")))
            {
                errors.add(e.root().render());
            }
        }
        return errors;
    }

    private static int firstPositive(final List<Integer> seen)
    {
        return seen.stream().filter(p -> p > 0).findFirst().orElse(0);
    }

    private static int points(final DevTools tab) throws Exception
    {
        final Config r = tab.call("Runtime.evaluate", "{\"expression\":\"Number((document.getElementById('chart-maxcos')"
            + " || {dataset: {}}).dataset.points || 0)\",\"returnByValue\":true}");
        return r.getInt("result.value");
    }

    /** Reads Chromium's output until it names its DevTools WebSocket; keeps draining it afterwards. */
    private static String devToolsUrl(final Process browser) throws Exception
    {
        final CompletableFuture<String> url = new CompletableFuture<>();
        final StringBuilder output = new StringBuilder();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    synchronized (output)
                    {
                        output.append(line).append('\n');
                    }
                    final Matcher m = DEVTOOLS.matcher(line);
                    if (m.find())
                    {
                        url.complete(m.group(1));
                    }
                }
            }
            catch (final java.io.IOException ignored)
            {
                // the browser was stopped
            }
            url.complete(null);
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        final String ws = url.get(60, TimeUnit.SECONDS);
        if (ws == null)
        {
            synchronized (output)
            {
                fail("chromium did not start its DevTools endpoint: " + output);
            }
        }
        return ws;
    }
}
