package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.run.ReferenceTrainer;
import org.sgdsim.experiment.online.RunModel;

/**
 * online-sgd.md §4 D: plain online SGD of the erf committee at d = 1000 (the project's reference loop, three
 * seeds) follows the γ/p-corrected Saad–Solla ODE — within 5% at t = 1, 2, 5 and 3% later — and not the plain
 * gradient flow. About 15 s.
 */
@Tag("slow")
class SgdFollowsOdeSlowTest
{
    private static final int DIM = 1000;
    private static final int SEEDS = 3;
    /** η = lr/p = 0.25/d: t = 1 is 4000 steps. */
    private static final long STEPS_PER_UNIT_TIME = 4 * DIM;

    private static String experiment(final int seed)
    {
        return String.join("\n",
            "experiment { name = saad-solla, seed = " + seed + " }",
            "data { dim = " + DIM + ", noise = 1e-3 }",
            "teacher.target = \"(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2\"",
            "student { width = 2, activation = erf, second-layer = ones,",
            "  init = { M0 = [[0.2, 0.05], [0.1, 0.15]], Q0 = [[1, 0.1], [0.1, 1]] } }",
            "training { rule = sgd, loss = square, batch-size = 1, learning-rate = \"0.5/d\", normalization = none }",
            "stop.max-steps = " + 100 * STEPS_PER_UNIT_TIME,
            "metrics { every = " + STEPS_PER_UNIT_TIME + ", progress = false }");
    }

    @Test
    void sgdFollowsTheNoiseCorrectedOdeAndNotTheGradientFlow()
    {
        final double[] times = SaadSollaTableTest.TIMES;
        final double[] simulated = new double[times.length];
        for (int seed = 1; seed <= SEEDS; seed++)
        {
            final ExperimentSpec spec = ExperimentConfig.fromUserConfig(ConfigFactory.parseString(experiment(seed)));
            final List<String> rows = new java.util.ArrayList<>();
            new ReferenceTrainer(RunModel.build(spec).plan(), line -> rows.add(line.toString()), null).run();
            final int riskColumn = List.of(rows.get(0).split(",")).indexOf("risk");
            for (int i = 0; i < times.length; i++)
            {
                final String[] row = rows.get(1 + (int)times[i]).split(",");
                assertEquals(Math.round(times[i] * STEPS_PER_UNIT_TIME), Long.parseLong(row[0]));
                simulated[i] += Double.parseDouble(row[riskColumn]) / SEEDS;
            }
        }
        final TheoryProblem problem = SaadSollaTableTest.problem(DIM);
        final long[] steps = SaadSollaTableTest.steps(problem);
        final double[] ode = SaadSollaTableTest.risks(TheoryCurve.compute(problem, SaadSollaTableTest.M0,
            SaadSollaTableTest.Q0, steps, TheoryCurve.Options.defaults()));
        final double[] flow = SaadSollaTableTest.risks(TheoryCurve.compute(problem, SaadSollaTableTest.M0,
            SaadSollaTableTest.Q0, steps, TheoryCurve.Options.defaults().withNoiseTerms(false)));
        final StringBuilder table = new StringBuilder(
            "t, SGD mean of " + SEEDS + " seeds, ODE, SGD/ODE - 1, gradient flow, SGD/flow - 1\n");
        for (int i = 0; i < times.length; i++)
        {
            table.append(String.format("%5.0f  %.5f  %.5f  %+.2f%%  %.5f  %+.2f%%%n", times[i], simulated[i], ode[i],
                100 * (simulated[i] / ode[i] - 1), flow[i], 100 * (simulated[i] / flow[i] - 1)));
        }
        System.out.print(table);
        for (int i = 1; i < times.length; i++)
        {
            final double tolerance = times[i] <= 5 ? 0.05 : 0.03;
            assertEquals(ode[i], simulated[i], tolerance * ode[i], "SGD vs ODE at t = " + times[i] + "\n" + table);
        }
        for (final double t : new double[] {2, 5, 10})
        {
            final int i = java.util.Arrays.binarySearch(times, t);
            assertTrue(Math.abs(simulated[i] - ode[i]) < Math.abs(simulated[i] - flow[i]),
                "closer to the noise-corrected ODE than to the gradient flow at t = " + t + "\n" + table);
        }
        final int five = java.util.Arrays.binarySearch(times, 5.0);
        assertTrue(simulated[five] > 1.05 * flow[five], "the gradient flow is off by more than 5% at t = 5\n" + table);
    }
}
