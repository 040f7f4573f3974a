package org.sgdsim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.StudentInit;

/**
 * The low-rank sampler draws the same steps in distribution as the explicit one (docs/theory.md, "Low-rank
 * sampler"): after 1 and 4 steps from one fixed teacher and initial student, every overlap M_jr and Q_jl over
 * 200 data seeds per sampler passes a two-sample Kolmogorov–Smirnov test. Threshold: family-wise α = 10⁻³ per
 * setting, Bonferroni over the m entries × checkpoints (each p-value ≥ 10⁻³/m; the Q_jj ≡ 1 of normalised rules
 * are left out). Negative controls show the test has the power to see a wrong sampler: leaving out the orthogonal
 * term L·Y·(I − UᵀU) fails it in every setting with n_b ≤ 2d, and γ off by 25% fails it where the drift of 4 steps shows.
 * The same holds with a trained second layer (a_1..a_p compared too) and the adaptive loss, with their own controls.
 */
class LowRankSamplerTest
{
    static final int SEEDS = 200;
    static final double FAMILY_ALPHA = 1e-3;
    private static final int D = 40;
    /** γ_a / γ of the trained-a settings. */
    private static final double SECOND_LAYER_RATE = 2.0;
    private static final String ERF2 = "(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2";

    static Stream<SamplerRuns.Setting> settings()
    {
        final StudentInit two = new StudentInit.Explicit(new double[] {0.4, 0.1, 0.05, 0.3},
            new double[] {1.0, 0.2, 0.2, 1.0});
        final StudentInit three = new StudentInit.Explicit(new double[] {0.4, 0.1, 0.05, 0.3, 0.2, 0.2},
            new double[] {1.0, 0.2, 0.1, 0.2, 1.0, 0.3, 0.1, 0.3, 1.0});
        return Stream.of(
            new SamplerRuns.Setting("He3 p=1 correlation projected nb=1", D, 1, 1, "He3(z1)", "He3",
                Loss.CORRELATION, RowNormalization.PROJECTED, 0.05, 0.0, new StudentInit.Overlap(0.5)),
            new SamplerRuns.Setting("He3 p=1 square plain nb=d noise", D, D, 1, "He3(z1)", "He3",
                Loss.SQUARE, RowNormalization.NONE, 0.005, 0.1, new StudentInit.Overlap(0.3)),
            new SamplerRuns.Setting("He3 committee p=k=2 square spherical nb=4d", D, 4 * D, 2,
                "(He3(z1) + He3(z2))/2", "He3", Loss.SQUARE, RowNormalization.SPHERICAL, 0.3, 0.0, two),
            new SamplerRuns.Setting("He3 committee p=k=2 correlation projected nb=d/4", D, D / 4, 2,
                "(He3(z1) + He3(z2))/2", "He3", Loss.CORRELATION, RowNormalization.PROJECTED, 0.1, 0.0, two),
            new SamplerRuns.Setting("erf committee p=k=2 square plain nb=1 noise", D, 1, 2, ERF2, "erf",
                Loss.SQUARE, RowNormalization.NONE, 0.5, 1e-3, two),
            new SamplerRuns.Setting("erf committee p=3 k=2 correlation projected nb=2d noise", D, 2 * D, 3, ERF2,
                "erf", Loss.CORRELATION, RowNormalization.PROJECTED, 2.0, 1e-2, three),
            new SamplerRuns.Setting("erf committee p=3 k=2 square spherical nb=4d", D, 4 * D, 3, ERF2, "erf",
                Loss.SQUARE, RowNormalization.SPHERICAL, 2.0, 0.0, three));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void overlapsAfterAFewStepsHaveTheExplicitSamplersDistribution(final SamplerRuns.Setting s)
    {
        final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, SEEDS, 1, 4);
        final double[][][] lowRank = SamplerRuns.overlaps(s, Sampler.LOWRANK, SEEDS, 1, 4);
        final double smallest = smallestPValue(explicit, lowRank);
        final int tests = explicit.length * explicit[0].length;
        System.out.printf("%s: smallest KS p-value %.3g (threshold %.2g)%n", s, smallest, FAMILY_ALPHA / tests);
        assertTrue(smallest >= FAMILY_ALPHA / tests, s + ": smallest KS p-value " + smallest + " over " + tests
            + " entries is below " + FAMILY_ALPHA / tests);
    }

