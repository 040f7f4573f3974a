package org.sgdsim.math;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Both generators of {@code data.gaussian} pass {@link GaussianChecks} (moments to the 8th, tails beyond 3, 4 and
 * 5 sigma, χ² over 1000 equiprobable bins, KS, lag-1 and same-lane correlations, independence of sub-streams), and
 * the checks do catch a generator off by 1% in scale. The tolerances are derived in {@link GaussianChecks}.
 */
class GaussianStatisticsTest
{
    private static final int FAST_DRAWS = 2_000_000;
    private static final int SLOW_DRAWS = 100_000_000;
    // Drawn as a run draws them: d = 1000 at a time, then one more (the label noise), so calls straddle rounds.
    private static final int CALL = 1000;

    @ParameterizedTest
    @EnumSource(GaussianAlgorithm.class)
    void passesEveryCheck(final GaussianAlgorithm algorithm)
    {
        assertEquals(List.of(), draw(algorithm.stream(11, 3), FAST_DRAWS, 1 << 16, z -> z));
        assertNull(GaussianChecks.crossStreamFailure(algorithm.stream(11, 3), algorithm.stream(11, 4), FAST_DRAWS));
        assertNull(GaussianChecks.crossStreamFailure(algorithm.stream(11, 3), algorithm.stream(12, 3), FAST_DRAWS));
    }

    @Test
    void catchesAOnePercentScaleError()
    {
        // At n = 2e6 a variance of 1.0201 is 20 standard errors (sqrt(2/n) = 0.001) from 1.
        assertFalse(draw(GaussianAlgorithm.VECTOR.stream(11, 3), FAST_DRAWS, 1 << 16, z -> 1.01 * z).isEmpty());
    }

    @Test
    @Tag("slow")
    void vectorPassesEveryCheckOverAHundredMillionDraws()
    {
        // 10⁸ draws: P(|z| > 5) = 5.7e-7 is then about 57 events, and KS resolves 5.5e-4 in the CDF.
        assertEquals(List.of(), draw(GaussianAlgorithm.VECTOR.stream(5, 9), SLOW_DRAWS, 1 << 20, z -> z));
    }

    private static List<String> draw(final GaussianSource g, final int n, final int ksBins,
        final DoubleUnaryOperator transform)
    {
        final GaussianChecks checks = new GaussianChecks(1000, ksBins);
        final double[] buffer = new double[CALL + 1];
        int done = 0;
        while (done < n)
        {
            final int count = Math.min(CALL + 1, n - done);
            g.fill(buffer, 0, Math.min(CALL, count));
            if (count > CALL)
            {
                buffer[CALL] = g.nextGaussian();
            }
            checks.add(buffer, count, transform);
            done += count;
        }
        final List<String> failures = checks.failures();
        System.out.println(g.getClass().getSimpleName() + " over " + n + " draws: " + failures);
        return failures;
    }
}
