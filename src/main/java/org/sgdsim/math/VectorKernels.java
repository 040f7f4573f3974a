package org.sgdsim.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation of {@link Kernels#dot}: two 256-bit fused multiply-add accumulators, i.e. eight
 * partial sums, combined in the fixed order of {@link Kernels#combine}. Loaded only when the
 * {@code jdk.incubator.vector} module is present; {@link Kernels} falls back to the scalar code, which performs
 * the very same roundings, so the choice changes speed, never a bit of the result.
 */
final class VectorKernels
{
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_256;
    /** Rows of {@link #lowerRankUpdate} swept together against one column panel (a multiple of 8). */
    private static final int RANK_UPDATE_GROUP = 64;

    private VectorKernels()
    {
    }

    static double dot(final double[] a, final int aOff, final double[] b, final int bOff, final int n)
    {
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = DoubleVector.zero(SPECIES);
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            acc0 = DoubleVector.fromArray(SPECIES, a, aOff + i).fma(DoubleVector.fromArray(SPECIES, b, bOff + i), acc0);
            acc1 = DoubleVector.fromArray(SPECIES, a, aOff + i + 4)
                .fma(DoubleVector.fromArray(SPECIES, b, bOff + i + 4), acc1);
        }
        double tail = 0.0;
        for (; i < n; i++)
        {
            tail = Math.fma(a[aOff + i], b[bOff + i], tail);
        }
        return Kernels.combine(acc0.lane(0), acc0.lane(1), acc0.lane(2), acc0.lane(3),
            acc1.lane(0), acc1.lane(1), acc1.lane(2), acc1.lane(3), tail);
    }

    /** {@code y += alpha·x} lane by lane with a multiply then an add: the scalar loop's two roundings. */
    static void axpy(final double alpha, final double[] x, final int xOff, final double[] y, final int yOff, final int n)
    {
        final int limit = SPECIES.loopBound(n);
        int i = 0;
        for (; i < limit; i += 4)
        {
            DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha)
                .add(DoubleVector.fromArray(SPECIES, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++)
        {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** Four axpys fused over one pass of y, with the same multiply-then-add per term as {@link #axpy}. */
    static void axpy4(final double c0, final int off0, final double c1, final int off1, final double c2,
        final int off2, final double c3, final int off3, final double[] x, final double[] y, final int yOff, final int n)
    {
        final int limit = SPECIES.loopBound(n);
        int i = 0;
        for (; i < limit; i += 4)
        {
            DoubleVector v = DoubleVector.fromArray(SPECIES, y, yOff + i);
            v = DoubleVector.fromArray(SPECIES, x, off0 + i).mul(c0).add(v);
            v = DoubleVector.fromArray(SPECIES, x, off1 + i).mul(c1).add(v);
            v = DoubleVector.fromArray(SPECIES, x, off2 + i).mul(c2).add(v);
            v = DoubleVector.fromArray(SPECIES, x, off3 + i).mul(c3).add(v);
            v.intoArray(y, yOff + i);
        }
        for (; i < n; i++)
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
     * {@link #axpy} then {@link #dot} of y with itself: each element is updated with the same multiply-then-add and
     * accumulated into the lane, accumulator and tail that {@link #dot} gives it, so both results are its bits.
     */
    static double axpySquaredNorm(final double alpha, final double[] x, final int xOff, final double[] y,
        final int yOff, final int n)
    {
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = DoubleVector.zero(SPECIES);
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final DoubleVector v0 = DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha)
                .add(DoubleVector.fromArray(SPECIES, y, yOff + i));
            final DoubleVector v1 = DoubleVector.fromArray(SPECIES, x, xOff + i + 4).mul(alpha)
                .add(DoubleVector.fromArray(SPECIES, y, yOff + i + 4));
            v0.intoArray(y, yOff + i);
            v1.intoArray(y, yOff + i + 4);
            acc0 = v0.fma(v0, acc0);
            acc1 = v1.fma(v1, acc1);
        }
        double tail = 0.0;
        for (; i < n; i++)
        {
            final double v = y[yOff + i] + alpha * x[xOff + i];
            y[yOff + i] = v;
            tail = Math.fma(v, v, tail);
        }
        return Kernels.combine(acc0.lane(0), acc0.lane(1), acc0.lane(2), acc0.lane(3),
            acc1.lane(0), acc1.lane(1), acc1.lane(2), acc1.lane(3), tail);
    }

    /** {@code y += x} lane by lane. */
    static void add(final double[] x, final int xOff, final double[] y, final int yOff, final int n)
    {
        final int limit = SPECIES.loopBound(n);
        int i = 0;
        for (; i < limit; i += 4)
        {
            DoubleVector.fromArray(SPECIES, x, xOff + i).add(DoubleVector.fromArray(SPECIES, y, yOff + i))
                .intoArray(y, yOff + i);
        }
        for (; i < n; i++)
        {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** {@link Kernels#hermiteUnitSums} four samples per vector lane-set, as its scalar definition spells out. */
    static void hermiteUnitSums(final int degree, final double a, final boolean square, final double c0,
        final double c1, final double[] z, final int o0, final int o1, final double[] y, final int yOff, final int n,
        final double[] out)
    {
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = DoubleVector.zero(SPECIES);
        DoubleVector q = DoubleVector.zero(SPECIES);
        final DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        final int limit = n & ~3;
        int i = 0;
        for (; i < limit; i += 4)
        {
            final DoubleVector u = DoubleVector.fromArray(SPECIES, z, o0 + i);
            final DoubleVector v = DoubleVector.fromArray(SPECIES, z, o1 + i);
            final DoubleVector lambda = u.mul(c0).add(v.mul(c1));
            DoubleVector previous = one;
            DoubleVector current = lambda;
            for (int k = 1; k < degree; k++)
            {
                final DoubleVector next = lambda.mul(current).sub(previous.mul(k));
                previous = current;
                current = next;
            }
            final DoubleVector labels = DoubleVector.fromArray(SPECIES, y, yOff + i);
            final DoubleVector error = square ? labels.sub(current.mul(a)) : labels;
            final DoubleVector g = previous.mul(degree).mul(a).mul(error);
            s0 = g.fma(u, s0);
            s1 = g.fma(v, s1);
            q = g.fma(g, q);
        }
        double t0 = 0.0;
        double t1 = 0.0;
        double t2 = 0.0;
        for (; i < n; i++)
        {
            final double g = Kernels.hermiteUnitCoefficient(degree, a, square, c0, c1, z[o0 + i], z[o1 + i], y[yOff + i]);
            t0 = Math.fma(g, z[o0 + i], t0);
            t1 = Math.fma(g, z[o1 + i], t1);
            t2 = Math.fma(g, g, t2);
        }
        out[0] += ((s0.lane(0) + s0.lane(1)) + (s0.lane(2) + s0.lane(3))) + t0;
        out[1] += ((s1.lane(0) + s1.lane(1)) + (s1.lane(2) + s1.lane(3))) + t1;
        out[2] += ((q.lane(0) + q.lane(1)) + (q.lane(2) + q.lane(3))) + t2;
    }

    /**
     * Three dot products of x with b0, b1 and b2, reading x once and keeping six chains of additions in flight
     * instead of two: each result's arithmetic is exactly that of {@link #dot}, so they equal three separate dots
     * bit for bit.
     */
    static void dot3(final double[] x, final int xOff, final double[] b0, final int o0, final double[] b1,
        final int o1, final double[] b2, final int o2, final int n, final double[] out, final int outOff)
    {
        DoubleVector a0 = DoubleVector.zero(SPECIES);
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        DoubleVector a1 = DoubleVector.zero(SPECIES);
        DoubleVector c1 = DoubleVector.zero(SPECIES);
        DoubleVector a2 = DoubleVector.zero(SPECIES);
        DoubleVector c2 = DoubleVector.zero(SPECIES);
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final DoubleVector xa = DoubleVector.fromArray(SPECIES, x, xOff + i);
            final DoubleVector xb = DoubleVector.fromArray(SPECIES, x, xOff + i + 4);
            a0 = xa.fma(DoubleVector.fromArray(SPECIES, b0, o0 + i), a0);
            c0 = xb.fma(DoubleVector.fromArray(SPECIES, b0, o0 + i + 4), c0);
            a1 = xa.fma(DoubleVector.fromArray(SPECIES, b1, o1 + i), a1);
            c1 = xb.fma(DoubleVector.fromArray(SPECIES, b1, o1 + i + 4), c1);
            a2 = xa.fma(DoubleVector.fromArray(SPECIES, b2, o2 + i), a2);
            c2 = xb.fma(DoubleVector.fromArray(SPECIES, b2, o2 + i + 4), c2);
        }
        double t0 = 0.0;
        double t1 = 0.0;
        double t2 = 0.0;
        for (; i < n; i++)
        {
            final double xi = x[xOff + i];
            t0 = Math.fma(xi, b0[o0 + i], t0);
            t1 = Math.fma(xi, b1[o1 + i], t1);
            t2 = Math.fma(xi, b2[o2 + i], t2);
        }
        out[outOff] = Kernels.combine(a0.lane(0), a0.lane(1), a0.lane(2), a0.lane(3),
            c0.lane(0), c0.lane(1), c0.lane(2), c0.lane(3), t0);
        out[outOff + 1] = Kernels.combine(a1.lane(0), a1.lane(1), a1.lane(2), a1.lane(3),
            c1.lane(0), c1.lane(1), c1.lane(2), c1.lane(3), t1);
        out[outOff + 2] = Kernels.combine(a2.lane(0), a2.lane(1), a2.lane(2), a2.lane(3),
            c2.lane(0), c2.lane(1), c2.lane(2), c2.lane(3), t2);
    }

    /**
     * Four dot products of rows r0..r3 of m (row length n) with x, reading x once: each row's arithmetic is
     * exactly that of {@link #dot}, so the four results equal four separate dots bit for bit.
     */
    static void dot4(final double[] m, final int r0, final int n, final double[] x, final int xOff, final double[] out,
        final int outOff)
    {
        final int o0 = r0 * n;
        final int o1 = o0 + n;
        final int o2 = o1 + n;
        final int o3 = o2 + n;
        DoubleVector a0 = DoubleVector.zero(SPECIES);
        DoubleVector b0 = DoubleVector.zero(SPECIES);
        DoubleVector a1 = DoubleVector.zero(SPECIES);
        DoubleVector b1 = DoubleVector.zero(SPECIES);
        DoubleVector a2 = DoubleVector.zero(SPECIES);
        DoubleVector b2 = DoubleVector.zero(SPECIES);
        DoubleVector a3 = DoubleVector.zero(SPECIES);
        DoubleVector b3 = DoubleVector.zero(SPECIES);
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final DoubleVector xa = DoubleVector.fromArray(SPECIES, x, xOff + i);
            final DoubleVector xb = DoubleVector.fromArray(SPECIES, x, xOff + i + 4);
            a0 = DoubleVector.fromArray(SPECIES, m, o0 + i).fma(xa, a0);
            b0 = DoubleVector.fromArray(SPECIES, m, o0 + i + 4).fma(xb, b0);
            a1 = DoubleVector.fromArray(SPECIES, m, o1 + i).fma(xa, a1);
            b1 = DoubleVector.fromArray(SPECIES, m, o1 + i + 4).fma(xb, b1);
            a2 = DoubleVector.fromArray(SPECIES, m, o2 + i).fma(xa, a2);
            b2 = DoubleVector.fromArray(SPECIES, m, o2 + i + 4).fma(xb, b2);
            a3 = DoubleVector.fromArray(SPECIES, m, o3 + i).fma(xa, a3);
            b3 = DoubleVector.fromArray(SPECIES, m, o3 + i + 4).fma(xb, b3);
        }
        double t0 = 0.0;
        double t1 = 0.0;
        double t2 = 0.0;
        double t3 = 0.0;
        for (; i < n; i++)
        {
            final double xi = x[xOff + i];
            t0 = Math.fma(m[o0 + i], xi, t0);
            t1 = Math.fma(m[o1 + i], xi, t1);
            t2 = Math.fma(m[o2 + i], xi, t2);
            t3 = Math.fma(m[o3 + i], xi, t3);
        }
        out[outOff] = Kernels.combine(a0.lane(0), a0.lane(1), a0.lane(2), a0.lane(3),
            b0.lane(0), b0.lane(1), b0.lane(2), b0.lane(3), t0);
        out[outOff + 1] = Kernels.combine(a1.lane(0), a1.lane(1), a1.lane(2), a1.lane(3),
            b1.lane(0), b1.lane(1), b1.lane(2), b1.lane(3), t1);
        out[outOff + 2] = Kernels.combine(a2.lane(0), a2.lane(1), a2.lane(2), a2.lane(3),
            b2.lane(0), b2.lane(1), b2.lane(2), b2.lane(3), t2);
        out[outOff + 3] = Kernels.combine(a3.lane(0), a3.lane(1), a3.lane(2), a3.lane(3),
            b3.lane(0), b3.lane(1), b3.lane(2), b3.lane(3), t3);
    }

    /**
     * {@link #dot4} of rows r0..r3 scaled by {@code factors[r0 + s]}: each element is multiplied (the rounding of
     * {@link Kernels#scale}) and goes into the lane, accumulator and tail that {@link #dot} gives it; m is not
     * written.
     */
    static void scaledDot4(final double[] factors, final double[] m, final int r0, final int n, final double[] x,
        final int xOff, final double[] out, final int outOff)
    {
        final int o0 = r0 * n;
        final int o1 = o0 + n;
        final int o2 = o1 + n;
        final int o3 = o2 + n;
        final double f0 = factors[r0];
        final double f1 = factors[r0 + 1];
        final double f2 = factors[r0 + 2];
        final double f3 = factors[r0 + 3];
        DoubleVector a0 = DoubleVector.zero(SPECIES);
        DoubleVector b0 = DoubleVector.zero(SPECIES);
        DoubleVector a1 = DoubleVector.zero(SPECIES);
        DoubleVector b1 = DoubleVector.zero(SPECIES);
        DoubleVector a2 = DoubleVector.zero(SPECIES);
        DoubleVector b2 = DoubleVector.zero(SPECIES);
        DoubleVector a3 = DoubleVector.zero(SPECIES);
        DoubleVector b3 = DoubleVector.zero(SPECIES);
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final DoubleVector xa = DoubleVector.fromArray(SPECIES, x, xOff + i);
            final DoubleVector xb = DoubleVector.fromArray(SPECIES, x, xOff + i + 4);
            a0 = DoubleVector.fromArray(SPECIES, m, o0 + i).mul(f0).fma(xa, a0);
            b0 = DoubleVector.fromArray(SPECIES, m, o0 + i + 4).mul(f0).fma(xb, b0);
            a1 = DoubleVector.fromArray(SPECIES, m, o1 + i).mul(f1).fma(xa, a1);
            b1 = DoubleVector.fromArray(SPECIES, m, o1 + i + 4).mul(f1).fma(xb, b1);
            a2 = DoubleVector.fromArray(SPECIES, m, o2 + i).mul(f2).fma(xa, a2);
            b2 = DoubleVector.fromArray(SPECIES, m, o2 + i + 4).mul(f2).fma(xb, b2);
            a3 = DoubleVector.fromArray(SPECIES, m, o3 + i).mul(f3).fma(xa, a3);
            b3 = DoubleVector.fromArray(SPECIES, m, o3 + i + 4).mul(f3).fma(xb, b3);
        }
        double t0 = 0.0;
        double t1 = 0.0;
        double t2 = 0.0;
        double t3 = 0.0;
        for (; i < n; i++)
        {
            final double xi = x[xOff + i];
            t0 = Math.fma(m[o0 + i] * f0, xi, t0);
            t1 = Math.fma(m[o1 + i] * f1, xi, t1);
            t2 = Math.fma(m[o2 + i] * f2, xi, t2);
            t3 = Math.fma(m[o3 + i] * f3, xi, t3);
        }
        out[outOff] = Kernels.combine(a0.lane(0), a0.lane(1), a0.lane(2), a0.lane(3),
            b0.lane(0), b0.lane(1), b0.lane(2), b0.lane(3), t0);
        out[outOff + 1] = Kernels.combine(a1.lane(0), a1.lane(1), a1.lane(2), a1.lane(3),
            b1.lane(0), b1.lane(1), b1.lane(2), b1.lane(3), t1);
        out[outOff + 2] = Kernels.combine(a2.lane(0), a2.lane(1), a2.lane(2), a2.lane(3),
            b2.lane(0), b2.lane(1), b2.lane(2), b2.lane(3), t2);
        out[outOff + 3] = Kernels.combine(a3.lane(0), a3.lane(1), a3.lane(2), a3.lane(3),
            b3.lane(0), b3.lane(1), b3.lane(2), b3.lane(3), t3);
    }

    /**
     * {@link Kernels#scale} of y by {@code factor}, then {@link #axpySquaredNorm}: each element is scaled, updated
     * with the same multiply-then-add and accumulated where {@link #dot} puts it, in one pass.
     */
    static double scaleAxpySquaredNorm(final double factor, final double alpha, final double[] x, final int xOff,
        final double[] y, final int yOff, final int n)
    {
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = DoubleVector.zero(SPECIES);
        final int limit = n & ~7;
        int i = 0;
        for (; i < limit; i += 8)
        {
            final DoubleVector v0 = DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha)
                .add(DoubleVector.fromArray(SPECIES, y, yOff + i).mul(factor));
            final DoubleVector v1 = DoubleVector.fromArray(SPECIES, x, xOff + i + 4).mul(alpha)
                .add(DoubleVector.fromArray(SPECIES, y, yOff + i + 4).mul(factor));
            v0.intoArray(y, yOff + i);
            v1.intoArray(y, yOff + i + 4);
            acc0 = v0.fma(v0, acc0);
            acc1 = v1.fma(v1, acc1);
        }
        double tail = 0.0;
        for (; i < n; i++)
        {
            final double v = y[yOff + i] * factor + alpha * x[xOff + i];
            y[yOff + i] = v;
            tail = Math.fma(v, v, tail);
        }
        return Kernels.combine(acc0.lane(0), acc0.lane(1), acc0.lane(2), acc0.lane(3),
            acc1.lane(0), acc1.lane(1), acc1.lane(2), acc1.lane(3), tail);
    }

    /**
     * {@link Kernels#lowerRankUpdate}: tiles of four rows i by a panel of eight columns j in eight accumulators of
     * four lanes, each lane one entry's fma chain over k, so no lane is ever reduced. Tiles that cross the diagonal
     * or the last row take the scalar chain, which rounds the same way.
     */
    static void lowerRankUpdate(final double[] panels, final int samples, final double[] gram, final int rows)
    {
        final int stride = Kernels.PANEL * samples;
        // A group of rows is swept against one column panel at a time: the panel stays in L1 while the group's
        // features come from L2, so the block is read from memory once per group instead of once per tile.
        for (int g0 = 0; g0 < rows; g0 += RANK_UPDATE_GROUP)
        {
            final int g1 = Math.min(rows, g0 + RANK_UPDATE_GROUP);
            for (int j0 = 0; j0 < g1; j0 += Kernels.PANEL)
            {
                final int jAt = (j0 / Kernels.PANEL) * stride;
                // Tiles of four rows from j0 on: rows above j0 have no entry in this panel's lower triangle.
                for (int i0 = Math.max(g0, j0); i0 < g1; i0 += 4)
                {
                    final int iAt = (i0 / Kernels.PANEL) * stride + i0 % Kernels.PANEL;
                    if (j0 + Kernels.PANEL - 1 <= i0 && i0 + 3 < rows)
                    {
                        rankUpdateTile(panels, samples, iAt, jAt, gram, rows * i0 + j0, rows);
                    }
                    else
                    {
                        for (int i = i0; i < Math.min(i0 + 4, rows); i++)
                        {
                            for (int j = j0; j <= Math.min(i, j0 + Kernels.PANEL - 1); j++)
                            {
                                double g = gram[i * rows + j];
                                for (int k = 0; k < samples; k++)
                                {
                                    g = Math.fma(panels[iAt + i - i0 + Kernels.PANEL * k],
                                        panels[jAt + j - j0 + Kernels.PANEL * k], g);
                                }
                                gram[i * rows + j] = g;
                            }
                        }
                    }
                }
            }
        }
    }

    /** One full tile below the diagonal: G rows at {@code at}, {@code at + rows}, … columns at … + 0..7. */
    private static void rankUpdateTile(final double[] panels, final int samples, final int iAt, final int jAt,
        final double[] gram, final int at, final int rows)
    {
        final int at1 = at + rows;
        final int at2 = at1 + rows;
        final int at3 = at2 + rows;
        DoubleVector c0a = DoubleVector.fromArray(SPECIES, gram, at);
        DoubleVector c0b = DoubleVector.fromArray(SPECIES, gram, at + 4);
        DoubleVector c1a = DoubleVector.fromArray(SPECIES, gram, at1);
        DoubleVector c1b = DoubleVector.fromArray(SPECIES, gram, at1 + 4);
        DoubleVector c2a = DoubleVector.fromArray(SPECIES, gram, at2);
        DoubleVector c2b = DoubleVector.fromArray(SPECIES, gram, at2 + 4);
        DoubleVector c3a = DoubleVector.fromArray(SPECIES, gram, at3);
        DoubleVector c3b = DoubleVector.fromArray(SPECIES, gram, at3 + 4);
        for (int k = 0; k < samples; k++)
        {
            final int jk = jAt + Kernels.PANEL * k;
            final int ik = iAt + Kernels.PANEL * k;
            final DoubleVector fa = DoubleVector.fromArray(SPECIES, panels, jk);
            final DoubleVector fb = DoubleVector.fromArray(SPECIES, panels, jk + 4);
            final DoubleVector f0 = DoubleVector.broadcast(SPECIES, panels[ik]);
            final DoubleVector f1 = DoubleVector.broadcast(SPECIES, panels[ik + 1]);
            final DoubleVector f2 = DoubleVector.broadcast(SPECIES, panels[ik + 2]);
            final DoubleVector f3 = DoubleVector.broadcast(SPECIES, panels[ik + 3]);
            c0a = f0.fma(fa, c0a);
            c0b = f0.fma(fb, c0b);
            c1a = f1.fma(fa, c1a);
            c1b = f1.fma(fb, c1b);
            c2a = f2.fma(fa, c2a);
            c2b = f2.fma(fb, c2b);
            c3a = f3.fma(fa, c3a);
            c3b = f3.fma(fb, c3b);
        }
        c0a.intoArray(gram, at);
        c0b.intoArray(gram, at + 4);
        c1a.intoArray(gram, at1);
        c1b.intoArray(gram, at1 + 4);
        c2a.intoArray(gram, at2);
        c2b.intoArray(gram, at2 + 4);
        c3a.intoArray(gram, at3);
        c3b.intoArray(gram, at3 + 4);
    }
}
