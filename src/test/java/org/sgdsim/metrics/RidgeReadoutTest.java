package org.sgdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.model.Activation;
import org.sgdsim.model.TwoLayerNetwork;

class RidgeReadoutTest
{
    private static double[] gaussian(final int n, final long seed)
    {
        final double[] v = new double[n];
        new GaussianStream(seed, 3).fill(v, 0, n);
        return v;
    }

    private static TwoLayerNetwork network(final int p, final int d, final String activation, final long seed)
    {
        final double[] w = gaussian(p * d, seed);
        for (int i = 0; i < w.length; i++)
        {
            w[i] /= Math.sqrt(d);
        }
        return new TwoLayerNetwork(d, w, new double[p], Activation.parse(activation));
    }

    /** â and the train error equal an explicit Φ, normal equations solved by Hipparchus's LU. */
    @Test
    void matchesAnExplicitNormalEquationSolve()
    {
        final int p = 7;
        final int d = 20;
        final int n = 300; // more than one block of 256
        final TwoLayerNetwork net = network(p, d, "tanh", 1);
        final double[] x = gaussian(n * d, 2);
        final double[] y = gaussian(n, 3);
        final double lambda = 0.05;
        final RidgeReadout readout = new RidgeReadout(net);
        readout.add(x, y, 0, 100);
        readout.add(x, y, 100, n - 100);
        final RidgeReadout.Fit fit = readout.solve(lambda);

        final double[][] phi = new double[n][p];
        for (int u = 0; u < n; u++)
        {
            for (int j = 0; j < p; j++)
            {
                double s = 0.0;
                for (int i = 0; i < d; i++)
                {
                    s += net.weights()[j * d + i] * x[u * d + i];
                }
                phi[u][j] = Math.tanh(s) / p;
            }
        }
        final Array2DRowRealMatrix f = new Array2DRowRealMatrix(phi);
        final var normal = f.transposeMultiply(f).add(org.hipparchus.linear.MatrixUtils.createRealIdentityMatrix(p)
            .scalarMultiply(lambda));
        final double[] expected = new LUDecomposition(normal).getSolver()
            .solve(f.transpose().operate(new ArrayRealVector(y))).toArray();
        double residual = 0.0;
        for (int u = 0; u < n; u++)
        {
            double fu = 0.0;
            for (int j = 0; j < p; j++)
            {
                fu += phi[u][j] * expected[j];
            }
            residual += (y[u] - fu) * (y[u] - fu);
        }
        for (int j = 0; j < p; j++)
        {
            assertEquals(expected[j], fit.a()[j], 1e-9 * Math.max(1.0, Math.abs(expected[j])), "a_" + j);
        }
        assertEquals(n, fit.samples());
        assertEquals(0.5 * residual / n, fit.trainError(), 1e-10);
        assertEquals(0.5 * residual / n, readout.error(fit.a(), x, y, 0, n), 1e-10);
    }

    /** Labels made by a planted second layer a* on the same features are recovered, with zero test error. */
    @Test
    void recoversAPlantedReadout()
    {
        final int p = 12;
        final int d = 30;
        final TwoLayerNetwork net = network(p, d, "relu", 5);
        final double[] planted = gaussian(p, 6);
        final TwoLayerNetwork teacher = new TwoLayerNetwork(d, net.weights(), planted, net.activation());
        final int n = 3000;
        final double[] x = gaussian((n + 500) * d, 7);
        final double[] y = new double[n + 500];
        final double[] lambda = new double[p];
        for (int u = 0; u < y.length; u++)
        {
            teacher.preactivations(x, u * d, lambda);
            y[u] = teacher.output(lambda);
        }
        final RidgeReadout readout = new RidgeReadout(net);
        readout.add(x, y, 0, n);
        final RidgeReadout.Fit fit = readout.solve(1e-12);
        for (int j = 0; j < p; j++)
        {
            assertEquals(planted[j], fit.a()[j], 1e-5, "a_" + j);
        }
        assertTrue(fit.trainError() < 1e-12, "train " + fit.trainError());
        assertTrue(readout.error(fit.a(), x, y, n, 500) < 1e-12, "test");
        // A heavy penalty shrinks â towards Φᵀy/λ and the error towards ½·mean y².
        final RidgeReadout heavy = new RidgeReadout(net);
        heavy.add(x, y, 0, n);
        final RidgeReadout.Fit shrunk = heavy.solve(1e9);
        double yy = 0.0;
        for (int u = 0; u < n; u++)
        {
            yy += y[u] * y[u];
        }
        assertEquals(0.5 * yy / n, shrunk.trainError(), 1e-6 * yy / n);
    }
}
