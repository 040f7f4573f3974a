package org.sgdsim.math;

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix held row-major, and the solve
 * with it. Row-oriented (Cholesky–Crout): entry L_ij is A_ij minus the dot product of rows i and j of L over their
 * first j entries, so every inner loop is one contiguous {@link Kernels#dot}, which runs on the vector path. About
 * p³/6 multiply-adds (p = 4096: see docs/configuration.md for the measured time).
 */
public final class Cholesky
{
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
        for (int i = 0; i < n; i++)
        {
            final int row = i * n;
            for (int j = 0; j < i; j++)
            {
                final double s = a[row + j] - Kernels.dot(a, row, a, j * n, j);
                a[row + j] = s / a[j * n + j];
            }
            final double d = a[row + i] - Kernels.squaredNorm(a, row, i);
            if (!(d > 0.0))
            {
                throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " is " + d + ")");
            }
            a[row + i] = Math.sqrt(d);
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
