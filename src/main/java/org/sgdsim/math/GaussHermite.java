package org.sgdsim.math;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

import org.hipparchus.analysis.integration.gauss.HermiteRuleFactory;
import org.hipparchus.util.Pair;

/**
 * Gauss–Hermite quadrature for expectations over z ~ N(0, 1), built from Hipparchus and cached per size. Rules of up
 * to {@link #TABLED} points are read from a table of the same rules (gauss-hermite.txt, checked bit for bit against
 * Hipparchus by the tests): Hipparchus computes them in extended precision, 60 ms for 40 points in a fresh JVM.
 */
public final class GaussHermite
{
    /** Largest number of points Hipparchus will compute a rule for. */
    public static final int MAX_POINTS = 1000;

    /** Rules of up to this many points come from the table. */
    public static final int TABLED = 64;
    static final String TABLE = "gauss-hermite.txt";

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

        return CACHE.computeIfAbsent(points, n -> n <= TABLED ? tabled(n) : computed(n));
    }

    /** Line n of the table: n, then the n nodes and the n weights as hexadecimal doubles, separated by spaces. */
    private static Rule tabled(final int points)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            Objects.requireNonNull(GaussHermite.class.getResourceAsStream(TABLE), TABLE), StandardCharsets.US_ASCII)))
        {
            String line;
            final String prefix = points + " ";
            while ((line = in.readLine()) != null)
            {
                if (line.startsWith(prefix))
                {
                    final String[] fields = line.split(" ");
                    final double[] nodes = new double[points];
                    final double[] weights = new double[points];
                    for (int i = 0; i < points; i++)
                    {
                        nodes[i] = Double.parseDouble(fields[1 + i]);
                        weights[i] = Double.parseDouble(fields[1 + points + i]);
                    }
                    return new Rule(nodes, weights);
                }
            }
            throw new IllegalStateException(TABLE + " has no rule of " + points + " points");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The rule computed by Hipparchus: what the table holds, and every rule above its size. */
    static Rule computed(final int points)
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
