package org.sgdsim.math;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.hipparchus.special.Erf;

/**
 * Goodness-of-fit checks of a stream of supposed N(0, 1) draws, each with a tolerance set by its own sampling error
 * rather than tuned: a statistic S with expected value μ and standard error σ/√n under H0 fails when
 * |S − μ| > Z·σ/√n. Z = 5 gives a two-sided false-alarm chance of 5.7e-7 per check (normal approximation; n ≥ 10⁶
 * makes it accurate here), so the dozen checks of one call fail by chance with probability below 1e-5; the seeds
 * are fixed, so a test either always passes or always fails.
 */
final class GaussianChecks
{
    /** Standard errors allowed either side. */
    static final double Z = 5.0;

    // E z^(2m) = (2m − 1)!!: 1, 3, 15, 105, and their variances E z^(4m) − (E z^(2m))²: 2, 96, 10170, 2016000.
    private static final double[] EVEN_MOMENT = {1.0, 3.0, 15.0, 105.0};
    private static final double[] EVEN_MOMENT_VARIANCE = {3.0 - 1.0, 105.0 - 9.0, 10395.0 - 225.0,
        2027025.0 - 11025.0};

    private final int chiSquareBins;
    private final double[] chiEdges;
    private final double[] ksEdges;
    private final long[] chiCounts;
    private final long[] ksCounts;
    private final double[] sums = new double[5];
    private final long[] tails = new long[3];
    private double lag1;
    private double lag8;
    private double previous;
    private final double[] lastRound = new double[8];
    private long n;

    /**
     * @param chiSquareBins equiprobable bins of the χ² test.
     * @param ksBins        equiprobable bins at whose edges the KS distance is taken: it then misses the true
     *                      sup |F_n − Φ| by at most 1/ksBins, far below the tolerance √(ln(2/α)/2)/√n when
     *                      ksBins ≫ √n.
     */
    GaussianChecks(final int chiSquareBins, final int ksBins)
    {
        this.chiSquareBins = chiSquareBins;
        this.chiEdges = quantiles(chiSquareBins);
        this.ksEdges = quantiles(ksBins);
        this.chiCounts = new long[chiSquareBins];
        this.ksCounts = new long[ksBins];
    }

    // The inner edges Φ⁻¹(i/bins), i = 1..bins−1.
    private static double[] quantiles(final int bins)
    {
        final double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++)
        {
            edges[i - 1] = Math.sqrt(2.0) * Erf.erfInv(2.0 * i / bins - 1.0);
        }
        return edges;
    }

    /** Add draws in the order they were made. */
    void add(final double[] z, final int count, final DoubleUnaryOperator transform)
    {
        for (int i = 0; i < count; i++)
        {
            final double v = transform.applyAsDouble(z[i]);
            final double v2 = v * v;
            sums[0] += v;
            sums[1] += v2;
            sums[2] += v2 * v2;
            sums[3] += v2 * v2 * v2;
            sums[4] += v2 * v2 * v2 * v2;
            final double a = Math.abs(v);
            if (a > 3.0)
            {
                tails[0]++;
                if (a > 4.0)
                {
                    tails[1]++;
                    if (a > 5.0)
                    {
                        tails[2]++;
                    }
                }
            }
            if (n > 0)
            {
                lag1 += previous * v;
            }
            final int lane = (int)(n & 7);
            if (n >= 8)
            {
                lag8 += lastRound[lane] * v;
            }
            lastRound[lane] = v;
            previous = v;
            chiCounts[bin(chiEdges, v)]++;
            ksCounts[bin(ksEdges, v)]++;
            n++;
        }
    }

    private static int bin(final double[] edges, final double v)
    {
        final int at = Arrays.binarySearch(edges, v);
        return at >= 0 ? at + 1 : -at - 1;
    }

    /** The checks that fail, one line each; empty when all pass. */
    List<String> failures()
    {
        final List<String> failed = new ArrayList<>();
        check(failed, "mean", sums[0] / n, 0.0, 1.0);
        for (int m = 1; m <= 4; m++)
        {
            check(failed, "E z^" + 2 * m, sums[m] / n, EVEN_MOMENT[m - 1], EVEN_MOMENT_VARIANCE[m - 1]);
        }
        for (int t = 0; t < 3; t++)
        {
            // A count beyond t + 3 sigma is binomial(n, p): its frequency has variance p(1 − p)/n.
            final double p = Erf.erfc((t + 3) / Math.sqrt(2.0));
            check(failed, "P(|z| > " + (t + 3) + ")", (double)tails[t] / n, p, p * (1.0 - p));
        }
        // Products of independent unit-variance draws have mean 0 and variance 1 (n − 1 and n − 8 of them: the
        // standard error uses n, a relative difference below 1e-5).
        check(failed, "lag-1 correlation (adjacent lanes)", lag1 / (n - 1), 0.0, 1.0);
        check(failed, "lag-8 correlation (same lane)", lag8 / (n - 8), 0.0, 1.0);

        // χ² over equiprobable bins: bins − 1 degrees of freedom, mean bins − 1 and variance 2(bins − 1).
        final double expected = (double)n / chiSquareBins;
        double chi2 = 0.0;
        for (final long c : chiCounts)
        {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        final int dof = chiSquareBins - 1;
        if (Math.abs(chi2 - dof) > Z * Math.sqrt(2.0 * dof))
        {
            failed.add(String.format("chi2 = %.1f over %d dof, allowed %d +- %.1f", chi2, dof, dof,
                Z * Math.sqrt(2.0 * dof)));
        }

        // KS: P(√n·D > λ) ≈ 2·exp(−2λ²) (Kolmogorov), so λ = √(ln(2/α)/2) for the same α as Z leaves.
        final double alpha = Erf.erfc(Z / Math.sqrt(2.0));
        final double lambda = Math.sqrt(Math.log(2.0 / alpha) / 2.0);
        long cumulative = 0;
        double d = 0.0;
        for (int i = 0; i < ksCounts.length - 1; i++)
        {
            cumulative += ksCounts[i];
            d = Math.max(d, Math.abs((double)cumulative / n - (i + 1.0) / ksCounts.length));
        }
        if (Math.sqrt(n) * d > lambda)
        {
            failed.add(String.format("KS sqrt(n) D = %.3f > %.3f", Math.sqrt(n) * d, lambda));
        }
        return failed;
    }

    private void check(final List<String> failed, final String what, final double value, final double expected,
        final double variance)
    {
        final double se = Math.sqrt(variance / n);
        if (Math.abs(value - expected) > Z * se)
        {
            failed.add(String.format("%s = %.6g, expected %.6g +- %.3g (%.1f se)", what, value, expected, Z * se,
                Math.abs(value - expected) / se));
        }
    }

    /** The draws of two sub-streams side by side: their correlation, |r| within Z/√n. */
    static String crossStreamFailure(final GaussianSource a, final GaussianSource b, final int n)
    {
        final double[] x = new double[n];
        final double[] y = new double[n];
        a.fill(x, 0, n);
        b.fill(y, 0, n);
        double s = 0.0;
        for (int i = 0; i < n; i++)
        {
            s += x[i] * y[i];
        }
        final double r = s / n;
        return Math.abs(r) > Z / Math.sqrt(n) ? String.format("cross-stream correlation %.3g > %.3g", r,
            Z / Math.sqrt(n)) : null;
    }
}
