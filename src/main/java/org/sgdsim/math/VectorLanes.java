package org.sgdsim.math;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorGaussianStream#nextScalar} on the Vector API: the eight xoshiro256++ lanes as one 512-bit vector per
 * state word, or two 256-bit halves. Integer operations only, so every path gives the same bits. Loaded only when
 * the {@code jdk.incubator.vector} module is present.
 */
final class VectorLanes
{
    private static final VectorSpecies<Long> L512 = LongVector.SPECIES_512;
    private static final VectorSpecies<Long> L256 = LongVector.SPECIES_256;
    private static final int LANES = VectorGaussianStream.LANES;

    private VectorLanes()
    {
    }

    static int preferredBits()
    {
        return VectorShape.preferredShape().vectorBitSize();
    }

    // Rotations are written out as two shifts and an or: VectorOperators.ROL, and a helper method C2 may decline to
    // inline, both compile to much slower code on JDK 17.
    static void next512(final long[] state, final long[] out, final int n)
    {
        LongVector s0 = LongVector.fromArray(L512, state, 0);
        LongVector s1 = LongVector.fromArray(L512, state, LANES);
        LongVector s2 = LongVector.fromArray(L512, state, 2 * LANES);
        LongVector s3 = LongVector.fromArray(L512, state, 3 * LANES);
        for (int i = 0; i < n; i += LANES)
        {
            final LongVector sum = s0.add(s3);
            sum.lanewise(VectorOperators.LSHL, 23).or(sum.lanewise(VectorOperators.LSHR, 41)).add(s0).intoArray(out, i);
            final LongVector t = s1.lanewise(VectorOperators.LSHL, 17);
            s2 = s2.lanewise(VectorOperators.XOR, s0);
            s3 = s3.lanewise(VectorOperators.XOR, s1);
            s1 = s1.lanewise(VectorOperators.XOR, s2);
            s0 = s0.lanewise(VectorOperators.XOR, s3);
            s2 = s2.lanewise(VectorOperators.XOR, t);
            s3 = s3.lanewise(VectorOperators.LSHL, 45).or(s3.lanewise(VectorOperators.LSHR, 19));
        }
        s0.intoArray(state, 0);
        s1.intoArray(state, LANES);
        s2.intoArray(state, 2 * LANES);
        s3.intoArray(state, 3 * LANES);
    }

    static void next256(final long[] state, final long[] out, final int n)
    {
        // Lanes 0-3 (suffix a) and 4-7 (suffix b), stepped together.
        LongVector a0 = LongVector.fromArray(L256, state, 0);
        LongVector b0 = LongVector.fromArray(L256, state, 4);
        LongVector a1 = LongVector.fromArray(L256, state, LANES);
        LongVector b1 = LongVector.fromArray(L256, state, LANES + 4);
        LongVector a2 = LongVector.fromArray(L256, state, 2 * LANES);
        LongVector b2 = LongVector.fromArray(L256, state, 2 * LANES + 4);
        LongVector a3 = LongVector.fromArray(L256, state, 3 * LANES);
        LongVector b3 = LongVector.fromArray(L256, state, 3 * LANES + 4);
        for (int i = 0; i < n; i += LANES)
        {
            final LongVector sumA = a0.add(a3);
            final LongVector sumB = b0.add(b3);
            sumA.lanewise(VectorOperators.LSHL, 23).or(sumA.lanewise(VectorOperators.LSHR, 41)).add(a0).intoArray(out, i);
            sumB.lanewise(VectorOperators.LSHL, 23).or(sumB.lanewise(VectorOperators.LSHR, 41)).add(b0).intoArray(out, i + 4);
            final LongVector ta = a1.lanewise(VectorOperators.LSHL, 17);
            final LongVector tb = b1.lanewise(VectorOperators.LSHL, 17);
            a2 = a2.lanewise(VectorOperators.XOR, a0);
            b2 = b2.lanewise(VectorOperators.XOR, b0);
            a3 = a3.lanewise(VectorOperators.XOR, a1);
            b3 = b3.lanewise(VectorOperators.XOR, b1);
            a1 = a1.lanewise(VectorOperators.XOR, a2);
            b1 = b1.lanewise(VectorOperators.XOR, b2);
            a0 = a0.lanewise(VectorOperators.XOR, a3);
            b0 = b0.lanewise(VectorOperators.XOR, b3);
            a2 = a2.lanewise(VectorOperators.XOR, ta);
            b2 = b2.lanewise(VectorOperators.XOR, tb);
            a3 = a3.lanewise(VectorOperators.LSHL, 45).or(a3.lanewise(VectorOperators.LSHR, 19));
            b3 = b3.lanewise(VectorOperators.LSHL, 45).or(b3.lanewise(VectorOperators.LSHR, 19));
        }
        a0.intoArray(state, 0);
        b0.intoArray(state, 4);
        a1.intoArray(state, LANES);
        b1.intoArray(state, LANES + 4);
        a2.intoArray(state, 2 * LANES);
        b2.intoArray(state, 2 * LANES + 4);
        a3.intoArray(state, 3 * LANES);
        b3.intoArray(state, 3 * LANES + 4);
    }
}
