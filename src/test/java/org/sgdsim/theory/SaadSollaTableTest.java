package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;

/**
 * online-sgd.md §4 D: the Saad–Solla ODE of the erf committee (p = k = 2, a = 1, Δ = 1e-3, γ_SS = 0.5, i.e.
 * learning-rate 0.5/d in the unit-norm convention), with and without the γ/p term.
 */
class SaadSollaTableTest
{
    static final double[] TIMES = {0, 1, 2, 5, 10, 20, 50, 100};
    static final double[] WITH_NOISE_TERM = {.13480, .07895, .04439, .01058, .00513, .00425, .00328, .00182};
    static final double[] GRADIENT_FLOW = {.13480, .07675, .04154, .00941, .00482, .00400, .00308, .00170};
    static final double[] M0 = {0.2, 0.05, 0.1, 0.15};
    static final double[] Q0 = {1.0, 0.1, 0.1, 1.0};

    static TheoryProblem problem(final int dim)
    {
        final StudentTeacher model = new StudentTeacher(
            Expression.parseTarget("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2"), Activation.parse("erf"),
            new double[] {1.0, 1.0}, Loss.SQUARE, 1e-3);
        return new TheoryProblem(model, RowNormalization.NONE, 0.5 / dim, 1, dim);
    }

    /** Steps at the table's times: t = steps·η with η = lr/p = 0.25/d. */
    static long[] steps(final TheoryProblem problem)
    {
        final long[] s = new long[TIMES.length];
        for (int i = 0; i < TIMES.length; i++)
        {
            s[i] = Math.round(TIMES[i] / problem.eta());
        }
        return s;
    }

    static double[] risks(final TheoryCurve curve)
    {
        final List<TheoryCurve.Point> points = curve.points();
        final double[] r = new double[points.size()];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = points.get(i).risk();
        }
        return r;
    }

    /**
     * The table prints five decimals, so an entry like .00182 carries a rounding error of up to 2.7e-3 relative:
     * "to 1e-3 relative" is checked as 1e-3 relative or half a unit of the last printed digit, whichever is larger
     * (equivalently: our value rounds to the printed one).
     */
    private static void assertTable(final double[] expected, final double[] actual, final String what)
    {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
        {
            final double tolerance = Math.max(1e-3 * expected[i], 0.5e-5);
            assertEquals(expected[i], actual[i], tolerance, what + " at t = " + TIMES[i]);
        }
    }

    @Test
    void odeWithNoiseTermReproducesTheTable()
    {
        final TheoryProblem problem = problem(1000);
        final TheoryCurve curve = TheoryCurve.compute(problem, M0, Q0, steps(problem), TheoryCurve.Options.defaults());
        assertEquals(TheoryCurve.Method.ODE, curve.method());
        assertEquals("closed-form-erf", curve.expectations());
        assertNull(curve.stopped());
        assertTable(WITH_NOISE_TERM, risks(curve), "ODE with the gamma/p term");
    }

    @Test
    void gradientFlowReproducesTheTable()
    {
        final TheoryProblem problem = problem(1000);
        final TheoryCurve curve = TheoryCurve.compute(problem, M0, Q0, steps(problem),
            TheoryCurve.Options.defaults().withNoiseTerms(false));
        assertTable(GRADIENT_FLOW, risks(curve), "gamma/p -> 0");
    }

    @Test
    void fixedStepRk4AndAdaptiveDormandPrinceAgree()
    {
        // The table was computed with RK4, dt = 0.01.
        final TheoryProblem problem = problem(1000);
        final double[] adaptive = risks(TheoryCurve.compute(problem, M0, Q0, steps(problem),
            TheoryCurve.Options.defaults()));
        final TheoryCurve rk4 = TheoryCurve.compute(problem, M0, Q0, steps(problem),
            TheoryCurve.Options.defaults().withFixedStep(0.01));
        assertTrue(rk4.integrator().startsWith("classical RK4"), rk4.integrator());
        final double[] fixed = risks(rk4);
        for (int i = 0; i < adaptive.length; i++)
        {
            assertEquals(adaptive[i], fixed[i], 1e-9 * Math.max(1.0, adaptive[i]));
        }
    }

    @Test
    void odeDependsOnDimensionOnlyThroughTime()
    {
        // In t = steps·η the equations contain d only through η·d/n_b = γ_SS/p, fixed here.
        final TheoryProblem small = problem(1000);
        final TheoryProblem large = problem(100_000);
        final double[] a = risks(TheoryCurve.compute(small, M0, Q0, steps(small), TheoryCurve.Options.defaults()));
        final double[] b = risks(TheoryCurve.compute(large, M0, Q0, steps(large), TheoryCurve.Options.defaults()));
        for (int i = 0; i < a.length; i++)
        {
            assertEquals(a[i], b[i], 1e-9);
        }
    }

    @Test
    void oneStepRecursionApproachesTheOdeAtSmallSteps()
    {
        // d = 1000: η = 2.5e-4, so the map differs from the ODE by O(η) relative (measured: at most 1.3e-4).
        final TheoryProblem problem = problem(1000);
        final double[] ode = risks(TheoryCurve.compute(problem, M0, Q0, steps(problem), TheoryCurve.Options.defaults()));
        final TheoryCurve map = TheoryCurve.compute(problem, M0, Q0, steps(problem),
            TheoryCurve.Options.defaults().withMethod(TheoryCurve.Method.RECURSION));
        assertEquals(TheoryCurve.Method.RECURSION, map.method());
        final double[] recursion = risks(map);
        for (int i = 0; i < ode.length; i++)
        {
            assertEquals(ode[i], recursion[i], 5e-4 * ode[i], "t = " + TIMES[i]);
        }
    }
}
