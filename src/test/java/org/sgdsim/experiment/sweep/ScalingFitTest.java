package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The log-log fit recovers a known exponent, and its bootstrap interval covers it and is reproducible. */
class ScalingFitTest
{
    @Test
    void exactPowerLawGivesTheSlopeAndADegenerateInterval()
    {
        final double[] x = {16, 256, 4096};
        final List<double[]> y = new ArrayList<>();
        for (final double v : x)
        {
            y.add(new double[] {3.0e5 / v, 3.0e5 / v, 3.0e5 / v});
        }
        final ScalingFit fit = ScalingFit.fit(x, y, 500, 7, 0.95);
        assertEquals(-1.0, fit.slope(), 1e-12);
        assertEquals(Math.log(3.0e5), fit.intercept(), 1e-9);
        assertEquals(-1.0, fit.low(), 1e-12);
        assertEquals(-1.0, fit.high(), 1e-12);
        assertEquals(3.0e5 / 100, fit.at(100), 1e-6);
    }

    @Test
    void noisySeedsGiveTheSlopeWithinANarrowReproducibleInterval()
    {
        // y = 2·x^1.5 with log-normal scatter of 20% per seed, 24 seeds per point, five points
        final double slope = 1.5;
        final double[] x = {64, 128, 256, 512, 1024};
        final SplittableRandom random = new SplittableRandom(42);
        final List<double[]> y = new ArrayList<>();
        for (final double v : x)
        {
            final double[] seeds = new double[24];
            for (int s = 0; s < seeds.length; s++)
            {
                seeds[s] = 2.0 * Math.pow(v, slope) * Math.exp(0.2 * gaussian(random));
            }
            y.add(seeds);
        }
        final ScalingFit fit = ScalingFit.fit(x, y, 2000, 1, 0.95);
        assertEquals(slope, fit.slope(), 0.05);
        assertTrue(fit.low() < slope && slope < fit.high(), fit.low() + " .. " + fit.high());
        assertTrue(fit.high() - fit.low() < 0.15, "interval width " + (fit.high() - fit.low()));
        assertTrue(fit.low() < fit.slope() && fit.slope() < fit.high());
        final ScalingFit again = ScalingFit.fit(x, y, 2000, 1, 0.95);
        assertEquals(fit.low(), again.low(), 0.0);
        assertEquals(fit.high(), again.high(), 0.0);
    }

    @Test
    void pointsWithoutDataAreLeftOutAndOneValueIsNoFit()
    {
        final double[] x = {16, 256, 4096};
        final List<double[]> y = List.of(new double[] {100}, new double[0], new double[] {1});
        final ScalingFit fit = ScalingFit.fit(x, y, 100, 1, 0.95);
        assertEquals(2, fit.x().length);
        assertEquals(-Math.log(100) / Math.log(256), fit.slope(), 1e-12);
        assertNull(ScalingFit.fit(x, List.of(new double[] {1}, new double[0], new double[0]), 100, 1, 0.95));
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics()
    {
        final double[] v = {4, 1, 3, 2};
        assertEquals(2.5, Stats.median(v), 0.0);
        assertEquals(1.75, Stats.quantile(v, 0.25), 1e-15);
        assertEquals(3.25, Stats.quantile(v, 0.75), 1e-15);
        assertEquals(1.0, Stats.quantile(v, 0.0), 0.0);
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }

    private static double gaussian(final SplittableRandom random)
    {
        // Box–Muller: enough for test data
        return Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble())) * Math.cos(2.0 * Math.PI * random.nextDouble());
    }
}
