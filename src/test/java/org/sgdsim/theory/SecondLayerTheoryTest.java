package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/** The pieces of the trained-second-layer theory agree with each other and with independent estimates. */
class SecondLayerTheoryTest
{
    private static final double[] M = {0.2, 0.05, 0.1, 0.15};
    private static final double[] Q = {1.0, 0.1, 0.1, 1.0};

    /** E[e σ_j] of the erf closed form matches Monte Carlo, before and after a is changed. */
    @Test
    void closedFormDriftOfAMatchesMonteCarlo()
    {
        final StudentTeacher model = new StudentTeacher(
            Expression.parseTarget("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2"), Activation.parse("erf"),
            new double[] {0.6, 1.4}, Loss.SQUARE, 1e-3);
        final FieldExpectations exact = FieldExpectations.choose(model, 1000, 1L);
        final FieldExpectations mc = FieldExpectations.monteCarlo(model, 400_000, 3L);
        for (final double[] a : new double[][] {{0.6, 1.4}, {-0.3, 2.0}})
        {
            exact.secondLayer(a);
            mc.secondLayer(a);
            final FieldTerms e = new FieldTerms(2, 2);
            final FieldTerms m = new FieldTerms(2, 2);
            exact.evaluate(M, Q, e);
            mc.evaluate(M, Q, m);
            for (int j = 0; j < 2; j++)
            {
                assertEquals(m.i2()[j], e.i2()[j], 3e-3, "E[e sigma_" + j + "] at a = " + a[0] + ", " + a[1]);
                assertEquals(m.i3Target(j, 0), e.i3Target(j, 0), 3e-3);
            }
            assertEquals(mc.risk(M, Q), exact.risk(M, Q), 2e-3);
        }
    }

    /** The one-step recursion at n_b = 1 and the ODE give the same a and risk (the step is O(1/d)). */
    @Test
    void recursionAndOdeAgreeOnTrainedA()
    {
        final TheoryProblem problem = SecondLayerSgdFollowsOdeSlowTest.problem(1.0 / 1000);
        final long[] steps = {0, 2000, 8000};
        final TheoryCurve ode = TheoryCurve.compute(problem, M, Q, steps,
            TheoryCurve.Options.defaults().withMethod(TheoryCurve.Method.ODE));
        final TheoryCurve map = TheoryCurve.compute(problem, M, Q, steps,
            TheoryCurve.Options.defaults().withMethod(TheoryCurve.Method.RECURSION));
        for (int i = 0; i < steps.length; i++)
        {
            final TheoryCurve.Point o = ode.points().get(i);
            final TheoryCurve.Point r = map.points().get(i);
            assertEquals(o.risk(), r.risk(), 0.01 * o.risk(), "risk at step " + steps[i]);
            assertEquals(o.a()[0], r.a()[0], 1e-3, "a_1 at step " + steps[i]);
            assertEquals(o.a()[1], r.a()[1], 1e-3, "a_2 at step " + steps[i]);
        }
        // γ_a = 2γ: a moves at twice the rate of the run with γ_a = γ at first.
        final TheoryCurve slower = TheoryCurve.compute(SecondLayerSgdFollowsOdeSlowTest.problem(0.5 / 1000), M, Q,
            new long[] {0, 40}, TheoryCurve.Options.defaults().withMethod(TheoryCurve.Method.RECURSION));
        final TheoryCurve faster = TheoryCurve.compute(problem, M, Q, new long[] {0, 40},
            TheoryCurve.Options.defaults().withMethod(TheoryCurve.Method.RECURSION));
        assertEquals(2.0, (faster.points().get(1).a()[0] - 0.6) / (slower.points().get(1).a()[0] - 0.6), 0.01);
    }
}
