package org.sgdsim.math;

/**
 * Stable 64-bit seed derivation built from the SplitMix64 finaliser.
 * <p>
 * Every constant in this class, and the exact composition in {@link #mix(long, long)}, is part of the simulator's
 * determinism contract: the data stream of a run is a pure function of (seed, block index) through these functions,
 * so changing any of them silently changes every recorded experiment. They must never change.
 */
public final class Seeds
{
    /** Weyl increment of SplitMix64: 2^64 / golden ratio, rounded to odd. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private static final long MIX_MULTIPLIER_1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX_MULTIPLIER_2 = 0x94D049BB133111EBL;

    private Seeds()
    {
    }

    /**
     * SplitMix64 finaliser (Stafford variant 13), a bijection on 64-bit values with full avalanche.
     *
     * @param z value to mix.
     * @return mixed value.
     */
    public static long mix64(final long z)
    {
        long x = z;
        x = (x ^ (x >>> 30)) * MIX_MULTIPLIER_1;
        x = (x ^ (x >>> 27)) * MIX_MULTIPLIER_2;

        return x ^ (x >>> 31);
    }

    /**
     * Well-mixed 64-bit hash of the pair (seed, salt); neighbouring salts give unrelated outputs.
     *
     * @param seed base seed, e.g. the experiment seed.
     * @param salt sub-stream selector, e.g. a block index.
     * @return derived seed.
     */
    public static long mix(final long seed, final long salt)
    {
        // Mixing the seed before adding the salt stops structured collisions such as (s, k + 1) == (s + gamma, k)
        // that a single mix64(seed + gamma * (salt + 1)) would have; the outer mix64 decorrelates adjacent salts.
        return mix64(mix64(seed + GOLDEN_GAMMA) + GOLDEN_GAMMA * (salt + 1));
    }
}
