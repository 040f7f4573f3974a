package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.dfa.DfaKind;
import org.sgdsim.experiment.dfa.DfaSpec;
import org.sgdsim.experiment.online.OnlineKind;
import org.sgdsim.metrics.RunResult;

/** stop.max-wall stops a run at a checkpoint with its own stop_reason; resume (with a fresh budget) ends identical. */
class WallBudgetTest
{
    private static final String ONLINE = String.join("\n",
        "experiment.name = wall",
        "data { dim = 60, block-size = 16 }",
        "teacher.target = \"He3(z1)\"",
        "student { width = 3, activation = He3 }",
        "training { batch-size = 4, learning-rate = \"0.1*nb/d^1.5\" }",
        "stop.max-steps = 60000",
        "metrics { every = log, progress = false, risk-samples = 10000 }",
        "checkpoint { every-steps = none, every-seconds = none, keep = 3 }");

    // Enough epochs that the 1 ms budget runs out long before the last one ends (a warm epoch takes about a
    // millisecond here; with 2 epochs a late timer once let the run end first).
    private static final int DFA_EPOCHS = 100;

    private static final String DFA = String.join("\n",
        "experiment { name = wall-dfa, seed = 4, kind = dfa }",
        "network.widths = [64, 12, 10]",
        "dfa { epochs = " + DFA_EPOCHS + ", batch-size = 128, learning-rate = 0.05, alignment-every = 4 }",
        "checkpoint { every-steps = none, every-seconds = none, keep = 3 }");

    @TempDir
    Path tmp;

