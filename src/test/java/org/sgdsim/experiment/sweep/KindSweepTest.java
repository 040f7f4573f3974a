package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.dfa.DfaKind;

/** Sweeps of the kinds besides online go through the same engine: planned, run, skipped when done, reported. */
class KindSweepTest
{
    @TempDir
    Path tmp;

    @Test
    void theShippedDfaSweepPlansRunsAndResumes() throws Exception
    {
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(Path.of("conf", "sweeps", "dfa-feedback-rules.conf"),
            List.of("seeds=1", "dfa.epochs=1", "dfa.train-size=400", "dfa.test-size=100")), null, 1);
        assertEquals(DfaKind.KIND, plan.kind());
        assertEquals(3, plan.runs().size());
        final SweepRunner runner = new SweepRunner(plan, tmp, 1, null);
        assertTrue(runner.run().isEmpty(), "other kinds' reports read the run folders");
        assertEquals(3, runner.done());
        final List<String> lines = KindSweepReport.write(plan, tmp, runner::runDir);
        final List<String> runs = Files.readAllLines(tmp.resolve("runs.csv"));
        assertEquals(4, runs.size(), String.join("\n", runs));
        final List<String> header = List.of(runs.get(0).split(","));
        assertTrue(header.contains("dfa.rule") && header.contains("final.test_nmse"), runs.get(0));
        for (final String rule : List.of("bp", "dfa", "shallow"))
        {
            assertTrue(runs.stream().anyMatch(r -> r.contains("," + rule + ",")), rule);
        }
        assertTrue(lines.get(lines.size() - 1).contains("3 dfa runs"), lines.toString());
        // A second pass finds every run finished (a DFA run's rows count epochs, its summary both).
        final SweepRunner again = new SweepRunner(plan, tmp, 1, null);
        again.run();
        assertEquals(3, again.skipped());
        assertEquals(0, again.done());
    }

    @Test
    void theStaircaseSweepMarksWhereALeapOneDirectionIsLearned() throws Exception
    {
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(Path.of("conf", "sweeps", "giant-step-staircase.conf"),
            List.of("seeds=1", "grid.\"giant.kappa\"=[0.5, 2]", "data.dim=48", "student.width=48",
                "readout.samples=\"2*d\"", "readout.test-samples=\"2*d\"")), null, 1);
        assertEquals(8, plan.runs().size());
        final SweepRunner runner = new SweepRunner(plan, tmp, 1, null);
        runner.run();
        final List<String> lines = KindSweepReport.write(plan, tmp, runner::runDir);
        assertTrue(lines.contains("He1+He2: z1 learned (mean max_cos ≥ 0.70) from kappa = 2.00"), lines.toString());
        assertTrue(Files.size(tmp.resolve("plots").resolve("test-error-vs-kappa.png")) > 0);
        assertTrue(Files.size(tmp.resolve("plots").resolve("max-cos-vs-kappa.png")) > 0);
        final List<String> summary = Files.readAllLines(tmp.resolve("summary.csv"));
        assertEquals(9, summary.size());
        assertTrue(summary.get(0).contains("rf_test_error") && summary.get(0).contains("test_error"), summary.get(0));
    }
}
