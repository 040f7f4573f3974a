package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/** The theory line of online-sgd.md §3.4: He3 closed form, n_b·T flat in n_b, the square loss's breakdown. */
class HittingTimeTest
{
    private static final HittingTime.Coefficients HE3 =
        HittingTime.coefficients(z -> z * z * z - 3 * z, Activation.parse("He3"), 0.0);

    @Test
    void he3CoefficientsAreTheDerivedOnes()
    {
        // Σ k·k!·α_kβ_k m^(k−1) = 18 m², E[σσ'λ] = 18, E[y²σ'²] = 108, + E[He3²·9He2²] = 9·372 for the square loss
        assertEquals(18.0, HE3.drift()[2], 1e-9);
        assertEquals(0.0, HE3.drift()[0], 1e-9);
        assertEquals(0.0, HE3.drift()[1], 1e-9);
        assertEquals(18.0, HE3.selfRadial(), 1e-9);
        assertEquals(108.0, HE3.noiseCorrelation(), 1e-8);
        assertEquals(108.0 + 9 * 372, HE3.noiseSquare(), 1e-6);
    }

    @Test
    void withoutTheBatchTermItIsTheClosedForm()
    {
        for (final double d : new double[] {64, 256, 1024})
        {
            final double eta = 0.01;
            final double numeric = HittingTime.steps(HE3, Loss.CORRELATION, true, eta, d, Double.POSITIVE_INFINITY,
                1 / Math.sqrt(d), 0.5);
            assertEquals(HittingTime.he3HalfClosedForm(eta, d), numeric, 1e-8 * numeric);
        }
    }

    @Test
    void samplesToHalfAreFlatInTheBatchSizeAndNearDSquaredOver18c()
    {
        final double d = 256;
        final double c = 0.01;
        final double[] samples = new double[3];
        final int[] batches = {16, 256, 4096};
        for (int i = 0; i < batches.length; i++)
        {
            final double eta = c * batches[i] * Math.pow(d, -1.5);
            samples[i] = batches[i] * HittingTime.steps(HE3, Loss.CORRELATION, true, eta, d, batches[i],
                1 / Math.sqrt(d), 0.5);
        }
        // the batch term costs ~3% (ratio c·K/36 at m0) whatever n_b
        assertEquals(samples[0], samples[2], 1e-9 * samples[0]);
        assertEquals(samples[0], samples[1], 1e-9 * samples[0]);
        final double leading = d * d / (18 * c);
        assertTrue(Math.abs(samples[0] / leading - 1) < 0.1, samples[0] + " vs " + leading);
    }

    @Test
    void squareLossWithProjectionStopsOnceEtaReachesOneEighteenth()
    {
        final double d = 256;
        final double below = HittingTime.steps(HE3, Loss.SQUARE, true, 0.9 / 18, d, Double.POSITIVE_INFINITY,
            1 / Math.sqrt(d), 0.5);
        assertTrue(Double.isFinite(below));
        // η_eff = η/(1 − 18η): ten times faster than the correlation loss at η = 0.9/18
        final double correlation = HittingTime.steps(HE3, Loss.CORRELATION, true, 0.9 / 18, d, Double.POSITIVE_INFINITY,
            1 / Math.sqrt(d), 0.5);
        assertEquals(correlation * 0.1, below, 1e-9 * below);
        assertTrue(Double.isInfinite(HittingTime.steps(HE3, Loss.SQUARE, true, 1.001 / 18, d, Double.POSITIVE_INFINITY,
            1 / Math.sqrt(d), 0.5)));
        // at n_b = 4096, d = 256, c = 0.01 the square loss's batch term beats the drift at m0: no learning
        assertTrue(Double.isInfinite(HittingTime.steps(HE3, Loss.SQUARE, true, 0.01, d, 4096, 1 / Math.sqrt(d), 0.5)));
    }
}