    private Experiment spec(final String base, final String... overrides) throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, base);
        return ExperimentConfig.loadAny(file, List.of(overrides), null);
    }

    @Test
    @Timeout(60)
    void anOnlineRunStoppedByItsBudgetResumesToTheUninterruptedEnd() throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path budgeted = tmp.resolve("budgeted");
        Runs.start((ExperimentSpec)spec(ONLINE), whole, null, false).finish();
        final RunResult first = Runs.start((ExperimentSpec)spec(ONLINE, "stop.max-wall=1ms"), budgeted, null, false)
            .as(OnlineKind.KIND).finish();

        assertEquals(RunResult.StopReason.MAX_WALL, first.stopReason());
        assertTrue(first.steps() < 60_000, "stopped at step " + first.steps());
        assertTrue(Files.readString(budgeted.resolve("summary.json")).contains("\"stop_reason\": \"max-wall\""));
        assertFalse(new CheckpointStore(budgeted, 3).files().isEmpty(), "a checkpoint at the stop");
        assertTrue(Files.readString(budgeted.resolve("metrics.csv")).lines()
            .anyMatch(l -> l.startsWith(first.steps() + ",")), "the last row, at step " + first.steps());

        // The same budget again would stop again; a fresh one (none) lets it end.
        final RunResult end = Runs.resume(budgeted, false, List.of("stop.max-wall=none"), null, n -> { })
            .as(OnlineKind.KIND).finish();
        assertEquals(RunResult.StopReason.MAX_STEPS, end.stopReason());
        assertEquals(withoutWall(whole.resolve("metrics.csv"), 2), withoutWall(budgeted.resolve("metrics.csv"), 2));
        assertEquals(deterministicSummary(whole), deterministicSummary(budgeted));
        assertTrue(Files.readString(budgeted.resolve("config.conf")).contains("max-wall=none"));
        assertTrue(Files.readString(budgeted.resolve("config.json")).contains("\"max-wall\" : \"none\""));
    }

    @Test
    @Timeout(60)
    void aDfaRunStopsAtAnEpochEndAndResumesToTheUninterruptedEnd() throws IOException
    {
        final Path whole = tmp.resolve("whole");
        final Path budgeted = tmp.resolve("budgeted");
        Runs.start((DfaSpec)spec(DFA), whole, null, false).finish();
        final DfaKind.Result first = Runs.start((DfaSpec)spec(DFA, "stop.max-wall=1ms"), budgeted, null, false)
            .as(DfaKind.KIND).finish();

        assertEquals("max-wall", first.stopReason());
        assertTrue(first.outcome().epochs() < DFA_EPOCHS, "stopped after epoch " + first.outcome().epochs());
        assertTrue(Files.readString(budgeted.resolve("summary.json")).contains("\"stop_reason\": \"max-wall\""));

        final DfaKind.Result end = Runs.resume(budgeted, false, List.of("stop.max-wall=1h"), null, n -> { })
            .as(DfaKind.KIND).finish();
        assertEquals("epochs", end.stopReason());
        assertEquals(withoutWall(whole.resolve("metrics.csv"), -1), withoutWall(budgeted.resolve("metrics.csv"), -1));
        assertEquals(deterministicSummary(whole), deterministicSummary(budgeted));
    }

    @Test
    void resumeRefusesKeysOutsideStopAndBadDurationsBeforeTouchingTheFolder() throws IOException
    {
        final Path dir = tmp.resolve("run");
        Runs.start((ExperimentSpec)spec(ONLINE, "stop.max-wall=1ms"), dir, null, false).finish();
        final String summary = Files.readString(dir.resolve("summary.json"));
        final String config = Files.readString(dir.resolve("config.conf"));
        final UserError key = assertThrows(UserError.class,
            () -> Runs.resume(dir, false, List.of("data.dim=50"), null, n -> { }));
        assertEquals("--set data.dim: resume takes stop.* keys only (e.g. stop.max-wall=2h); the rest of a run is "
            + "fixed by its config.conf and checkpoints", key.getMessage());
        final UserError duration = assertThrows(UserError.class,
            () -> Runs.resume(dir, false, List.of("stop.max-wall=soon"), null, n -> { }));
        assertEquals("--set: stop.max-wall: expected none or a positive duration with its unit (2h, 90m, 30s, 500ms), "
            + "got 'soon'", duration.getMessage());
        assertEquals(summary, Files.readString(dir.resolve("summary.json")));
        assertEquals(config, Files.readString(dir.resolve("config.conf")));
    }

    @Test
    @Timeout(10)
    void theFirstOfSignalAndBudgetNamesTheStopAndBothDrain() throws InterruptedException
    {
        final java.util.concurrent.atomic.AtomicInteger drains = new java.util.concurrent.atomic.AtomicInteger();
        try (WallBudget signalFirst = WallBudget.arm(
            com.typesafe.config.ConfigFactory.parseString("stop.max-wall = 200ms"), drains::incrementAndGet))
        {
            signalFirst.stop(RunResult.StopReason.INTERRUPTED);
            Thread.sleep(400); // the budget runs out after the signal: no second name, no second drain
            assertEquals(1, drains.get());
            assertEquals(RunResult.StopReason.INTERRUPTED, signalFirst.report(RunResult.StopReason.INTERRUPTED));
        }
        final java.util.concurrent.CountDownLatch spent = new java.util.concurrent.CountDownLatch(1);
        try (WallBudget budgetFirst = WallBudget.arm(
            com.typesafe.config.ConfigFactory.parseString("stop.max-wall = 1ms"), spent::countDown))
        {
            spent.await();
            budgetFirst.stop(RunResult.StopReason.INTERRUPTED); // SIGTERM while draining still drains
            assertEquals(RunResult.StopReason.MAX_WALL, budgetFirst.report(RunResult.StopReason.INTERRUPTED));
            // A run that reached its end while the budget ran out keeps its own reason.
            assertEquals(RunResult.StopReason.THRESHOLD, budgetFirst.report(RunResult.StopReason.THRESHOLD));
        }
        try (WallBudget none = WallBudget.arm(com.typesafe.config.ConfigFactory.parseString("stop.max-wall = none"),
            drains::incrementAndGet))
        {
            Thread.sleep(50);
            assertEquals(1, drains.get());
            assertEquals(RunResult.StopReason.MAX_STEPS, none.report(RunResult.StopReason.MAX_STEPS));
        }
    }

    /** Rows without the wall_s column (the third of an online run's rows, the last of a DFA run's). */
    private static List<String> withoutWall(final Path metrics, final int column) throws IOException
    {
        return Files.readAllLines(metrics).stream().map(l ->
        {
            final String[] cells = l.split(",", -1);
            final int c = column < 0 ? cells.length - 1 : column;
            cells[c] = "";
            return String.join(",", cells);
        }).collect(Collectors.toList());
    }

    /** summary.json without the fields that measure time. */
    private static List<String> deterministicSummary(final Path run) throws IOException
    {
        final String json = Files.readString(run.resolve("summary.json"));
        final int timing = json.indexOf("\"latency\"");
        return (timing < 0 ? json : json.substring(0, timing)).lines().filter(l -> !l.contains("wall_seconds"))
            .collect(Collectors.toList());
    }
}
