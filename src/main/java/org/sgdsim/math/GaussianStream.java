package org.sgdsim.math;

import java.util.Objects;

/**
 * Bit-reproducible xoshiro256++ generator with a 1024-layer Marsaglia–Tsang ziggurat standard-normal sampler.
 * <p>
 * The output is a pure function of (seed, stream) on every JVM and CPU: the generator is integer-only, the ziggurat
 * tables are built once with {@link StrictMath}, the wedge and tail tests use {@link StrictMath#exp(double)} and
 * {@link StrictMath#log(double)}, and the remaining floating point is exactly rounded IEEE 754 arithmetic. The layer
 * count, {@link #R}, {@link #V}, bit layout and draw order are part of the determinism contract and must never change.
 * <p>
 * Each Gaussian costs one {@link #nextLong()}. Its low 10 bits pick the layer, bit 10 the sign, and the high 52 bits
 * are the magnitude of the abscissa (bit 11 is unused), so no two of them share bits; a zero magnitude with the sign
 * bit set gives -0.0. About 99.57% of draws are accepted by one integer comparison; the rest go through the wedge or
 * tail test, which draw further values from the same generator, in order, before the next Gaussian's draw.
 * <p>
 * Speed (JDK 17, C2): a rejected draw is a branch the CPU cannot predict, and inside a long fill it costs about as
 * much as 40 to 60 accepted draws, so the layer count, which sets the rejection rate (1.49% with 256 layers, 0.43%
 * with 1024), matters more than anything on the fast path. The hot tables K and W take 32 KiB. {@code fill} runs a
 * call-free loop with the generator state in locals and leaves it only at a rejection. Not thread safe; give each
 * thread its own stream.
 */
public final class GaussianStream implements GaussianSource
{
    /** Number of ziggurat layers: 1024 keeps the fast-path acceptance at 99.57% with 32 KiB of hot tables. */
    public static final int LAYERS = 1024;

    /**
     * Right edge of the base layer; draws beyond it come from Marsaglia's exponential tail sampler. R and {@link #V}
     * solve the 1024-layer ziggurat equations in 60-digit arithmetic (the cap layer's area is V), rounded to double.
     */
    public static final double R = 4.038849846109504;

    /** Common area of every layer under the unnormalised density exp(-x²/2) for {@link #R} and 1024 layers. */
    public static final double V = 0.001226324646353088;

    static final int LAYER_MASK = LAYERS - 1;

    // Low 11 bits: layer (bits 0..9) and sign (bit 10), i.e. an index into the sign-folded K and W tables.
    static final int INDEX_MASK = 2 * LAYERS - 1;

    // The 52-bit magnitude converts to double exactly, with no rounding mode in play.
    static final int MAGNITUDE_SHIFT = 12;
    private static final double MAGNITUDE_SCALE = 0x1.0p-52;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    // K[j]: a magnitude below this is strictly inside the rectangle of layer j & LAYER_MASK, so the draw is accepted
    // without a density test. Entries j and j + LAYERS are equal: the sign does not matter here.
    static final long[] K = new long[2 * LAYERS];

    // W[j]: right edge of layer j & LAYER_MASK scaled by 2^-52 and negated for j >= LAYERS, so magnitude * W[j] is the
    // signed candidate value. Folding the sign into the table saves an abs and a negation on the fast path.
    static final double[] W = new double[2 * LAYERS];

    // F[i]: exp(-x_i²/2) at the right edge of layer i, with F[0] = 1 as the top of the ziggurat.
    private static final double[] F = new double[LAYERS];

    static
    {
        // Layer 0 is the base strip: a rectangle of width q = V / f(R) whose part beyond R stands for the tail.
        // Layers are numbered from the base strip upwards: 1023 sits on the base strip, 1 is the cap at the mode.
        final double[] edges = new double[LAYERS];
        final double fR = StrictMath.exp(-0.5 * R * R);
        final double q = V / fR;

        K[0] = (long)((R / q) / MAGNITUDE_SCALE);
        edges[0] = q;
        F[0] = 1.0;

        edges[LAYER_MASK] = R;
        F[LAYER_MASK] = fR;

        double edge = R;
        for (int i = LAYER_MASK - 1; i >= 1; i--)
        {
            final double next = StrictMath.sqrt(-2.0 * StrictMath.log(V / edge + F[i + 1]));
            K[i + 1] = (long)((next / edge) / MAGNITUDE_SCALE);
            edges[i] = next;
            F[i] = StrictMath.exp(-0.5 * next * next);
            edge = next;
        }

        // The cap has no rectangle under it, so every draw in it goes through the wedge test.
        K[1] = 0;

        for (int i = 0; i < LAYERS; i++)
        {
            K[i + LAYERS] = K[i];
            W[i] = edges[i] * MAGNITUDE_SCALE;
            W[i + LAYERS] = -W[i];
        }
    }

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    // Bits of the draw at which fillFast stopped; read by fill right after, meaningless otherwise.
    private long rejectedBits;

    /** Create a stream seeded as if by {@code reseed(0, 0)}. */
    public GaussianStream()
    {
        reseed(0L, 0L);
    }

    /**
     * Create a stream seeded from (seed, stream).
     *
     * @param seed   experiment seed.
     * @param stream sub-stream index, e.g. a block index.
     */
    public GaussianStream(final long seed, final long stream)
    {
        reseed(seed, stream);
    }

