package org.sgdsim.math;

/**
 * Dense kernels on flat row-major {@code double[]} arrays.
 * <p>
 * A dot product is defined as eight partial sums over the elements i ≡ 0..7 (mod 8) of the largest multiple of
 * eight, each accumulated in order with fused multiply-adds, then the remaining elements into a ninth sum, all
 * combined in one fixed order. That definition is vectorisable (two 256-bit FMA accumulators) yet has exactly one
 * result: the Vector API path and the scalar fallback agree bit for bit on every machine, and so do the pipeline
 * and the reference loop. Element-wise loops (axpy, scale, add) have no reduction and vectorise by themselves.
 */
public final class Kernels
{
    /** True when dot products run on the incubating Vector API (flag {@code -Dsgdsim.kernels=scalar} turns it off). */
    public static final boolean VECTOR = vectorAvailable();

    private Kernels()
    {
    }

    private static boolean vectorAvailable()
    {
        if ("scalar".equals(System.getProperty("sgdsim.kernels")))
        {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}, as defined in the class comment. */
    public static double dot(final double[] a, final int aOff, final double[] b, final int bOff, final int n)
    {
        return VECTOR ? VectorKernels.dot(a, aOff, b, bOff, n) : scalarDot(a, aOff, b, bOff, n);
    }

    /**
     * {@code out[outOff + s] = dot(x, b_s)} for s = 0, 1, 2, each equal to {@link #dot} bit for bit; on the vector
     * path in one pass over x with the three sums' chains of additions overlapping.
     */
    public static void dot3(final double[] x, final int xOff, final double[] b0, final int o0, final double[] b1,
        final int o1, final double[] b2, final int o2, final int n, final double[] out, final int outOff)
    {
        if (VECTOR)
        {
            VectorKernels.dot3(x, xOff, b0, o0, b1, o1, b2, o2, n, out, outOff);
            return;
        }
        out[outOff] = scalarDot(x, xOff, b0, o0, n);
        out[outOff + 1] = scalarDot(x, xOff, b1, o1, n);
        out[outOff + 2] = scalarDot(x, xOff, b2, o2, n);
    }

    /**
     * The low-rank reduction of one Hermite unit (σ = He_n, second-layer weight a) over n samples in two
     * coordinates (z_0 at {@code z[o0 + u]}, z_1 at {@code z[o1 + u]}, label y_u): with λ = c0·z_0 + c1·z_1,
     * e = y − a·He_n(λ) (square loss) or y (correlation loss) and g = a·n·He_(n−1)(λ)·e, adds Σ g z_0, Σ g z_1 and
     * Σ g² to {@code out[0..2]}. One pass with the sums in registers, where the general path takes a pass per
     * stage. Defined as four partial sums over the samples u ≡ 0..3 (mod 4) of the largest multiple of four, each
     * accumulated in order with fused multiply-adds, the remaining samples into a fifth, combined as
     * ((l0 + l1) + (l2 + l3)) + tail: the vector and scalar paths agree bit for bit.
     */
    public static void hermiteUnitSums(final int degree, final double a, final boolean square, final double c0,
        final double c1, final double[] z, final int o0, final int o1, final double[] y, final int yOff, final int n,
        final double[] out)
    {
        if (VECTOR)
        {
            VectorKernels.hermiteUnitSums(degree, a, square, c0, c1, z, o0, o1, y, yOff, n, out);
            return;
        }
        scalarHermiteUnitSums(degree, a, square, c0, c1, z, o0, o1, y, yOff, n, out);
    }

    /** The scalar implementation of {@link #hermiteUnitSums}, for the fallback and the tests. */
    static void scalarHermiteUnitSums(final int degree, final double a, final boolean square, final double c0,
        final double c1, final double[] z, final int o0, final int o1, final double[] y, final int yOff, final int n,
        final double[] out)
    {
        // lane l of the definition: samples u ≡ l (mod 4); a, b, c: Σ g z_0, Σ g z_1, Σ g²
        double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
        double b0 = 0.0, b1 = 0.0, b2 = 0.0, b3 = 0.0;
        double q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0;
        final int limit = n & ~3;
        int i = 0;
        for (; i < limit; i += 4)
        {
            final double g0 = hermiteUnitCoefficient(degree, a, square, c0, c1, z[o0 + i], z[o1 + i], y[yOff + i]);
            final double g1 = hermiteUnitCoefficient(degree, a, square, c0, c1, z[o0 + i + 1], z[o1 + i + 1],
                y[yOff + i + 1]);
            final double g2 = hermiteUnitCoefficient(degree, a, square, c0, c1, z[o0 + i + 2], z[o1 + i + 2],
                y[yOff + i + 2]);
            final double g3 = hermiteUnitCoefficient(degree, a, square, c0, c1, z[o0 + i + 3], z[o1 + i + 3],
                y[yOff + i + 3]);
            a0 = Math.fma(g0, z[o0 + i], a0);
            a1 = Math.fma(g1, z[o0 + i + 1], a1);
            a2 = Math.fma(g2, z[o0 + i + 2], a2);
            a3 = Math.fma(g3, z[o0 + i + 3], a3);
            b0 = Math.fma(g0, z[o1 + i], b0);
            b1 = Math.fma(g1, z[o1 + i + 1], b1);
            b2 = Math.fma(g2, z[o1 + i + 2], b2);
            b3 = Math.fma(g3, z[o1 + i + 3], b3);
            q0 = Math.fma(g0, g0, q0);
            q1 = Math.fma(g1, g1, q1);
            q2 = Math.fma(g2, g2, q2);
            q3 = Math.fma(g3, g3, q3);
        }
        double t0 = 0.0;
        double t1 = 0.0;
        double t2 = 0.0;
        for (; i < n; i++)
        {
            final double g = hermiteUnitCoefficient(degree, a, square, c0, c1, z[o0 + i], z[o1 + i], y[yOff + i]);
            t0 = Math.fma(g, z[o0 + i], t0);
            t1 = Math.fma(g, z[o1 + i], t1);
            t2 = Math.fma(g, g, t2);
        }
        out[0] += ((a0 + a1) + (a2 + a3)) + t0;
        out[1] += ((b0 + b1) + (b2 + b3)) + t1;
        out[2] += ((q0 + q1) + (q2 + q3)) + t2;
    }

    /** One sample's coefficient g of {@link #hermiteUnitSums}, with its operations in its order. */
    static double hermiteUnitCoefficient(final int degree, final double a, final boolean square, final double c0,
        final double c1, final double z0, final double z1, final double y)
    {
        final double lambda = z0 * c0 + z1 * c1;
        double previous = 1.0;
        double current = lambda;
        for (int k = 1; k < degree; k++)
        {
            final double next = lambda * current - previous * k;
            previous = current;
            current = next;
        }
        final double error = square ? y - current * a : y;
        return previous * degree * a * error;
    }

    /** The scalar implementation of {@link #dot}, kept public for tests and benchmarks. */
    public static double scalarDot(final double[] a, final int aOff, final double[] b, final int bOff, final int n)
    {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final int ai = aOff + i;
            final int bi = bOff + i;
            s0 = Math.fma(a[ai], b[bi], s0);
            s1 = Math.fma(a[ai + 1], b[bi + 1], s1);
            s2 = Math.fma(a[ai + 2], b[bi + 2], s2);
            s3 = Math.fma(a[ai + 3], b[bi + 3], s3);
            s4 = Math.fma(a[ai + 4], b[bi + 4], s4);
            s5 = Math.fma(a[ai + 5], b[bi + 5], s5);
            s6 = Math.fma(a[ai + 6], b[bi + 6], s6);
            s7 = Math.fma(a[ai + 7], b[bi + 7], s7);
        }
        double tail = 0.0;
        for (; i < n; i++)
        {
            tail = Math.fma(a[aOff + i], b[bOff + i], tail);
        }
        return combine(s0, s1, s2, s3, s4, s5, s6, s7, tail);
    }

