package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;

/**
 * online-sgd.md §3.3: for phase retrieval (z1², square activation, p = k = 1, unit rows) the general renormalised
 * ODE, with its expectations by exact quadrature, reduces to dm/dt = m[(4 − 24γ)(1 − m²) − 2γΔ].
 */
class PhaseRetrievalTest
{
    private static TheoryProblem problem(final double gamma, final double noise, final RowNormalization norm)
    {
        final int d = 1000;
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("z1^2"), Activation.parse("square"),
            new double[] {1.0}, Loss.SQUARE, noise);
        // learning-rate = γ/d in the unit-norm convention; p = 1, so η = γ/d and t = steps·γ/d.
        return new TheoryProblem(model, norm, gamma / d, 1, d);
    }

    @ParameterizedTest(name = "gamma = {0}, Delta = {1}, {2}")
    @CsvSource({"0.05, 1e-4, PROJECTED", "0.10, 1e-4, SPHERICAL", "0.05, 0.5, PROJECTED", "0.2, 1e-4, PROJECTED"})
    void generalRenormalisedOdeMatchesTheClosedForm(final double gamma, final double noise, final RowNormalization norm)
    {
        final TheoryProblem problem = problem(gamma, noise, norm);
        final double m0 = 0.05;
        final double[] times = {0.0, 0.5, 1.0, 2.0, 3.0, 5.0};
        final long[] steps = new long[times.length];
        for (int i = 0; i < times.length; i++)
        {
            steps[i] = Math.round(times[i] / problem.eta());
        }
        final TheoryCurve curve = TheoryCurve.compute(problem, new double[] {m0}, new double[] {1.0}, steps,
            TheoryCurve.Options.defaults());
        assertEquals(TheoryCurve.Method.ODE, curve.method());
        assertTrue(curve.expectations().startsWith("gauss-hermite-exact"), curve.expectations());
        for (final TheoryCurve.Point p : curve.points())
        {
            final double closed = PhaseRetrieval.overlap(m0, p.time(), gamma, noise);
            assertEquals(closed, p.m()[0], 1e-8, "m at t = " + p.time());
            assertEquals(1.0, p.q()[0], 1e-9, "unit row");
            assertEquals(PhaseRetrieval.risk(closed), p.risk(), 1e-7, "R = 2 - 2 m^2");
        }
    }

    @ParameterizedTest(name = "m = {0}")
    @CsvSource({"0.01", "0.3", "0.7", "0.99"})
    void driftOfTheGeneralEquationsIsTheClosedFormDrift(final double m)
    {
        final double gamma = 0.08;
        final double noise = 0.3;
        final TheoryProblem problem = problem(gamma, noise, RowNormalization.PROJECTED);
        final OverlapOde ode = new OverlapOde(FieldExpectations.choose(problem.model(), 1, 1), true,
            problem.noiseFactor());
        final double[] dy = ode.computeDerivatives(0.0, new double[] {m, 1.0});
        assertEquals(PhaseRetrieval.drift(m, gamma, noise), dy[0], 1e-12);
        assertEquals(0.0, dy[1], 1e-12, "Q_11 stays 1");
    }

    @ParameterizedTest(name = "gamma = {0}")
    @CsvSource({"0.05", "0.0833333333333", "0.15"})
    void escapeTimeInvertsTheSolution(final double gamma)
    {
        final double t = PhaseRetrieval.escapeTime(0.01, 0.5, gamma, 1e-4);
        assertEquals(0.5, PhaseRetrieval.overlap(0.01, t, gamma, 1e-4), 1e-10);
        // At small m the rate is 4 − 24γ: the time from 1e-3 to 1e-2 is ≈ ln 10 / rate.
        assertEquals(Math.log(10.0) / PhaseRetrieval.escapeRate(gamma),
            PhaseRetrieval.escapeTime(1e-3, 1e-2, gamma, 0.0), 1e-3);
    }
}
