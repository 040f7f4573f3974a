package org.sgdsim.math;

import java.util.Objects;

/**
 * Standard normals from eight interleaved xoshiro256++ lanes through {@link GaussianStream}'s 1024-layer ziggurat,
 * with the uniforms drawn on the Vector API when it is there; the output is a pure function of (seed, stream) on
 * every JVM and CPU, whatever the vector width.
 * <p>
 * The stream is defined in rounds of {@link #LANES} values: value 8r + j takes the r-th 64-bit output of lane j and
 * goes through the ziggurat's rectangle test exactly as in {@link GaussianStream} (same tables, same bit layout, one
 * integer comparison and one correctly rounded multiply). A value that fails the test (0.43% of them) is finished by
 * the wedge or tail test with uniforms from a ninth, scalar stream, in the order of the values, so the lanes never
 * leave lock-step and the vector, 256-bit and scalar paths compute the same integers in the same order: equal bits.
 * <p>
 * Seeding: lane j's word w is the (8w + j)-th of 32 consecutive SplitMix64 outputs after {@code Seeds.mix(seed,
 * stream)}, as {@link GaussianStream#reseed} takes four; mix64 is a bijection of distinct inputs, so no lane can be
 * all zero. The fallback stream is {@code GaussianStream(Seeds.mix(seed, stream), FALLBACK)}; {@link #nextLong()} and
 * {@link #nextDouble()} draw from it too. Not thread safe; give each thread its own stream.
 */
public final class VectorGaussianStream implements GaussianSource
{
    /** Number of interleaved xoshiro256++ lanes: part of the determinism contract, whatever the hardware width. */
    public static final int LANES = 8;

    /** Which code draws the lanes' uniforms; all three give the same bits. */
    enum Path
    {
        VECTOR_512,
        VECTOR_256,
        SCALAR
    }

    /** The path new streams take: {@code -Dsgdsim.gaussian.lanes=512|256|scalar} forces one, for tests and benches. */
    static final Path DEFAULT_PATH = choosePath();

    // Values per pass of uniform generation. A pass with a rejection is scanned again to find it (a quarter of the
    // passes at 64), so short passes keep that cheap while amortising the loading of the lanes' state.
    private static final int CHUNK = 64;

    private static final long FALLBACK = 0x6661_6c6c_6261_636bL;

    private final Path path;
    // Word w of lane j at [w * LANES + j], so each word is one 512-bit vector.
    private final long[] state = new long[4 * LANES];
    private final long[] bits = new long[CHUNK];
    private final double[] round = new double[LANES];
    private final GaussianStream fallback = new GaussianStream();
    private int roundNext = LANES;

    /** Create a stream seeded as if by {@code reseed(0, 0)}. */
    public VectorGaussianStream()
    {
        this(0L, 0L);
    }

    /**
     * Create a stream seeded from (seed, stream).
     *
     * @param seed   experiment seed.
     * @param stream sub-stream index, e.g. a block index.
     */
    public VectorGaussianStream(final long seed, final long stream)
    {
        this(seed, stream, DEFAULT_PATH);
    }

    VectorGaussianStream(final long seed, final long stream, final Path path)
    {
        this.path = path;
        reseed(seed, stream);
    }

    private static Path choosePath()
    {
        final String forced = System.getProperty("sgdsim.gaussian.lanes");
        if ("scalar".equals(forced) || !Kernels.VECTOR)
        {
            return Path.SCALAR;
        }
        final int bits = "256".equals(forced) ? 256 : "512".equals(forced) ? 512 : VectorLanes.preferredBits();
        return bits >= 512 ? Path.VECTOR_512 : bits >= 256 ? Path.VECTOR_256 : Path.SCALAR;
    }

    @Override
    public void reseed(final long seed, final long stream)
    {
        final long mixed = Seeds.mix(seed, stream);
        long x = mixed;
        for (int i = 0; i < state.length; i++)
        {
            x += Seeds.GOLDEN_GAMMA;
            state[i] = Seeds.mix64(x);
        }
        fallback.reseed(mixed, FALLBACK);
        roundNext = LANES;
    }

    @Override
    public long nextLong()
    {
        return fallback.nextLong();
    }

    @Override
    public double nextDouble()
    {
        return fallback.nextDouble();
    }