    /** The fixed order in which the partial sums of a dot product are added. */
    static double combine(final double s0, final double s1, final double s2, final double s3, final double s4,
        final double s5, final double s6, final double s7, final double tail)
    {
        return (((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))) + tail;
    }

    /** Squared Euclidean norm of {@code a[off..off+n)}. */
    public static double squaredNorm(final double[] a, final int off, final int n)
    {
        return dot(a, off, a, off, n);
    }

    /**
     * {@code y[yOff..] += alpha * x[xOff..]} over n elements (a multiply, then an add, per element). C2 leaves this
     * loop scalar when it cannot prove the two ranges disjoint, so the vector path does it explicitly.
     */
    public static void axpy(final double alpha, final double[] x, final int xOff, final double[] y, final int yOff, final int n)
    {
        if (VECTOR)
        {
            VectorKernels.axpy(alpha, x, xOff, y, yOff, n);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * Four axpys in a row, {@code y += c0·x0; y += c1·x1; y += c2·x2; y += c3·x3} (x_s at {@code x[off_s..]}), each
     * element rounded exactly as four {@link #axpy} calls would round it, but y read and written once: a batch's
     * gradient accumulates with a quarter of the memory traffic and not one bit of difference.
     */
    public static void axpy4(final double c0, final int off0, final double c1, final int off1, final double c2,
        final int off2, final double c3, final int off3, final double[] x, final double[] y, final int yOff, final int n)
    {
        if (VECTOR)
        {
            VectorKernels.axpy4(c0, off0, c1, off1, c2, off2, c3, off3, x, y, yOff, n);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            double v = y[yOff + i];
            v += c0 * x[off0 + i];
            v += c1 * x[off1 + i];
            v += c2 * x[off2 + i];
            v += c3 * x[off3 + i];
            y[yOff + i] = v;
        }
    }

    /**
     * {@link #axpy} then {@link #squaredNorm} of the updated y, bit for bit; on the vector path in one pass over y,
     * which a one-sample projected step would otherwise read twice (update, then norm).
     */
    public static double axpySquaredNorm(final double alpha, final double[] x, final int xOff, final double[] y,
        final int yOff, final int n)
    {
        if (VECTOR)
        {
            return VectorKernels.axpySquaredNorm(alpha, x, xOff, y, yOff, n);
        }
        axpy(alpha, x, xOff, y, yOff, n);
        return scalarDot(y, yOff, y, yOff, n);
    }

    /** {@code y[yOff..] += x[xOff..]} over n elements. */
    public static void add(final double[] x, final int xOff, final double[] y, final int yOff, final int n)
    {
        if (VECTOR)
        {
            VectorKernels.add(x, xOff, y, yOff, n);
            return;
        }
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

    /**
     * {@code out[j] = row_j(m) · x} for the {@code rows × n} row-major matrix m, each equal to {@link #dot} bit for
     * bit; on the vector path rows go four at a time so that x is read once per four rows.
     */
    public static void gemv(
        final double[] m, final int rows, final int n, final double[] x, final int xOff, final double[] out)
    {
        gemv(m, 0, rows, n, x, xOff, out, 0);
    }

    /** {@link #gemv} over rows {@code first .. first+rows−1} of m, writing {@code out[outOff ..]}. */
    public static void gemv(final double[] m, final int first, final int rows, final int n, final double[] x,
        final int xOff, final double[] out, final int outOff)
    {
        int j = 0;
        if (VECTOR)
        {
            for (; j + 4 <= rows; j += 4)
            {
                VectorKernels.dot4(m, first + j, n, x, xOff, out, outOff + j);
            }
        }
        for (; j < rows; j++)
        {
            out[outOff + j] = dot(m, (first + j) * n, x, xOff, n);
        }
    }

    /**
     * {@code out[j]} = the dot product of row j of the {@code rows × n} row-major m, scaled by {@code factors[j]}
     * (the multiply of {@link #scale}), with x: {@link #scale} then {@link #dot}, bit for bit, with m left as it is.
     * The forward pass of a step whose last projection is still pending; on the vector path four rows at a time as
     * in {@link #gemv}.
     */
    public static void scaledGemv(final double[] factors, final double[] m, final int rows, final int n,
        final double[] x, final int xOff, final double[] out)
    {
        int j = 0;
        if (VECTOR)
        {
            for (; j + 4 <= rows; j += 4)
            {
                VectorKernels.scaledDot4(factors, m, j, n, x, xOff, out, j);
            }
        }
        for (; j < rows; j++)
        {
            out[j] = scalarScaledDot(factors[j], m, j * n, x, xOff, n);
        }
    }

    /** {@link #scale} of a copy of {@code a[aOff..aOff+n)} then its {@link #scalarDot} with b, a left as it is. */
    static double scalarScaledDot(final double alpha, final double[] a, final int aOff, final double[] b,
        final int bOff, final int n)
    {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final int ai = aOff + i;
            final int bi = bOff + i;
            s0 = Math.fma(a[ai] * alpha, b[bi], s0);
            s1 = Math.fma(a[ai + 1] * alpha, b[bi + 1], s1);
            s2 = Math.fma(a[ai + 2] * alpha, b[bi + 2], s2);
            s3 = Math.fma(a[ai + 3] * alpha, b[bi + 3], s3);
            s4 = Math.fma(a[ai + 4] * alpha, b[bi + 4], s4);
            s5 = Math.fma(a[ai + 5] * alpha, b[bi + 5], s5);
            s6 = Math.fma(a[ai + 6] * alpha, b[bi + 6], s6);
            s7 = Math.fma(a[ai + 7] * alpha, b[bi + 7], s7);
        }
        double tail = 0.0;
        for (; i < n; i++)
        {
            tail = Math.fma(a[aOff + i] * alpha, b[bOff + i], tail);
        }
        return combine(s0, s1, s2, s3, s4, s5, s6, s7, tail);
    }

    /**
     * {@link #scale} of y by {@code factor}, then {@link #axpySquaredNorm}, bit for bit; on the vector path in one
     * pass over y: a pending projection applied by the update that writes the row anyway.
     */
    public static double scaleAxpySquaredNorm(final double factor, final double alpha, final double[] x,
        final int xOff, final double[] y, final int yOff, final int n)
    {
        if (VECTOR)
        {
            return VectorKernels.scaleAxpySquaredNorm(factor, alpha, x, xOff, y, yOff, n);
        }
        scale(factor, y, yOff, n);
        return axpySquaredNorm(alpha, x, xOff, y, yOff, n);
    }

    /** Features per panel of {@link #lowerRankUpdate}'s packed layout. */
    public static final int PANEL = 8;

    /**
     * The lower triangle of a symmetric rank-K update, G_ij += Σ_k f_ki·f_kj for j ≤ i &lt; rows, each entry one
     * chain of fused multiply-adds in sample order k = 0..K−1 starting from its current value: one result, the
     * same on the vector path and the scalar one. Features come packed in panels of {@link #PANEL}: f_kj at
     * {@code panels[(j / PANEL)·PANEL·K + PANEL·k + j % PANEL]}, with the last panel padded to full width; G is
     * row-major {@code rows × rows} and its strict upper triangle is left as it is.
     */
    public static void lowerRankUpdate(final double[] panels, final int samples, final double[] gram, final int rows)
    {
        if (VECTOR)
        {
            VectorKernels.lowerRankUpdate(panels, samples, gram, rows);
        }
        else
        {
            scalarLowerRankUpdate(panels, samples, gram, rows);
        }
    }

    /** The scalar implementation of {@link #lowerRankUpdate}, kept public for tests. */
    public static void scalarLowerRankUpdate(final double[] panels, final int samples, final double[] gram,
        final int rows)
    {
        final int stride = PANEL * samples;
        for (int i = 0; i < rows; i++)
        {
            final int iAt = (i / PANEL) * stride + i % PANEL;
            for (int j = 0; j <= i; j++)
            {
                final int jAt = (j / PANEL) * stride + j % PANEL;
                double g = gram[i * rows + j];
                for (int k = 0; k < samples; k++)
                {
                    g = Math.fma(panels[iAt + PANEL * k], panels[jAt + PANEL * k], g);
                }
                gram[i * rows + j] = g;
            }
        }
    }

    /**
     * {@link #gemv} for {@code count} vectors x_s at {@code x[xOff + s·n ..]}: {@code out[s·rows + j] = row_j(m) · x_s},
     * each bit for bit the dot product gemv computes. Rows go four at a time over all the vectors, so a large m is
     * read once per call instead of once per vector.
     */
    public static void gemvEach(final double[] m, final int rows, final int n, final double[] x, final int xOff,
        final int count, final double[] out)
    {
        int j = 0;
        if (VECTOR)
        {
            for (; j + 4 <= rows; j += 4)
            {
                for (int s = 0; s < count; s++)
                {
                    VectorKernels.dot4(m, j, n, x, xOff + s * n, out, s * rows + j);
                }
            }
        }
        for (; j < rows; j++)
        {
            for (int s = 0; s < count; s++)
            {
                out[s * rows + j] = dot(m, j * n, x, xOff + s * n, n);
            }
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
