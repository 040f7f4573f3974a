package org.sgdsim.train;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.StudentInit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Physics does not see which generator drew the data: the He3 hitting-time distribution (steps until the overlap
 * reaches 0.9 from 0.25) over 240 data seeds with {@code data.gaussian = vector} against as many with
 * {@code ziggurat}. The two samples are independent draws of one law under H0, so the two-sample KS p-value is
 * uniform: failing below 1e-3 is a false alarm once in a thousand. The 99.9% bootstrap percentile interval of the
 * difference of medians covers 0 with probability about 0.999 under H0.
 */
class GaussianHittingTimeTest
{
    private static final int SEEDS = 240;
    private static final double THRESHOLD = 0.9;
    private static final int MAX_STEPS = 100_000;
    private static final int RESAMPLES = 4000;

    @Test
    @Tag("slow")
    void he3HittingTimesAgreeBetweenGenerators()
    {
        final SamplerRuns.Setting s = new SamplerRuns.Setting("He3 p=1 correlation spherical d=32 nb=1", 32, 1, 1,
            "He3(z1)", "He3", Loss.CORRELATION, RowNormalization.SPHERICAL, 0.002, 0.0, new StudentInit.Overlap(0.25));
        final double[] vector = SamplerRuns.hittingSteps(s, GaussianAlgorithm.VECTOR, SEEDS, THRESHOLD, MAX_STEPS);
        final double[] ziggurat = SamplerRuns.hittingSteps(s, GaussianAlgorithm.ZIGGURAT, SEEDS, THRESHOLD,
            MAX_STEPS);

        final double p = TwoSample.ksPValue(TwoSample.ksDistance(vector, ziggurat), SEEDS, SEEDS);
        final double[] interval = medianDifferenceInterval(vector, ziggurat);
        System.out.printf("%s: median %.0f (vector) vs %.0f (ziggurat) steps, 99.9%% bootstrap interval of the "
            + "difference [%.0f, %.0f], KS p = %.3f%n", s, median(vector), median(ziggurat), interval[0],
            interval[1], p);
        assertTrue(Arrays.stream(vector).allMatch(t -> t <= MAX_STEPS), "a vector run did not reach the overlap");
        assertTrue(Arrays.stream(ziggurat).allMatch(t -> t <= MAX_STEPS), "a ziggurat run did not reach the overlap");
        assertTrue(p > 1e-3, "hitting-time distributions differ: KS p = " + p);
        assertTrue(interval[0] <= 0.0 && interval[1] >= 0.0, "medians differ: 99.9% interval of the difference ["
            + interval[0] + ", " + interval[1] + "]");
    }

    // Percentile bootstrap of median(a) − median(b), each sample resampled with replacement on its own.
    private static double[] medianDifferenceInterval(final double[] a, final double[] b)
    {
        final SplittableRandom random = new SplittableRandom(19);
        final double[] differences = new double[RESAMPLES];
        final double[] ra = new double[a.length];
        final double[] rb = new double[b.length];
        for (int r = 0; r < RESAMPLES; r++)
        {
            for (int i = 0; i < a.length; i++)
            {
                ra[i] = a[random.nextInt(a.length)];
            }
            for (int i = 0; i < b.length; i++)
            {
                rb[i] = b[random.nextInt(b.length)];
            }
            differences[r] = median(ra) - median(rb);
        }
        Arrays.sort(differences);
        return new double[] {differences[(int)(0.0005 * RESAMPLES)], differences[(int)(0.9995 * RESAMPLES) - 1]};
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
