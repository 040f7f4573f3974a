package org.sgdsim.experiment;


import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.model.Teacher;
import org.sgdsim.run.ReferenceTrainer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceTrainerTest
{
    private static final String SMALL = String.join("\n",
        "data.dim = 60",
        "teacher.target = \"z1 + He3(z2)\"",
        "student { width = 3, activation = relu, second-layer = rademacher }",
        "training { batch-size = 4, learning-rate = \"0.2*nb/d\" }",
        "stop.max-steps = 300",
        "metrics { every = 25, progress = false, risk-samples = 10000 }");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"training.rule=sgd", "training.rule=displaced", "training.repeats=2",
        "training.normalization=spherical", "training.dataset-size=50", "training.loss=correlation"})
    void sameSeedGivesIdenticalMetrics(final String variant)
    {
        final List<String> a = ExperimentFixture.withoutWallTime(ExperimentFixture.rows(ExperimentFixture.spec(SMALL, variant)));
        final List<String> b = ExperimentFixture.withoutWallTime(ExperimentFixture.rows(ExperimentFixture.spec(SMALL, variant)));
        assertEquals(a, b);
        final List<String> c = ExperimentFixture.withoutWallTime(
            ExperimentFixture.rows(ExperimentFixture.spec(SMALL, variant, "experiment.seed=2")));
        assertNotEquals(a.get(a.size() - 1), c.get(c.size() - 1), "another seed, another run");
    }

    @Test
    void fullBatchGdDeterministic()
    {
        final String[] gd = {"training.rule=gd", "training.dataset-size=2*d", "stop.max-steps=5", "metrics.every=1"};
        final List<String> a = ExperimentFixture.rows(ExperimentFixture.spec(SMALL.replace("batch-size = 4, ", ""), gd));
        final List<String> b = ExperimentFixture.rows(ExperimentFixture.spec(SMALL.replace("batch-size = 4, ", ""), gd));
        assertEquals(ExperimentFixture.withoutWallTime(a), ExperimentFixture.withoutWallTime(b));
        assertEquals(7, a.size(), "header + steps 0..5");
    }

    @Test
    void runsWithDifferentBatchSizesSeeTheSameSamples()
    {
        // Eight steps of batch 1 and one step of batch 8 see the same eight samples; with a tiny linear step
        // the two end points agree to second order in γ (the first-order terms are identical sums). So a tenth of
        // the step must shrink their gap about a hundredfold; were the samples different, the gap would be first
        // order and shrink only tenfold. (A fixed bound on the gap held for one generator's samples and not for
        // another's: the second-order term is a sum over the samples' products.)
        final double[] coarse = gapAndMove(1e-6);
        final double[] fine = gapAndMove(1e-7);
        assertTrue(coarse[1] > 1e-7 && fine[1] > 1e-8, "the weights moved");
        assertTrue(coarse[0] < 1e-3 * coarse[1], "gap " + coarse[0] + " against a move of " + coarse[1]);
        assertTrue(fine[0] < coarse[0] / 50, "gap " + fine[0] + " at a tenth of the step, " + coarse[0] + " at the step");
    }

    // Largest gap between the end points of the two runs, and largest move of a weight, at step γ per sample.
    private static double[] gapAndMove(final double gamma)
    {
        final String linear = String.join("\n", "data.dim = 30", "teacher.target = \"z1\"",
            "student { width = 1, activation = linear, init = zero }", "stop.max-samples = 8",
            "metrics { every = 100, progress = false }");
        final RunModel one = RunModel.build(ExperimentFixture.spec(linear, "training.batch-size=1",
            "training.learning-rate=" + gamma));
        final RunModel eight = RunModel.build(ExperimentFixture.spec(linear, "training.batch-size=8",
            "training.learning-rate=" + 8 * gamma));
        final double[] w0 = one.student().weights().clone();
        new ReferenceTrainer(one.plan(), l -> { }, null).run();
        new ReferenceTrainer(eight.plan(), l -> { }, null).run();
        final double[] w1 = one.student().weights();
        final double[] w8 = eight.student().weights();
        double gap = 0.0;
        double moved = 0.0;
        for (int i = 0; i < w1.length; i++)
        {
            gap = Math.max(gap, Math.abs(w1[i] - w8[i]));
            moved = Math.max(moved, Math.abs(w1[i] - w0[i]));
        }
        return new double[] {gap, moved};
    }

    @Test
    void learnsHe2SingleIndexTarget()
    {
        final ExperimentSpec spec = ExperimentFixture.spec(String.join("\n",
            "data.dim = 200",
            "teacher.target = \"He2(z1)\"",
            "student { width = 1, activation = He2 }",
            "training { batch-size = 1, learning-rate = \"0.1/d\", normalization = projected }",
            "stop { max-samples = \"400*d\", when = { metric = max-cos-1, above = 0.9 } }",
            "metrics { every = log, progress = false }"));
        final RunModel model = RunModel.build(spec);
        final RunResult r = new ReferenceTrainer(model.plan(), l -> { }, null).run();
        assertTrue(r.reached(), "max-cos-1 > 0.9 within 400 d samples; final " + r.finalOverlaps().maxCos(0));
        assertEquals(RunResult.StopReason.THRESHOLD, r.stopReason());
        assertTrue(r.finalOverlaps().maxCos(0) > 0.9);
        assertTrue(r.finalRisk() < 0.25 * 2.0, "risk fell from R(0) ≈ 1 (E He2² = 2): " + r.finalRisk());
        assertEquals(r.stepsToThreshold(), r.steps());
    }

    @Test
    void initialisationsHaveTheirOverlaps()
    {
        final String base = String.join("\n", "data.dim = 100", "teacher.target = \"z1 + z2\"", "student.width = 3",
            "stop.max-steps = 1");
        final OrderParameters op = new OrderParameters(3, 2);
        final RunModel random = RunModel.build(ExperimentFixture.spec(base, "student.init=random"));
        op.compute(random.student().weights(), random.teacher().directions(), 100);
        for (int j = 0; j < 3; j++)
        {
            assertEquals(1.0, op.q(j, j), 1e-12);
            assertEquals(0.01, op.m(j, 0) * op.m(j, 0) + op.m(j, 1) * op.m(j, 1), 1e-12, "|M_j| = 1/√d");
            assertTrue(op.m(j, 0) >= 0.0);
        }
        final RunModel zero = RunModel.build(ExperimentFixture.spec(base, "student.init=zero"));
        op.compute(zero.student().weights(), zero.teacher().directions(), 100);
        assertEquals(0.0, Math.abs(op.m(1, 1)) + Math.abs(op.m(2, 0)), 1e-14);
        final RunModel explicit = RunModel.build(ExperimentFixture.spec(base,
            "student.init={M0=[[0.2,0.05],[0.1,0.15],[0,0]], Q0=[[1,0.1,0],[0.1,1,0],[0,0,0.5]]}"));
        op.compute(explicit.student().weights(), explicit.teacher().directions(), 100);
        assertEquals(0.05, op.m(0, 1), 1e-12);
        assertEquals(0.1, op.q(0, 1), 1e-12);
        assertEquals(0.5, op.q(2, 2), 1e-12);
        final Teacher t = explicit.teacher();
        final double[] w = t.directions();
        assertEquals(0.0, org.sgdsim.math.Kernels.dot(w, 0, w, 100, 100), 1e-14, "teacher rows orthonormal");
    }
}
