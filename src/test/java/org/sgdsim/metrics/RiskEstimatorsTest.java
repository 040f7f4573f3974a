package org.sgdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;

/** Closed form, exact quadrature and the Monte Carlo held-out set agree, and match published values. */
class RiskEstimatorsTest
{
    private static final double[] M0 = {0.2, 0.05, 0.1, 0.15};
    private static final double[] Q0 = {1.0, 0.1, 0.1, 1.0};

    @Test
    void erfCommitteeInitialRiskOfSaadSollaTable()
    {
        // online-sgd.md §4 D: R(t = 0) = 0.13480 for these overlaps.
        final Expression target = Expression.parseTarget("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2");
        final RiskEstimator r = RiskEstimators.choose(target, Activation.parse("erf"), new double[] {1, 1}, 100_000, 1);
        assertEquals("closed-form-erf", r.method());
        assertEquals(0.13480, r.risk(OrderParameters.of(2, 2, M0, Q0)), 5e-6);
    }

    @Test
    void erfClosedFormAgreesWithMonteCarlo()
    {
        final Expression target = Expression.parseTarget("0.7*erf(z1) - 0.4*erf(2*z2)");
        final double[] a = {1.0, -0.5};
        final RiskEstimator exact = RiskEstimators.choose(target, Activation.parse("erf"), a, 100_000, 3);
        final RiskEstimator mc = RiskEstimators.monteCarlo(target, Activation.parse("erf"), a, 400_000, 3);
        final OrderParameters op = OrderParameters.of(2, 2, new double[] {0.5, -0.2, 0.3, 0.6},
            new double[] {1.2, 0.3, 0.3, 0.9});
        assertEquals(exact.risk(op), mc.risk(op), 3e-3);
    }

    @Test
    void gaussHermiteIsExactAndAgreesWithMonteCarlo()
    {
        final Expression target = Expression.parseTarget("z1 + He3(z2)");
        final Activation sigma = Activation.parse("He3");
        final double[] a = {1.0, 1.0};
        final RiskEstimator exact = RiskEstimators.choose(target, sigma, a, 100_000, 3);
        assertTrue(exact.method().startsWith("gauss-hermite"), exact.method());
        final RiskEstimator mc = RiskEstimators.monteCarlo(target, sigma, a, 1_000_000, 3);
        final OrderParameters op = OrderParameters.of(2, 2, new double[] {0.3, 0.5, -0.2, 0.1},
            new double[] {1.0, 0.2, 0.2, 1.0});
        final double r = exact.risk(op);
        assertEquals(r, mc.risk(op), 0.02 * r);
    }

    @Test
    void gaussHermiteMatchesHandComputedSingleIndexHe3()
    {
        // p = k = 1, a = 1, He3 student and target, Q = 1, M = m: R = ½(6 − 2·6m³ + 6) = 6(1 − m³).
        final Expression target = Expression.parseTarget("He3(z1)");
        final RiskEstimator exact = RiskEstimators.choose(target, Activation.parse("He3"), new double[] {1}, 100_000, 1);
        for (final double m : new double[] {0.0, 0.3, -0.5, 0.9})
        {
            final OrderParameters op = OrderParameters.of(1, 1, new double[] {m}, new double[] {1.0});
            assertEquals(6.0 * (1.0 - m * m * m), exact.risk(op), 1e-11);
        }
    }

    @Test
    void monteCarloInitialRiskOfReusedBatchSetup()
    {
        // online-sgd.md §4 C: R(0) = ½(E y² + E f²) = 0.49159 for orthogonal relu units with a = (+√2, −√2).
        final Expression target = Expression.parseTarget("tanh(z1 + He3(z2))");
        final RiskEstimator r = RiskEstimators.choose(target, Activation.parse("relu"),
            new double[] {Math.sqrt(2), -Math.sqrt(2)}, 200_000, 1);
        assertTrue(r.method().startsWith("monte-carlo"), r.method());
        final OrderParameters op = OrderParameters.of(2, 2, new double[4], new double[] {1, 0, 0, 1});
        assertEquals(0.49159, r.risk(op), 3e-3);
    }
}
