package org.sgdsim.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.junit.jupiter.api.Test;

class CholeskyTest
{
    /** A = B Bᵀ/n + I for a Gaussian n × n B: well conditioned and SPD. */
    private static double[] spd(final int n, final long seed)
    {
        final double[] b = new double[n * n];
        new GaussianStream(seed, 1).fill(b, 0, b.length);
        final double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i * n + j] = Kernels.scalarDot(b, i * n, b, j * n, n) / n + (i == j ? 1.0 : 0.0);
            }
        }
        return a;
    }

    @Test
    void factorReproducesTheMatrixAndSolvesLikeHipparchus()
    {
        final int n = 203;
        final double[] a = spd(n, 4);
        final double[][] rows = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(a, i * n, rows[i], 0, n);
        }
        final double[] rhs = new double[n];
        new GaussianStream(9, 1).fill(rhs, 0, n);
        final double[] expected = new CholeskyDecomposition(new Array2DRowRealMatrix(rows)).getSolver()
            .solve(new ArrayRealVector(rhs)).toArray();

        final double[] l = a.clone();
        Cholesky.factor(l, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0.0;
                for (int k = 0; k <= j; k++)
                {
                    s += l[i * n + k] * l[j * n + k];
                }
                assertEquals(a[i * n + j], s, 1e-12, "(L Lt)_" + i + "," + j);
            }
        }
        final double[] x = rhs.clone();
        Cholesky.solve(l, n, x);
        for (int i = 0; i < n; i++)
        {
            assertEquals(expected[i], x[i], 1e-12);
        }
    }

    @Test
    void rejectsAnIndefiniteMatrix()
    {
        final double[] a = {1, 2, 2, 1};
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(a, 2));
        assertEquals("matrix is not positive definite (pivot 1 is -3.0)", ex.getMessage());
    }
}
