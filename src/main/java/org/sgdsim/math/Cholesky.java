package org.sgdsim.math;

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix held row-major, and the solve
 * with it. Row-oriented (Cholesky–Crout): entry L_ij is A_ij minus the dot product of rows i and j of L over their
 * first j entries, so every inner loop is one contiguous {@link Kernels#dot}, which runs on the vector path; rows
 * are done in tiles so that each earlier row is read once per tile. About p³/6 multiply-adds.
 */
public final class Cholesky
{
    /** Rows factorised together (see {@link #factor}). */
    private static final int TILE = 16;

    private Cholesky()
    {
    }

    /**
     * Overwrites the lower triangle of the row-major {@code n × n} matrix a with L (the strict upper triangle is
     * left as it was and never read).
     *
     * @throws IllegalArgumentException if a is not (numerically) positive definite, naming the pivot.
     */
    public static void factor(final double[] a, final int n)
    {
        // Rows go in tiles: each earlier row j is read once per tile and used for all the tile's rows while it is in
        // cache, instead of once per row (L is up to 134 MB at n = 4096, so the untiled loop is memory-bound).
        for (int i0 = 0; i0 < n; i0 += TILE)
        {
            final int i1 = Math.min(n, i0 + TILE);
            for (int j = 0; j < i1; j++)
            {
                final int rowJ = j * n;
                if (j >= i0)
                {
                    final double d = a[rowJ + j] - Kernels.squaredNorm(a, rowJ, j);
                    if (!(d > 0.0))
                    {
                        throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " is " + d + ")");
                    }
                    a[rowJ + j] = Math.sqrt(d);
                }
                final double pivot = a[rowJ + j];
                for (int i = Math.max(i0, j + 1); i < i1; i++)
                {
                    final int row = i * n;
                    a[row + j] = (a[row + j] - Kernels.dot(a, row, a, rowJ, j)) / pivot;
                }
            }
        }
    }

    /** Solves L·Lᵀ·x = b in place in {@code b}, with L from {@link #factor}. */
    public static void solve(final double[] l, final int n, final double[] b)
    {
        for (int i = 0; i < n; i++)
        {
            b[i] = (b[i] - Kernels.dot(l, i * n, b, 0, i)) / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }
}
