package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;

/**
 * The adaptive loss in the theory: the correlation curve up to the first reported point where the switch holds,
 * then exactly the square-loss curve started from that point's overlaps.
 */
class AdaptiveLossTheoryTest
{
    private static final double[] M0 = {0.2, 0.05, 0.1, 0.15};
    private static final double[] Q0 = {1.0, 0.1, 0.1, 1.0};

    private static TheoryProblem problem(final Loss loss, final double rate)
    {
        final StudentTeacher model = new StudentTeacher(
            Expression.parseTarget("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2"), Activation.parse("erf"),
            new double[] {0.6, 1.4}, loss, 1e-3);
        return new TheoryProblem(model, RowNormalization.NONE, 0.5 / 100, 4, 100, rate);
    }

    @Test
    void switchesOnceAtTheFirstPointWhereTheConditionHolds()
    {
        for (final double rate : new double[] {0.0, 0.005})
        {
            final long[] steps = {0, 400, 800, 1200, 1600, 2000};
            final TheoryCurve.Options options = TheoryCurve.Options.defaults();
            final TheoryCurve correlation = TheoryCurve.compute(problem(Loss.CORRELATION, rate), M0, Q0, steps, options);
            final double limit = 0.5 * (correlation.points().get(1).risk() + correlation.points().get(2).risk());
            assertTrue(correlation.points().get(1).risk() > limit && correlation.points().get(2).risk() < limit);
            final TheoryCurve adaptive = TheoryCurve.compute(problem(Loss.CORRELATION, rate), M0, Q0, steps, options,
                p -> p.risk() < limit);
            for (int i = 0; i <= 2; i++)
            {
                assertArrayEquals(correlation.points().get(i).m(), adaptive.points().get(i).m(), "M before the switch");
            }
            final TheoryCurve.Point at = adaptive.points().get(2);
            final TheoryProblem square = problem(Loss.SQUARE, rate);
            final TheoryProblem fromSwitch = rate == 0.0 ? square : new TheoryProblem(new StudentTeacher(
                square.model().target(), square.model().activation(), at.a(), Loss.SQUARE, 1e-3),
                RowNormalization.NONE, 0.5 / 100, 4, 100, rate);
            final TheoryCurve after = TheoryCurve.compute(fromSwitch, at.m(), at.q(), new long[] {0, 400, 800, 1200},
                options.withMethod(TheoryCurve.Method.RECURSION));
            for (int i = 3; i < steps.length; i++)
            {
                final TheoryCurve.Point expected = after.points().get(i - 2);
                final TheoryCurve.Point actual = adaptive.points().get(i);
                for (int c = 0; c < 4; c++)
                {
                    assertEquals(expected.m()[c], actual.m()[c], 1e-14, "M after the switch, rate " + rate);
                    assertEquals(expected.q()[c], actual.q()[c], 1e-14, "Q after the switch");
                }
                assertEquals(expected.risk(), actual.risk(), 1e-14);
                assertTrue(Math.abs(actual.risk() - correlation.points().get(i).risk()) > 1e-6, "the loss changed");
            }
        }
    }
}
