package org.sgdsim.theory;

import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;

/** Factorisations of small symmetric matrices (p × p overlaps) that the theory needs beyond math.LinearAlgebra. */
final class SmallMatrices
{
    private SmallMatrices()
    {
    }

    /**
     * Lower-triangular L (row-major n × n) with L·Lᵀ = A for a symmetric positive semi-definite A. A pivot at or
     * below tolerance·max(1, A_ii) gives a zero column instead of a failure, so singular A (identical rows) is
     * accepted; on positive definite A this is plain Cholesky and continuous in A.
     *
     * @throws IllegalArgumentException if a pivot is clearly negative (A is not positive semi-definite).
     */
    static void semidefiniteCholesky(final double[] a, final int n, final double tolerance, final double[] out)
    {
        java.util.Arrays.fill(out, 0, n * n, 0.0);
        for (int i = 0; i < n; i++)
        {
            double pivot = a[i * n + i];
            for (int c = 0; c < i; c++)
            {
                pivot -= out[i * n + c] * out[i * n + c];
            }
            final double scale = Math.max(1.0, Math.abs(a[i * n + i]));
            // Round-off of an integrated state near a singular Q − M·Mᵀ is clipped; a clearly negative pivot is not.
            if (pivot < -1e-4 * scale)
            {
                throw new IllegalArgumentException("Q − M·Mᵀ is not positive semi-definite (pivot " + pivot + ")");
            }
            if (pivot <= tolerance * scale)
            {
                continue;
            }
            final double root = Math.sqrt(pivot);
            out[i * n + i] = root;
            for (int r = i + 1; r < n; r++)
            {
                double s = a[r * n + i];
                for (int c = 0; c < i; c++)
                {
                    s -= out[r * n + c] * out[i * n + c];
                }
                out[r * n + i] = s / root;
            }
        }
    }

    /**
     * Moore–Penrose pseudo-inverse of a symmetric n × n matrix (row-major): eigenvalues with |s| below
     * relativeTolerance·max|s| are treated as exact zeros, whose directions the inverse drops.
     */
    static double[] symmetricPseudoInverse(final double[] a, final int n, final double relativeTolerance)
    {
        final double[][] rows = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                rows[i][j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            }
        }
        final EigenDecompositionSymmetric eig =
            new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(rows), 0.0, false);
        final double[] values = eig.getEigenvalues();
        double max = 0.0;
        for (final double v : values)
        {
            max = Math.max(max, Math.abs(v));
        }
        final double[] inverse = new double[n * n];
        for (int c = 0; c < n; c++)
        {
            if (!(Math.abs(values[c]) > relativeTolerance * max))
            {
                continue;
            }
            final double inv = 1.0 / values[c];
            for (int i = 0; i < n; i++)
            {
                final double vi = eig.getEigenvector(c).getEntry(i);
                for (int j = 0; j < n; j++)
                {
                    inverse[i * n + j] += vi * inv * eig.getEigenvector(c).getEntry(j);
                }
            }
        }
        return inverse;
    }

    /** Largest eigenvalue of a symmetric n × n matrix (row-major). */
    static double largestEigenvalue(final double[] a, final int n)
    {
        final double[][] rows = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                rows[i][j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            }
        }
        final double[] values =
            new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(rows), 0.0, false).getEigenvalues();
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : values)
        {
            max = Math.max(max, v);
        }
        return max;
    }
}
