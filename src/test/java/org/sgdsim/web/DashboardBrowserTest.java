package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        final Path chromium = Tools.require("chromium", "chromium");
        Process browser = null;
        Runs.Active run = null;
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            run = LiveFixture.start(tmp.resolve("run"), 500, 50_000_000);
            final String id = server.register(run.dir(), run.live());
            browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0",
                "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1400,1200", "about:blank")
                .redirectErrorStream(true).start();
            final String browserSocket = devToolsUrl(browser);
            final String port = browserSocket.replaceFirst("ws://[^:]+:(\\d+)/.*", "$1");
            final String list = LiveFixture.get("http://127.0.0.1:" + port + "/json/list").body();
            final Matcher page = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"|"
                + "\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(list);
            assertTrue(page.find(), list);
            try (DevTools tab = new DevTools(page.group(1) != null ? page.group(1) : page.group(2)))
            {
                tab.call("Runtime.enable", "{}");
                tab.call("Log.enable", "{}");
                tab.call("Page.enable", "{}");
                tab.call("Page.navigate", "{\"url\":\"" + server.url() + "#run=" + id + "\"}");

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
                final Config shot = tab.call("Page.captureScreenshot", "{\"format\":\"png\"}");
                final Path png = Path.of("target", "dashboard-live.png");
                Files.createDirectories(png.getParent());
                Files.write(png, Base64.getDecoder().decode(shot.getString("data")));
                assertTrue(Files.size(png) > 10_000, "screenshot " + png);

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
                assertEquals(List.of(), errors, "console errors");
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
            }
        }
        finally
        {
            Tools.stop(browser);
            if (run != null)
            {
                run.requestStop();
                run.finish();
            }
        }
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
