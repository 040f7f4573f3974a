package org.sgdsim.experiment.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A power law y ≈ A·x^slope fitted by least squares on (ln x, ln median y), with a percentile bootstrap interval:
 * each resample redraws every point's values with replacement (the seeds of that grid point) and refits the
 * medians. The resampling seed is fixed, so the interval is reproducible.
 *
 * @param x         the abscissae (one per point with data).
 * @param medians   the median y of each point.
 * @param slope     fitted exponent.
 * @param intercept fitted ln A.
 * @param low       lower end of the interval.
 * @param high      upper end of the interval.
 * @param level     the interval's coverage, e.g. 0.95.
 * @param resamples bootstrap resamples used.
 */
public record ScalingFit(double[] x, double[] medians, double slope, double intercept, double low, double high,
    double level, int resamples)
{
    /**
     * Fits the medians of each point's samples against x. Points without samples or with x ≤ 0 or a median ≤ 0
     * are left out; fewer than two distinct x values give null.
     *
     * @param x         abscissa of each point.
     * @param samples   the values of each point (e.g. the steps to threshold of its seeds that reached).
     * @param resamples bootstrap resamples.
     * @param seed      seed of the resampling.
     * @param level     coverage of the interval (0.95 for a 95% interval).
     */
    public static ScalingFit fit(final double[] x, final List<double[]> samples, final int resamples, final long seed,
        final double level)
    {
        final List<Integer> used = new ArrayList<>();
        for (int i = 0; i < x.length; i++)
        {
            if (x[i] > 0 && samples.get(i).length > 0 && Stats.median(samples.get(i)) > 0)
            {
                used.add(i);
            }
        }
        final double[] ux = new double[used.size()];
        final double[] um = new double[used.size()];
        for (int j = 0; j < ux.length; j++)
        {
            ux[j] = x[used.get(j)];
            um[j] = Stats.median(samples.get(used.get(j)));
        }
        if (Arrays.stream(ux).distinct().count() < 2)
        {
            return null;
        }
        final double[] line = leastSquares(ux, um);
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] slopes = new double[resamples];
        final double[] ym = new double[ux.length];
        for (int b = 0; b < resamples; b++)
        {
            for (int j = 0; j < ux.length; j++)
            {
                final double[] values = samples.get(used.get(j));
                final double[] draw = new double[values.length];
                for (int i = 0; i < draw.length; i++)
                {
                    draw[i] = values[random.nextInt(values.length)];
                }
                ym[j] = Stats.median(draw);
            }
            slopes[b] = leastSquares(ux, ym)[0];
        }
        Arrays.sort(slopes);
        final double tail = (1.0 - level) / 2.0;
        return new ScalingFit(ux, um, line[0], line[1], Stats.sortedQuantile(slopes, tail),
            Stats.sortedQuantile(slopes, 1.0 - tail), level, resamples);
    }

    /** Slope and intercept of ln y against ln x (y must be positive). */
    static double[] leastSquares(final double[] x, final double[] y)
    {
        final int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++)
        {
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++)
        {
            final double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        final double slope = sxy / sxx;
        return new double[] {slope, my - slope * mx};
    }

    /** The fitted power law at x. */
    public double at(final double xValue)
    {
        return Math.exp(intercept + slope * Math.log(xValue));
    }
}
