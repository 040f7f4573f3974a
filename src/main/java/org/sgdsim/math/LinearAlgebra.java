package org.sgdsim.math;

import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;

/** Small dense linear algebra on row-major arrays: orthonormalisation and PSD square roots. */
public final class LinearAlgebra
{
    private LinearAlgebra()
    {
    }

    /**
     * Orthonormalises rows {@code from..to-1} of the row-major {@code rows × n} matrix against rows
     * {@code 0..to-1} in place (modified Gram–Schmidt, applied twice for full precision).
     *
     * @throws IllegalStateException if a row is (numerically) dependent on the previous ones.
     */
    public static void orthonormalizeRows(final double[] m, final int from, final int to, final int n)
    {
        for (int j = from; j < to; j++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < j; i++)
                {
                    final double c = Kernels.dot(m, i * n, m, j * n, n);
                    Kernels.axpy(-c, m, i * n, m, j * n, n);
                }
            }
            final double norm = Math.sqrt(Kernels.squaredNorm(m, j * n, n));
            if (!(norm > 1e-12))
            {
                throw new IllegalStateException("row " + j + " is linearly dependent on the previous rows");
            }
            Kernels.scale(1.0 / norm, m, j * n, n);
        }
    }

    /**
     * An orthonormal basis of the span of the rows {@code 0..count-1} of the row-major {@code count × n} matrix
     * {@code rows}, written to the first rows of {@code basis} (count × n): rows are taken in order, and a row whose
     * remainder after (twice-applied) Gram–Schmidt is below {@code 1e-10} of its own norm is dropped as dependent.
     * Earlier rows that are already orthonormal are kept as they are, up to rounding.
     *
     * @return the rank: how many basis rows were written.
     */
    public static int orthonormalBasis(final double[] rows, final int count, final int n, final double[] basis)
    {
        int rank = 0;
        for (int j = 0; j < count; j++)
        {
            final int off = rank * n;
            System.arraycopy(rows, j * n, basis, off, n);
            final double before = Math.sqrt(Kernels.squaredNorm(basis, off, n));
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < rank; i++)
                {
                    final double c = Kernels.dot(basis, i * n, basis, off, n);
                    Kernels.axpy(-c, basis, i * n, basis, off, n);
                }
            }
            final double norm = Math.sqrt(Kernels.squaredNorm(basis, off, n));
            if (norm > 1e-10 * before && norm > 0.0)
            {
                Kernels.scale(1.0 / norm, basis, off, n);
                rank++;
            }
        }
        return rank;
    }

    /**
     * A factor L (size × size, row-major) with L·Lᵀ = A for a symmetric positive semi-definite A,
     * from the symmetric eigendecomposition (eigenvalues below 1e-14·max set to 0). Unlike Cholesky it
     * accepts singular A, e.g. repeated rows.
     *
     * @throws IllegalArgumentException if A has an eigenvalue below −tolerance·max(1, max eigenvalue).
     */
    public static double[] psdFactor(final double[] a, final int size, final double tolerance)
    {
        final double[][] rows = new double[size][size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                rows[i][j] = 0.5 * (a[i * size + j] + a[j * size + i]);
            }
        }
        final EigenDecompositionSymmetric eig =
            new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(rows), 0.0, false);
        final double[] values = eig.getEigenvalues();
        double max = 0.0;
        for (final double v : values)
        {
            max = Math.max(max, v);
        }
        final double[] factor = new double[size * size];
        for (int c = 0; c < size; c++)
        {
            double s = values[c];
            if (s < -tolerance * Math.max(1.0, max))
            {
                throw new IllegalArgumentException("matrix is not positive semi-definite (eigenvalue " + s + ")");
            }
            if (s < 1e-14 * max)
            {
                s = 0.0;
            }
            final double root = Math.sqrt(s);
            for (int r = 0; r < size; r++)
            {
                factor[r * size + c] = eig.getEigenvector(c).getEntry(r) * root;
            }
        }
        return factor;
    }
}
