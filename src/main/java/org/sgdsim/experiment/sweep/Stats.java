package org.sgdsim.experiment.sweep;

import java.util.Arrays;

/** Order statistics of small samples: quantiles by linear interpolation between order statistics (R type 7). */
public final class Stats
{
    private Stats()
    {
    }

    /** The q-quantile (0 ≤ q ≤ 1) of the values, NaN when there are none. */
    public static double quantile(final double[] values, final double q)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sortedQuantile(sorted, q);
    }

    /** As {@link #quantile} on values already sorted ascending. */
    public static double sortedQuantile(final double[] sorted, final double q)
    {
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final double h = (sorted.length - 1) * q;
        final int lo = (int)Math.floor(h);
        final int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The median, NaN when there are no values. */
    public static double median(final double[] values)
    {
        return quantile(values, 0.5);
    }
}
