package org.sgdsim.math;

/**
 * Dense kernels on flat row-major {@code double[]} arrays.
 * <p>
 * Reductions use four independent accumulators in a fixed order: C2 does not vectorise strict
 * left-to-right floating-point sums, and a fixed order keeps every result bit-reproducible, which the
 * determinism contract (pipeline == reference loop) relies on.
 */
public final class Kernels
{
    private Kernels()
    {
    }

    /** Dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
    public static double dot(final double[] a, final int aOff, final double[] b, final int bOff, final int n)
    {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int i = 0;
        final int limit = n & ~3;
        for (; i < limit; i += 4)
        {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++)
        {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Squared Euclidean norm of {@code a[off..off+n)}. */
    public static double squaredNorm(final double[] a, final int off, final int n)
    {
        return dot(a, off, a, off, n);
    }

    /** {@code y[yOff..] += alpha * x[xOff..]} over n elements. */
    public static void axpy(final double alpha, final double[] x, final int xOff, final double[] y, final int yOff, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** {@code y[yOff..] += x[xOff..]} over n elements. */
    public static void add(final double[] x, final int xOff, final double[] y, final int yOff, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** {@code a[off..off+n) *= alpha}. */
    public static void scale(final double alpha, final double[] a, final int off, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            a[off + i] *= alpha;
        }
    }

    /** {@code out[j] = row_j(m) · x} for the {@code rows × n} row-major matrix m. */
    public static void gemv(
        final double[] m, final int rows, final int n, final double[] x, final int xOff, final double[] out)
    {
        for (int j = 0; j < rows; j++)
        {
            out[j] = dot(m, j * n, x, xOff, n);
        }
    }

    /** Gram matrix entries {@code out[j*cols + r] = row_j(a) · row_r(b)} of row-major a (rows×n), b (cols×n). */
    public static void gram(
        final double[] a, final int rows, final double[] b, final int cols, final int n, final double[] out)
    {
        for (int j = 0; j < rows; j++)
        {
            for (int r = 0; r < cols; r++)
            {
                out[j * cols + r] = dot(a, j * n, b, r * n, n);
            }
        }
    }
}
