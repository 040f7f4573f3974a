package org.sgdsim.math;

import java.util.Objects;

/**
 * Bit-reproducible xoshiro256++ generator with a 256-layer Marsaglia–Tsang ziggurat standard-normal sampler.
 * <p>
 * The output is a pure function of (seed, stream) on every JVM and CPU: the generator is integer-only, the ziggurat
 * tables are built once with {@link StrictMath}, the wedge and tail tests use {@link StrictMath#exp(double)} and
 * {@link StrictMath#log(double)}, and the remaining floating point is exactly rounded IEEE 754 arithmetic. The layer
 * count, {@link #R}, {@link #V}, bit layout and draw order are part of the determinism contract and must never change.
 * <p>
 * Each Gaussian costs one {@link #nextLong()}: the low 8 bits pick the layer and the high 53 bits, as a signed value,
 * give the abscissa, so the two never share bits. About 99% of draws are accepted by one integer comparison. Not
 * thread safe; give each thread its own stream.
 */
public final class GaussianStream
{
    /** Number of ziggurat layers: 256 keeps the fast-path acceptance near 99% with 6 KiB of tables. */
    public static final int LAYERS = 256;

    /** Right edge of the base layer; draws beyond it come from Marsaglia's exponential tail sampler. */
    public static final double R = 3.654152885361009;

    /** Common area of every layer under the unnormalised density exp(-x²/2) for {@link #R} and 256 layers. */
    public static final double V = 0.004928673233974655;

    private static final int LAYER_MASK = LAYERS - 1;

    // Bits 8..10 are discarded so the 53-bit signed abscissa converts to double exactly, with no rounding mode in play.
    private static final int ABSCISSA_SHIFT = 11;
    private static final double ABSCISSA_SCALE = 0x1.0p-52;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    // K[i]: |abscissa| below this is strictly inside layer i's rectangle, so the draw is accepted without a density test.
    private static final long[] K = new long[LAYERS];

    // W[i]: right edge of layer i scaled by 2^-52, so abscissa * W[i] is the candidate value.
    private static final double[] W = new double[LAYERS];

    // F[i]: exp(-x_i²/2) at the right edge of layer i, with F[0] = 1 as the top of the ziggurat.
    private static final double[] F = new double[LAYERS];

    static
    {
        // Layer 0 is the base strip: a rectangle of width q = V / f(R) whose part beyond R stands for the tail.
        // Layers are numbered from the base strip upwards: 255 sits on the base strip, 1 is the cap at the mode.
        final double fR = StrictMath.exp(-0.5 * R * R);
        final double q = V / fR;

        K[0] = (long)((R / q) / ABSCISSA_SCALE);
        W[0] = q * ABSCISSA_SCALE;
        F[0] = 1.0;

        W[LAYER_MASK] = R * ABSCISSA_SCALE;
        F[LAYER_MASK] = fR;

        double edge = R;
        for (int i = LAYER_MASK - 1; i >= 1; i--)
        {
            final double next = StrictMath.sqrt(-2.0 * StrictMath.log(V / edge + F[i + 1]));
            K[i + 1] = (long)((next / edge) / ABSCISSA_SCALE);
            W[i] = next * ABSCISSA_SCALE;
            F[i] = StrictMath.exp(-0.5 * next * next);
            edge = next;
        }

        // The cap has no rectangle under it, so every draw in it goes through the wedge test.
        K[1] = 0;
    }

    private long s0;
    private long s1;
    private long s2;
    private long s3;

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
    public double nextDouble()
    {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * Next standard normal value.
     *
     * @return N(0, 1) variate.
     */
    public double nextGaussian()
    {
        final long bits = nextLong();
        final int layer = (int)bits & LAYER_MASK;
        final long abscissa = bits >> ABSCISSA_SHIFT;

        if (Math.abs(abscissa) < K[layer])
        {
            return abscissa * W[layer];
        }

        return nextGaussianSlow(layer, abscissa);
    }

    /**
     * Fill a range with standard normals, identical to repeated {@link #nextGaussian()} calls.
     *
     * @param dst    destination array.
     * @param offset index of the first element to write.
     * @param length number of elements to write.
     */
    public void fill(final double[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);

        for (int i = offset, limit = offset + length; i < limit; i++)
        {
            dst[i] = nextGaussian();
        }
    }

    /**
     * Fill a range with standard normals rounded to float, consuming the stream exactly as the double variant does.
     *
     * @param dst    destination array.
     * @param offset index of the first element to write.
     * @param length number of elements to write.
     */
    public void fill(final float[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);

        for (int i = offset, limit = offset + length; i < limit; i++)
        {
            dst[i] = (float)nextGaussian();
        }
    }

    // Kept out of nextGaussian() so the fast path stays small enough to inline everywhere.
    private double nextGaussianSlow(final int firstLayer, final long firstAbscissa)
    {
        int layer = firstLayer;
        long abscissa = firstAbscissa;

        while (true)
        {
            if (0 == layer)
            {
                return nextTail(abscissa < 0);
            }

            // Wedge: uniform height within the layer, compared against the true density.
            final double x = abscissa * W[layer];
            final double y = F[layer] + nextDouble() * (F[layer - 1] - F[layer]);
            if (y < StrictMath.exp(-0.5 * x * x))
            {
                return x;
            }

            final long bits = nextLong();
            layer = (int)bits & LAYER_MASK;
            abscissa = bits >> ABSCISSA_SHIFT;

            if (Math.abs(abscissa) < K[layer])
            {
                return abscissa * W[layer];
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
