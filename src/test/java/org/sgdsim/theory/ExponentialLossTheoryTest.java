package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/** The exponential loss in the theory: its drift against an independent two-dimensional quadrature. */
class ExponentialLossTheoryTest
{
    /**
     * p = k = 1, linear student f = a·λ, target y = z1, Q = 1, M = m: E[e σ'(λ) ν] = E[ν² exp(min(−a ν λ, 2))] with
     * ν = mλ + √(1 − m²)ξ, by a trapezoid rule over (λ, ξ), against the theory's Monte Carlo and quadrature.
     */
    @Test
    void driftMatchesIndependentQuadrature()
    {
        final double a = 0.8;
        final double m = 0.5;
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("z1"), Activation.parse("linear"),
            new double[] {a}, Loss.EXPONENTIAL, 0.0);
        final FieldExpectations chosen = FieldExpectations.choose(model, 400_000, 2L);
        assertTrue(chosen.method().startsWith("monte-carlo"), chosen.method());
        final FieldTerms terms = new FieldTerms(1, 1);
        chosen.evaluate(new double[] {m}, new double[] {1.0}, terms);
        final FieldTerms gh = new FieldTerms(1, 1);
        FieldExpectations.quadrature(model, 80).evaluate(new double[] {m}, new double[] {1.0}, gh);

        final double s = Math.sqrt(1 - m * m);
        final int n = 1200;
        final double lo = -9.0;
        final double h = 18.0 / n;
        double sum = 0.0;
        for (int i = 0; i <= n; i++)
        {
            final double l = lo + i * h;
            for (int j = 0; j <= n; j++)
            {
                final double xi = lo + j * h;
                final double nu = m * l + s * xi;
                final double w = (i == 0 || i == n ? 0.5 : 1.0) * (j == 0 || j == n ? 0.5 : 1.0);
                sum += w * nu * nu * Math.exp(Math.min(-a * nu * l, 2.0)) * Math.exp(-0.5 * (l * l + xi * xi));
            }
        }
        final double expected = sum * h * h / (2 * Math.PI);
        assertEquals(expected, gh.i3Target(0, 0), 2e-3 * expected);
        assertEquals(expected, terms.i3Target(0, 0), 0.02 * expected);
    }

    @Test
    void refusesLabelNoise()
    {
        assertThrows(IllegalArgumentException.class, () -> new StudentTeacher(Expression.parseTarget("z1"),
            Activation.parse("linear"), new double[] {1.0}, Loss.EXPONENTIAL, 0.01));
    }
}
