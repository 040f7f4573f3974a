package org.sgdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.metrics.MetricsRow;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.model.StreamReader;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.run.ReferenceTrainer;
import org.sgdsim.run.RunPlan;
import org.sgdsim.stream.PipelineRun;
import org.sgdsim.stream.plane.PipelineSinks;
import org.sgdsim.train.UpdateRule;

/**
 * A one-sample projected step leaves its projection to the next forward pass; every reader between steps must
 * still see W as an unfolded step leaves it. The oracle is a plain loop over an update rule that never folds.
 */
class FoldedProjectionTest
{
    private static final String QUICK = String.join("\n",
        "data.dim = 100",
        "teacher.target = \"He2(z1)\"",
        "student { width = 4, activation = He2 }",
        "training { batch-size = 1, learning-rate = \"0.5/d\", normalization = projected }",
        "stop { when = none, max-steps = 400, max-samples = none }",
        "metrics { every = 1, progress = false, risk-samples = 10000 }");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"metrics.every=1", "metrics.every=7", "metrics.every=log", "training.rule=displaced",
        "training.second-layer=sgd", "experiment.seed=5"})
    void everyRowAndTheFinalWeightsEqualTheUnfoldedLoop(final String variant)
    {
        final ExperimentSpec spec = ExperimentFixture.spec(QUICK, variant);
        final RunModel folded = RunModel.build(spec);
        final List<String> rows = new ArrayList<>();
        new ReferenceTrainer(folded.plan(), line -> rows.add(line.toString()), null).run();

        final RunModel plain = RunModel.build(spec);
        final Map<Long, String> oracle = unfoldedRows(plain.plan(), 400);
        final List<String> cells = ExperimentFixture.withoutWallTime(rows);
        assertTrue(cells.size() > 2, "rows were written");
        for (final String row : cells.subList(1, cells.size()))
        {
            final long step = Long.parseLong(row.substring(0, row.indexOf(',')));
            assertEquals(oracle.get(step), row, "row of step " + step);
        }
        assertArrayEquals(plain.student().weights(), folded.student().weights(), "W after the run");
        assertArrayEquals(plain.student().secondLayer(), folded.student().secondLayer(), "a after the run");
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} generators")
    @ValueSource(ints = {1, 2})
    @Timeout(60)
    void thePipelineLearnerRecordsTheUnfoldedRows(final int generators)
    {
        final ExperimentSpec spec = ExperimentFixture.spec(QUICK, "metrics.every=3");
        final RunModel folded = RunModel.build(spec);
        final List<String> rows = Collections.synchronizedList(new ArrayList<>());
        try (PipelineRun run = PipelineRun.start(folded.plan(), generators,
            new PipelineSinks(l -> rows.add(l.toString()), l -> { }, null, null), ConfigFactory.empty()))
        {
            run.await();
        }
        final RunModel plain = RunModel.build(spec);
        final Map<Long, String> oracle = unfoldedRows(plain.plan(), 400);
        final List<String> cells = ExperimentFixture.withoutWallTime(new ArrayList<>(rows));
        assertEquals(1 + 400 / 3 + 1 + 1, cells.size(), "header, every third step from 0, the final step");
        for (final String row : cells.subList(1, cells.size()))
        {
            assertEquals(oracle.get(Long.parseLong(row.substring(0, row.indexOf(',')))), row);
        }
        assertArrayEquals(plain.student().weights(), folded.student().weights(), "W after the run");
    }

    @Test
    @Timeout(60)
    void checkpointsHoldSettledWeights() throws IOException
    {
        final ExperimentSpec spec = ExperimentFixture.spec(QUICK, "metrics.every=10",
            "checkpoint.every-steps=37", "checkpoint.every-seconds=none", "checkpoint.keep=100");
        final Path out = tmp.resolve("run");
        Runs.start(spec, out, null, false).finish();
        final List<Path> files = new CheckpointStore(out, 100).files();
        assertTrue(files.size() >= 5, "checkpoints written: " + files);

        final RunModel plain = RunModel.build(spec);
        final UpdateRule rule = plain.plan().model().rule();
        final StreamReader reader = new StreamReader(plain.plan().blocks());
        final Map<Long, double[]> unfolded = new HashMap<>();
        for (long step = 1; step <= 400; step++)
        {
            oneStep(rule, reader);
            unfolded.put(step, plain.student().weights().clone());
        }
        for (final Path f : files)
        {
            final org.sgdsim.run.TrainingState state = CheckpointStore.decode(Files.readAllBytes(f), f).state();
            assertArrayEquals(unfolded.get(state.steps()), state.weights(), "checkpoint at step " + state.steps());
        }
        assertTrue(Files.exists(out.resolve("summary.json")));
    }

    @Test
    void settlingAtAnyStepLeavesWAsTheUnfoldedRule()
    {
        final ExperimentSpec spec = ExperimentFixture.spec(QUICK);
        final RunModel folded = RunModel.build(spec);
        final RunModel plain = RunModel.build(spec);
        final UpdateRule rule = folded.plan().model().rule();
        rule.foldProjection();
        final StreamReader a = new StreamReader(folded.plan().blocks());
        final StreamReader b = new StreamReader(plain.plan().blocks());
        boolean sawPending = false;
        for (int step = 1; step <= 200; step++)
        {
            oneStep(rule, a);
            oneStep(plain.plan().model().rule(), b);
            if (step % 3 == 0 || step % 5 == 0)
            {
                sawPending |= !java.util.Arrays.equals(plain.student().weights(), folded.student().weights());
                assertArrayEquals(plain.student().weights(), rule.settledWeights(), "step " + step);
            }
        }
        assertTrue(sawPending, "the fold left projections pending between settlements");
        assertArrayEquals(plain.student().weights(), rule.settledWeights());
    }

    private static void oneStep(final UpdateRule rule, final StreamReader reader)
    {
        rule.beginBatch(1);
        final int n = reader.next(1);
        rule.accumulate(reader.x(), reader.y(), reader.offset(), n);
        rule.endBatch();
    }

    /** The rows of every step 0..steps of a loop whose rule projects at once, without wall time. */
    private static Map<Long, String> unfoldedRows(final RunPlan plan, final int steps)
    {
        final TwoLayerNetwork student = plan.model().student();
        final UpdateRule rule = plan.model().rule();
        final int k = plan.model().teacher().k();
        final boolean trainsA = rule.trainsSecondLayer();
        final OrderParameters op = new OrderParameters(student.width(), k);
        if (trainsA)
        {
            op.trackSecondLayer();
        }
        final MetricsRow format = new MetricsRow(student.width(), k, trainsA);
        final StreamReader reader = new StreamReader(plan.blocks());
        final List<String> lines = new ArrayList<>();
        for (int step = 0; step <= steps; step++)
        {
            if (step > 0)
            {
                oneStep(rule, reader);
            }
            op.compute(student.weights(), plan.model().teacher().directions(), student.dim());
            if (trainsA)
            {
                System.arraycopy(student.secondLayer(), 0, op.secondLayer(), 0, student.width());
            }
            lines.add(format.format(step, step, 0.0, op, plan.monitoring().trackerRisk().risk(op)).toString());
        }
        final Map<Long, String> byStep = new HashMap<>();
        for (final String row : ExperimentFixture.withoutWallTime(lines))
        {
            byStep.put(Long.parseLong(row.substring(0, row.indexOf(','))), row);
        }
        return byStep;
    }
}
