package org.sgdsim.math;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

import org.hipparchus.analysis.integration.gauss.HermiteRuleFactory;
import org.hipparchus.util.Pair;

/**
 * Gauss–Hermite quadrature for expectations over z ~ N(0, 1), built from Hipparchus and cached per size.
 */
public final class GaussHermite
{
    /** Largest number of points Hipparchus will compute a rule for. */
    public static final int MAX_POINTS = 1000;

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final ConcurrentHashMap<Integer, Rule> CACHE = new ConcurrentHashMap<>();

    /**
     * A rule with E[f(z)] ≈ Σ weights[i]·f(nodes[i]); the arrays are shared between callers and must not be modified.
     *
     * @param nodes   abscissae in ascending order.
     * @param weights probability weights summing to one.
     */
    public record Rule(double[] nodes, double[] weights)
    {
        /**
         * Number of points of the rule.
         *
         * @return length of the node array.
         */
        public int points()
        {
            return nodes.length;
        }

        /**
         * Applies the rule to a function of one standard normal variable.
         *
         * @param f integrand.
         * @return approximation of E[f(z)].
         */
        public double expectation(final DoubleUnaryOperator f)
        {
            double sum = 0.0;
            for (int i = 0; i < nodes.length; i++)
            {
                sum += weights[i] * f.applyAsDouble(nodes[i]);
            }
            return sum;
        }
    }

    private GaussHermite()
    {
    }

    /**
     * The rule with the given number of points, exact for polynomials of degree up to 2·points − 1.
     *
     * @param points number of nodes in 1..{@link #MAX_POINTS}.
     * @return the shared, cached rule; callers must not modify its arrays.
     * @throws IllegalArgumentException if points is out of range.
     */
    public static Rule rule(final int points)
    {
        if (points < 1 || points > MAX_POINTS)
        {
            throw new IllegalArgumentException(
                "Gauss-Hermite points must be in 1.." + MAX_POINTS + ", got " + points);
        }

        return CACHE.computeIfAbsent(points, GaussHermite::compute);
    }

    private static Rule compute(final int points)
    {
        // Hipparchus integrates against exp(-x²); substituting z = √2·x turns that into the N(0, 1) density.
        final Pair<double[], double[]> physicists = new HermiteRuleFactory().getRule(points);
        final double[] x = physicists.getFirst();
        final double[] w = physicists.getSecond();

        final double[] nodes = new double[points];
        final double[] weights = new double[points];
        double total = 0.0;
        for (int i = 0; i < points; i++)
        {
            nodes[i] = SQRT_2 * x[i];
            total += w[i];
        }

        // Normalising by the computed sum rather than by √π makes Σ weights = 1 hold to rounding.
        for (int i = 0; i < points; i++)
        {
            weights[i] = w[i] / total;
        }

        return new Rule(nodes, weights);
    }
}
