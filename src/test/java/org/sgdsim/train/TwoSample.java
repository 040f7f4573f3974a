package org.sgdsim.train;

import java.util.Arrays;

/** Two-sample statistics for the sampler equivalence tests: Kolmogorov–Smirnov distance and p-value, mean gaps. */
final class TwoSample
{
    private TwoSample()
    {
    }

    /** The KS distance sup_x |F_a(x) − F_b(x)| of the two empirical distributions. */
    static double ksDistance(final double[] a, final double[] b)
    {
        for (final double[] sample : new double[][] {a, b})
        {
            for (final double v : sample)
            {
                if (!Double.isFinite(v))
                {
                    throw new IllegalArgumentException("a sample holds " + v + ": the run diverged");
                }
            }
        }
        final double[] x = a.clone();
        final double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0.0;
        while (i < x.length && j < y.length)
        {
            final double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v)
            {
                i++;
            }
            while (j < y.length && y[j] <= v)
            {
                j++;
            }
            d = Math.max(d, Math.abs((double)i / x.length - (double)j / y.length));
        }
        return d;
    }

    /**
     * Asymptotic p-value of the KS distance D for sample sizes n and m: the Kolmogorov tail Q(λ) at
     * λ = (√nₑ + 0.12 + 0.11/√nₑ)·D, nₑ = nm/(n + m) (Stephens' correction, accurate for nₑ ≥ 4).
     */
    static double ksPValue(final double distance, final int n, final int m)
    {
        final double ne = (double)n * m / (n + m);
        final double lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * distance;
        if (lambda < 0.2)
        {
            return 1.0;
        }
        double sum = 0.0;
        for (int j = 1; j <= 100; j++)
        {
            sum += (j % 2 == 1 ? 2.0 : -2.0) * Math.exp(-2.0 * j * j * lambda * lambda);
        }
        return Math.max(0.0, Math.min(1.0, sum));
    }

    /** |mean(a) − mean(b)| in units of its standard error √(s_a²/n + s_b²/m). */
    static double meanGapInStandardErrors(final double[] a, final double[] b)
    {
        final double se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
        return Math.abs(mean(a) - mean(b)) / se;
    }

    static double mean(final double[] a)
    {
        double s = 0.0;
        for (final double v : a)
        {
            s += v;
        }
        return s / a.length;
    }

    static double variance(final double[] a)
    {
        final double m = mean(a);
        double s = 0.0;
        for (final double v : a)
        {
            s += (v - m) * (v - m);
        }
        return s / (a.length - 1);
    }
}