    /**
     * Reset the state in place from (seed, stream) without allocating.
     *
     * @param seed   experiment seed.
     * @param stream sub-stream index, e.g. a block index.
     */
    @Override
    public void reseed(final long seed, final long stream)
    {
        // Four consecutive SplitMix64 outputs: mix64 is a bijection and its four inputs are distinct, so at most one
        // word can be zero and the forbidden all-zero xoshiro state is impossible.
        long x = Seeds.mix(seed, stream);
        s0 = Seeds.mix64(x += Seeds.GOLDEN_GAMMA);
        s1 = Seeds.mix64(x += Seeds.GOLDEN_GAMMA);
        s2 = Seeds.mix64(x += Seeds.GOLDEN_GAMMA);
        s3 = Seeds.mix64(x + Seeds.GOLDEN_GAMMA);
    }

    /**
     * Next uniformly distributed 64-bit value (xoshiro256++).
     *
     * @return 64 random bits.
     */
    @Override
    public long nextLong()
    {
        final long s0 = this.s0;
        final long s1 = this.s1;
        final long s2 = this.s2 ^ s0;
        final long s3 = this.s3 ^ s1;
        final long result = Long.rotateLeft(s0 + this.s3, 23) + s0;

        this.s0 = s0 ^ s3;
        this.s1 = s1 ^ s2;
        this.s2 = s2 ^ (s1 << 17);
        this.s3 = Long.rotateLeft(s3, 45);

        return result;
    }

    /**
     * Next uniformly distributed double in [0, 1) with 53 random bits.
     *
     * @return uniform value in [0, 1).
     */
    @Override
    public double nextDouble()
    {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * Next standard normal value.
     *
     * @return N(0, 1) variate.
     */
    @Override
    public double nextGaussian()
    {
        final long bits = nextLong();
        final int index = (int)bits & INDEX_MASK;
        final long magnitude = bits >>> MAGNITUDE_SHIFT;

        if (magnitude < K[index])
        {
            return magnitude * W[index];
        }

        return nextGaussianSlow(index, magnitude);
    }

    /**
     * Fill a range with standard normals, identical to repeated {@link #nextGaussian()} calls.
     *
     * @param dst    destination array.
     * @param offset index of the first element to write.
     * @param length number of elements to write.
     */
    @Override
    public void fill(final double[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);

        final int limit = offset + length;
        int i = offset;
        while ((i = fillFast(dst, i, limit)) < limit)
        {
            final long bits = rejectedBits;
            dst[i++] = nextGaussianSlow((int)bits & INDEX_MASK, bits >>> MAGNITUDE_SHIFT);
        }
    }

    // nextGaussian()'s fast path over dst[from, limit) with the state in locals. Stops at the first draw that fails the
    // rectangle test and returns its index, with its bits in rejectedBits and the state already past it; returns limit
    // if there is none. The loop contains no call: with the slow path's call inside it, C2 spills the index and array
    // to the stack in the hot path (about 15% slower).
    private int fillFast(final double[] dst, final int from, final int limit)
    {
        long s0 = this.s0;
        long s1 = this.s1;
        long s2 = this.s2;
        long s3 = this.s3;

        int i = from;
        for (; i < limit; i++)
        {
            final long bits = Long.rotateLeft(s0 + s3, 23) + s0;
            final long t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = Long.rotateLeft(s3, 45);

            final int index = (int)bits & INDEX_MASK;
            final long magnitude = bits >>> MAGNITUDE_SHIFT;
            if (magnitude >= K[index])
            {
                rejectedBits = bits;
                break;
            }

            dst[i] = magnitude * W[index];
        }

        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;

        return i;
    }

    /**
     * Finish a draw whose bits failed the rectangle test, drawing the wedge or tail test's values from this stream:
     * {@link VectorGaussianStream}'s ordered fallback. Not used by {@link #fill}, whose compiled loop it must not change.
     */
    double rejected(final long bits)
    {
        return nextGaussianSlow((int)bits & INDEX_MASK, bits >>> MAGNITUDE_SHIFT);
    }

    // Kept out of nextGaussian() so the fast path stays small enough to inline everywhere. C2 inlines it into fill, and
    // its shape affects fill's code: taking the sign from W[index] up front rather than negating x on return gives the
    // same values but made fill about 10% faster on JDK 17 (measured, not derived: recheck after editing this method).
    private double nextGaussianSlow(final int firstIndex, final long firstMagnitude)
    {
        int index = firstIndex;
        long magnitude = firstMagnitude;

        while (true)
        {
            final int layer = index & LAYER_MASK;
            if (0 == layer)
            {
                return nextTail(index > LAYER_MASK);
            }

            // Wedge: uniform height within the layer, compared against the true density.
            final double x = magnitude * W[index];
            final double y = F[layer] + nextDouble() * (F[layer - 1] - F[layer]);
            if (y < StrictMath.exp(-0.5 * x * x))
            {
                return x;
            }

            final long bits = nextLong();
            index = (int)bits & INDEX_MASK;
            magnitude = bits >>> MAGNITUDE_SHIFT;

            if (magnitude < K[index])
            {
                return magnitude * W[index];
            }
        }
    }

    // Marsaglia (1964): x = -ln(u1) / R is exponential, accepted with probability exp(-x²/2) via a second exponential.
    private double nextTail(final boolean negative)
    {
        double x;
        double y;
        do
        {
            x = -StrictMath.log(nextDoubleNonZero()) / R;
            y = -StrictMath.log(nextDoubleNonZero());
        }
        while (y + y < x * x);

        return negative ? -(R + x) : R + x;
    }

    // (0, 1] so that log never sees zero.
    private double nextDoubleNonZero()
    {
        return ((nextLong() >>> 11) + 1L) * DOUBLE_UNIT;
    }
}
