package org.sgdsim.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.StudentInit;

/**
 * Mean learning curves of the two samplers agree within their error bars (docs/theory.md, "Low-rank sampler"):
 * over 200 data seeds each, at every checkpoint and overlap entry, |mean_explicit − mean_lowrank| ≤ 4 standard
 * errors of the difference (with ~60 comparisons per test, 4 s.e. keeps the chance of a false alarm near 0.4%).
 */
class LowRankLearningCurveTest
{
    private static final int[] CHECKPOINTS = {5, 10, 20, 40, 60};
    private static final double MAX_GAP = 4.0;

    @Test
    void he3CorrelationLossProjectedLargeBatch()
    {
        check(new SamplerRuns.Setting("He3 p=1 correlation projected d=64 nb=2d", 64, 128, 1, "He3(z1)", "He3",
            Loss.CORRELATION, RowNormalization.PROJECTED, 0.02, 0.0, new StudentInit.Overlap(0.2)));
    }

    @Test
    void erfCommitteeSquareLossPlainSmallBatch()
    {
        check(new SamplerRuns.Setting("erf p=k=2 square plain d=64 nb=4 noise", 64, 4, 2,
            "(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2", "erf", Loss.SQUARE, RowNormalization.NONE, 0.5, 1e-3,
            new StudentInit.Explicit(new double[] {0.2, 0.05, 0.1, 0.15}, new double[] {1.0, 0.1, 0.1, 1.0})));
    }

    @Test
    @Tag("slow")
    void he3CommitteeSquareLossSphericalAtD256()
    {
        check(new SamplerRuns.Setting("He3 p=k=2 square spherical d=256 nb=d", 256, 256, 2, "(He3(z1) + He3(z2))/2",
            "He3", Loss.SQUARE, RowNormalization.SPHERICAL, 0.05, 0.0,
            new StudentInit.Explicit(new double[] {0.3, 0.05, 0.05, 0.3}, new double[] {1.0, 0.1, 0.1, 1.0})));
    }

    private static void check(final SamplerRuns.Setting s)
    {
        final double[][][] explicit = SamplerRuns.overlaps(s, Sampler.EXPLICIT, LowRankSamplerTest.SEEDS, CHECKPOINTS);
        final double[][][] lowRank = SamplerRuns.overlaps(s, Sampler.LOWRANK, LowRankSamplerTest.SEEDS, CHECKPOINTS);
        double worst = 0.0;
        for (int c = 0; c < CHECKPOINTS.length; c++)
        {
            for (int e = 0; e < explicit[c].length; e++)
            {
                if (TwoSample.variance(explicit[c][e]) > 1e-18 || TwoSample.variance(lowRank[c][e]) > 1e-18)
                {
                    worst = Math.max(worst, TwoSample.meanGapInStandardErrors(explicit[c][e], lowRank[c][e]));
                }
            }
        }
        System.out.printf("%s: largest mean gap %.2f standard errors (limit %.1f)%n", s, worst, MAX_GAP);
        assertTrue(worst <= MAX_GAP, s + ": mean curves differ by " + worst + " standard errors");
    }
}