    @Override
    public double nextGaussian()
    {
        if (roundNext == LANES)
        {
            generate(round, 0, LANES);
            roundNext = 0;
        }
        return round[roundNext++];
    }

    @Override
    public void fill(final double[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);

        int i = offset;
        int left = length;
        while (left > 0 && roundNext < LANES)
        {
            dst[i++] = round[roundNext++];
            left--;
        }

        final int whole = left & -LANES;
        generate(dst, i, whole);
        i += whole;
        left -= whole;

        if (left > 0)
        {
            generate(round, 0, LANES);
            System.arraycopy(round, 0, dst, i, left);
            roundNext = left;
        }
    }

    // n values, a multiple of LANES, into dst[off, off + n): whole rounds.
    private void generate(final double[] dst, final int off, final int n)
    {
        for (int done = 0; done < n; done += CHUNK)
        {
            final int m = Math.min(CHUNK, n - done);
            switch (path)
            {
                case VECTOR_512:
                    VectorLanes.next512(state, bits, m);
                    break;
                case VECTOR_256:
                    VectorLanes.next256(state, bits, m);
                    break;
                default:
                    nextScalar(state, bits, m);
                    break;
            }

            final int base = off + done;
            if (transform(dst, base, m) != 0)
            {
                fix(dst, base, m);
            }
        }
    }

    // The rectangle test of GaussianStream.nextGaussian over bits[0, n), every value written as if accepted; returns
    // how many failed. Counting, rather than recording where, keeps the loop free of dependent stores: recording the
    // indices made it about 50% slower on JDK 17 (C2, Zen 4), measured.
    private int transform(final double[] dst, final int base, final int n)
    {
        final long[] bits = this.bits;
        final long[] k = GaussianStream.K;
        final double[] w = GaussianStream.W;
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            final long b = bits[i];
            final int index = (int)b & GaussianStream.INDEX_MASK;
            final long magnitude = b >>> GaussianStream.MAGNITUDE_SHIFT;
            dst[base + i] = magnitude * w[index];
            if (magnitude >= k[index])
            {
                count++;
            }
        }
        return count;
    }

    // Finish the values of the chunk that failed the rectangle test, in order, from the fallback stream.
    private void fix(final double[] dst, final int base, final int n)
    {
        final long[] bits = this.bits;
        final long[] k = GaussianStream.K;
        for (int i = 0; i < n; i++)
        {
            final long b = bits[i];
            if (b >>> GaussianStream.MAGNITUDE_SHIFT >= k[(int)b & GaussianStream.INDEX_MASK])
            {
                dst[base + i] = fallback.rejected(b);
            }
        }
    }

    /**
     * The lanes' next n / LANES outputs in round order with plain longs: lanes j and j + 4 stepped together, so two
     * independent chains of xoshiro steps overlap (one lane at a time ran about 1.7 times the ziggurat's time).
     */
    static void nextScalar(final long[] state, final long[] out, final int n)
    {
        final int half = LANES / 2;
        for (int j = 0; j < half; j++)
        {
            final int k = j + half;
            long a0 = state[j];
            long a1 = state[LANES + j];
            long a2 = state[2 * LANES + j];
            long a3 = state[3 * LANES + j];
            long b0 = state[k];
            long b1 = state[LANES + k];
            long b2 = state[2 * LANES + k];
            long b3 = state[3 * LANES + k];
            for (int i = 0; i < n; i += LANES)
            {
                out[i + j] = Long.rotateLeft(a0 + a3, 23) + a0;
                out[i + k] = Long.rotateLeft(b0 + b3, 23) + b0;
                final long ta = a1 << 17;
                final long tb = b1 << 17;
                a2 ^= a0;
                b2 ^= b0;
                a3 ^= a1;
                b3 ^= b1;
                a1 ^= a2;
                b1 ^= b2;
                a0 ^= a3;
                b0 ^= b3;
                a2 ^= ta;
                b2 ^= tb;
                a3 = Long.rotateLeft(a3, 45);
                b3 = Long.rotateLeft(b3, 45);
            }
            state[j] = a0;
            state[LANES + j] = a1;
            state[2 * LANES + j] = a2;
            state[3 * LANES + j] = a3;
            state[k] = b0;
            state[LANES + k] = b1;
            state[2 * LANES + k] = b2;
            state[3 * LANES + k] = b3;
        }
    }
}
