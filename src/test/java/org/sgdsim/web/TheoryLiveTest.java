package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.Runs;

/**
 * With {@code theory.enabled} the theory is there from the run's first row, to the run's budget, and cut back to
 * the run's last row step when it ends (theory.csv keeps its documented shape).
 */
class TheoryLiveTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void theTheoryIsServedFromTheFirstRowAndCutToTheRunAtItsEnd() throws Exception
    {
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            // stops at max-cos 0.6 before its budget of 2e5 samples (10 000 steps of n_b = 20)
            final Runs.Active run = LiveFixture.start(tmp.resolve("run"), 50, 200_000,
                "theory.enabled = true\ntraining.batch-size = 20\nstop.when = { metric = max-cos-1, above = 0.6 }\n");
            final Path theory = run.dir().resolve("theory.csv");
            assertTrue(Files.isRegularFile(theory), "theory.csv before the first row");
            final String id = server.register(run.dir(), run.live());
            final Config early = LiveFixture.json(LiveFixture.get(server.url() + "api/runs/" + id + "/metrics").body());
            final List<? extends Object> rows = early.getList("theory.rows").unwrapped();
            assertEquals(10_000.0, ((Number) ((List<?>) rows.get(rows.size() - 1)).get(0)).doubleValue(),
                "the theory goes to the run's budget");
            run.finish();
            final List<String> metrics = Files.readAllLines(run.dir().resolve("metrics.csv"));
            final List<String> curve = Files.readAllLines(theory);
            final String lastStep = metrics.get(metrics.size() - 1).split(",")[0];
            assertFalse(lastStep.equals("10000"), "the run stopped before its budget");
            assertEquals(lastStep, curve.get(curve.size() - 1).split(",")[0], "theory.csv ends at the run's last row");
            assertEquals(metrics.get(0), curve.get(0), "same columns");
            assertTrue(Files.isRegularFile(run.dir().resolve("theory.json")));

            // a run to its budget: the curve written at the start, cut at the run's last row, with its theory.json
            final Runs.Active full = LiveFixture.start(tmp.resolve("full"), 50, 2_000, "theory.enabled = true\n");
            final String before = Files.readString(full.dir().resolve("theory.csv"));
            full.finish();
            final List<String> fullRows = Files.readAllLines(full.dir().resolve("metrics.csv"));
            final List<String> fullCurve = Files.readAllLines(full.dir().resolve("theory.csv"));
            assertEquals(before, String.join("\n", fullCurve) + "\n", "the run ended on the budget's last row");
            assertEquals(fullRows.get(fullRows.size() - 1).split(",")[0],
                fullCurve.get(fullCurve.size() - 1).split(",")[0]);
            final Config summary = LiveFixture.json(Files.readString(full.dir().resolve("theory.json")));
            assertEquals(fullCurve.size() - 1, summary.getInt("rows"));
            assertEquals(2_000, summary.getLong("last_step"));
        }
    }
}
