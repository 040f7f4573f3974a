package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.Runs;

/**
 * Headless Chromium with {@code --virtual-time-budget} pauses its clock while the page has a fetch pending: the
 * dashboard of a live run must still finish loading (its event stream is held by a worker, not the page), so
 * {@code --dump-dom} and {@code --screenshot} return.
 */
class VirtualTimeBudgetTest
{
    @TempDir
    Path tmp;

    @Test
    @org.junit.jupiter.api.Tag("slow")
    @Timeout(120)
    void aLiveDashboardFinishesUnderAVirtualTimeBudget() throws Exception
    {
        final Path chromium = Tools.require("chromium", "chromium");
        Runs.Active run = null;
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            run = LiveFixture.start(tmp.resolve("run"), 500, 50_000_000_000L);
            final String id = server.register(run.dir(), run.live());
            final Path dom = tmp.resolve("dom.html");
            final Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + tmp.resolve("profile"),
                "--virtual-time-budget=2000", "--dump-dom", server.url() + "#run=" + id)
                .redirectOutput(dom.toFile()).redirectError(tmp.resolve("chromium.log").toFile()).start();
            final boolean finished = browser.waitFor(60, TimeUnit.SECONDS);
            if (!finished)
            {
                browser.destroyForcibly().waitFor();
            }
            assertTrue(finished, "chromium --virtual-time-budget=2000 --dump-dom did not return within 60 s");
            assertEquals(0, browser.exitValue(), Files.readString(tmp.resolve("chromium.log")));
            final String html = Files.readString(dom, StandardCharsets.UTF_8);
            assertTrue(html.contains("<main id=\"charts\">") && html.contains("class=\"chart"), html);
        }
        finally
        {
            if (run != null)
            {
                run.requestStop();
                run.finish();
            }
        }
    }
}
