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
}