    /**
     * A trained second layer and the adaptive loss (correlation, then square after step 1): M, Q and a after 1 and
     * 4 steps have the explicit sampler's distribution. a's step needs only the fields λ_u, which the coordinates
     * carry exactly, so the low-rank draw is exact in distribution here too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void aTrainedSecondLayerAndTheAdaptiveLossHaveTheExplicitSamplersDistribution(final SamplerRuns.Setting s)
    {
        final double rate = SECOND_LAYER_RATE * s.learningRate();
        final int switchAfter = s.loss() == Loss.CORRELATION ? 1 : -1;
        final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, false, rate, switchAfter, SEEDS, 1, 4);
        final double[][][] lowRank = SamplerRuns.overlaps(s, Sampler.LOWRANK, false, rate, switchAfter, SEEDS, 1, 4);
        final double smallest = smallestPValue(explicit, lowRank);
        final int tests = explicit.length * explicit[0].length;
        System.out.printf("%s, trained a%s: smallest KS p-value %.3g (threshold %.2g)%n", s,
            switchAfter >= 0 ? ", adaptive" : "", smallest, FAMILY_ALPHA / tests);
        assertTrue(smallest >= FAMILY_ALPHA / tests, s + ": smallest KS p-value " + smallest + " over " + tests
            + " entries is below " + FAMILY_ALPHA / tests);
    }

    /**
     * The same test sees a wrong a: the low-rank runs with a trained at twice the rate fail it where a's drift over
     * 4 steps shows (the erf committees, as for γ).
     */
    @Test
    void aSecondLayerTrainedAtTwiceTheRateFailsTheSameTest()
    {
        settings().filter(s -> s.activation().equals("erf")).forEach(s ->
        {
            final double rate = SECOND_LAYER_RATE * s.learningRate();
            final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, false, rate, -1, SEEDS, 1, 4);
            final double[][][] lowRank = SamplerRuns.overlaps(s, Sampler.LOWRANK, false, 2 * rate, -1, SEEDS, 1, 4);
            final int tests = explicit.length * explicit[0].length;
            final double smallest = smallestPValue(explicit, lowRank);
            assertTrue(smallest < FAMILY_ALPHA / tests, s + " with a at 2γ_a passed (smallest p " + smallest + ")");
        });
    }

    /**
     * And low-rank runs that never switch their loss fail it against explicit runs that switch after step 1, in the
     * correlation committees (p = 1 at n_b = 1: the three steps after the switch drown in the noise, p = 0.08).
     */
    @Test
    void aLossThatDoesNotSwitchFailsTheSameTest()
    {
        settings().filter(s -> s.loss() == Loss.CORRELATION && s.width() > 1).forEach(s ->
        {
            final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, false, 0.0, 1, SEEDS, 1, 4);
            final double[][][] lowRank = SamplerRuns.overlaps(s, Sampler.LOWRANK, false, 0.0, -1, SEEDS, 1, 4);
            final int tests = explicit.length * explicit[0].length;
            final double smallest = smallestPValue(explicit, lowRank);
            assertTrue(smallest < FAMILY_ALPHA / tests, s + " without the switch passed (smallest p " + smallest + ")");
        });
    }

    /** Settings where the orthogonal term (the O(η²·d/n_b) noise of the step) shows within 4 steps: n_b ≤ 2d. */
    static Stream<SamplerRuns.Setting> smallBatchSettings()
    {
        return settings().filter(s -> s.batchSize() <= 2 * s.dim());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallBatchSettings")
    void aSamplerWithoutTheOrthogonalTermFailsTheSameTest(final SamplerRuns.Setting s)
    {
        final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, SEEDS, 1, 4);
        final double[][][] broken = SamplerRuns.overlaps(s, Sampler.LOWRANK, true, SEEDS, 1, 4);
        final int tests = explicit.length * explicit[0].length;
        final double smallest = smallestPValue(explicit, broken);
        assertTrue(smallest < FAMILY_ALPHA / tests, s + ": the broken sampler passed (smallest p " + smallest + ")");
    }

    @Test
    void aStepOffBy25PercentFailsTheSameTestWhereTheDriftShows()
    {
        // With He3 near these states the drift of a few steps is small next to the noise; the erf committees show it.
        settings().filter(s -> s.activation().equals("erf")).forEach(s ->
        {
            final SamplerRuns.Setting wrong = new SamplerRuns.Setting(s.name() + " (γ×1.25)", s.dim(),
                s.batchSize(), s.width(), s.target(), s.activation(), s.loss(), s.normalization(),
                1.25 * s.learningRate(), s.noise(), s.init());
            final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, SEEDS, 1, 4);
            final double[][][] lowRank = SamplerRuns.overlaps(wrong, Sampler.LOWRANK, SEEDS, 1, 4);
            final int tests = explicit.length * explicit[0].length;
            final double smallest = smallestPValue(explicit, lowRank);
            assertTrue(smallest < FAMILY_ALPHA / tests, wrong + " passed (smallest p " + smallest + ")");
        });
    }

    static double smallestPValue(final double[][][] a, final double[][][] b)
    {
        double smallest = 1.0;
        for (int c = 0; c < a.length; c++)
        {
            for (int e = 0; e < a[c].length; e++)
            {
                final double pValue = TwoSample.ksPValue(TwoSample.ksDistance(a[c][e], b[c][e]), a[c][e].length,
                    b[c][e].length);
                if (TwoSample.variance(a[c][e]) > 1e-18 || TwoSample.variance(b[c][e]) > 1e-18)
                {
                    // Q_jj ≡ 1 under projection: rounding noise only, nothing to compare.
                    smallest = Math.min(smallest, pValue);
                }
            }
        }
        return smallest;
    }
}
