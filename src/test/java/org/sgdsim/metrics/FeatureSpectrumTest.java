package org.sgdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.model.Activation;
import org.sgdsim.model.TwoLayerNetwork;

class FeatureSpectrumTest
{
    private static double[] gaussian(final int n, final long seed)
    {
        final double[] v = new double[n];
        new GaussianStream(seed, 8).fill(v, 0, n);
        return v;
    }

    private static double[] unitRows(final int p, final int d, final long seed)
    {
        final double[] w = gaussian(p * d, seed);
        for (int j = 0; j < p; j++)
        {
            double s = 0.0;
            for (int i = 0; i < d; i++)
            {
                s += w[j * d + i] * w[j * d + i];
            }
            for (int i = 0; i < d; i++)
            {
                w[j * d + i] /= Math.sqrt(s);
            }
        }
        return w;
    }

    /**
     * Linear features of orthonormal rows: C = W S Wᵀ with S the sample covariance of x, whose eigenvalues lie in
     * the Marchenko–Pastur support [(1 − √(p/n))², (1 + √(p/n))²]; the trace is (1/n)Σ‖Wx‖².
     */
    @Test
    void linearFeaturesFollowMarchenkoPastur()
    {
        final int p = 20;
        final int d = 50;
        final int n = 20_000;
        final double[] w = gaussian(p * d, 1);
        LinearAlgebra.orthonormalizeRows(w, 0, p, d);
        final double[] x = gaussian(n * d, 2);
        final double[] eig = FeatureSpectrum.eigenvalues(
            new TwoLayerNetwork(d, w, new double[p], Activation.parse("linear")), x, 0, n);
        final double ratio = Math.sqrt((double)p / n);
        double trace = 0.0;
        for (int j = 0; j < p; j++)
        {
            assertTrue(eig[j] < (1 + ratio) * (1 + ratio) + 0.01 && eig[j] > (1 - ratio) * (1 - ratio) - 0.01,
                "eigenvalue " + eig[j]);
            assertTrue(j == 0 || eig[j] <= eig[j - 1], "descending");
            trace += eig[j];
        }
        double expected = 0.0;
        for (int u = 0; u < n; u++)
        {
            for (int j = 0; j < p; j++)
            {
                double s = 0.0;
                for (int i = 0; i < d; i++)
                {
                    s += w[j * d + i] * x[u * d + i];
                }
                expected += s * s / n;
            }
        }
        assertEquals(expected, trace, 1e-9 * expected);
    }

    /**
     * relu features: the reference (another random W) has one structural outlier (E[relu] ≠ 0); a fresh random W
     * has none beyond it; a W whose rows gained ±u for one direction u (a rank-one spike s uᵀ, as one giant step
     * along w* makes with a Rademacher second layer) has exactly one more: relu's odd part correlates the features
     * along s, its even part along the all-ones direction of the existing outlier.
     */
    @Test
    void countsTheOutlierOfARankOneSpike()
    {
        final int p = 128;
        final int d = 64;
        final int n = 4096;
        final Activation relu = Activation.parse("relu");
        final double[] x = gaussian(n * d, 3);
        final double[] reference = FeatureSpectrum.eigenvalues(
            new TwoLayerNetwork(d, unitRows(p, d, 4), new double[p], relu), x, 0, n);
        final double[] fresh = FeatureSpectrum.eigenvalues(
            new TwoLayerNetwork(d, unitRows(p, d, 5), new double[p], relu), x, 0, n);
        final double[] spiked = unitRows(p, d, 5);
        final double[] u = unitRows(1, d, 6);
        final double[] signs = gaussian(p, 7);
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < d; i++)
            {
                spiked[j * d + i] = 0.6 * spiked[j * d + i] + 0.8 * Math.signum(signs[j]) * u[i];
            }
        }
        final double[] after = FeatureSpectrum.eigenvalues(new TwoLayerNetwork(d, spiked, new double[p], relu), x, 0, n);
        System.out.printf("reference top %.4f %.4f %.4f, fresh top %.4f %.4f %.4f, spiked top %.4f %.4f %.4f%n",
            reference[0], reference[1], reference[2], fresh[0], fresh[1], fresh[2], after[0], after[1], after[2]);
        final double m = FeatureSpectrum.DEFAULT_MARGIN;
        assertEquals(1, FeatureSpectrum.structural(reference));
        final FeatureSpectrum.Outliers none = FeatureSpectrum.outliers(reference, fresh, m);
        assertEquals(0, none.outliers(), none.toString());
        // The top bulk eigenvalues of two random W differ by less than the margin (the spread it must exceed).
        assertTrue(Math.abs(fresh[1] / reference[1] - 1) < m / 2, fresh[1] + " vs " + reference[1]);
        final FeatureSpectrum.Outliers one = FeatureSpectrum.outliers(reference, after, m);
        assertEquals(1, one.outliers(), one.toString());
    }
}
