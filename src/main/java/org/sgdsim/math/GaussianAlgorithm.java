package org.sgdsim.math;

import java.util.Locale;

/**
 * Which Gaussian generator a run draws from (config key {@code data.gaussian}); part of a run's identity, since the
 * two give different numbers from the same seed.
 */
public enum GaussianAlgorithm
{
    /** {@link VectorGaussianStream}: eight interleaved xoshiro256++ lanes, the default of new runs. */
    VECTOR,

    /** {@link GaussianStream}: one xoshiro256++ stream; runs and sweeps written before the key existed used it. */
    ZIGGURAT;

    /** The value of {@code data.gaussian} a run folder or sweep without the key was written with. */
    public static final GaussianAlgorithm LEGACY = ZIGGURAT;

    /**
     * A stream seeded as if by {@code reseed(seed, stream)}.
     *
     * @param seed   experiment seed.
     * @param stream sub-stream index.
     * @return a new stream of this algorithm.
     */
    public GaussianSource stream(final long seed, final long stream)
    {
        return this == VECTOR ? new VectorGaussianStream(seed, stream) : new GaussianStream(seed, stream);
    }

    /**
     * A stream seeded as if by {@code reseed(0, 0)}, for callers that reseed it before every use.
     *
     * @return a new stream of this algorithm.
     */
    public GaussianSource stream()
    {
        return stream(0L, 0L);
    }

    /** @return the config spelling, {@code vector} or {@code ziggurat}. */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parse a config value.
     *
     * @param value {@code vector} or {@code ziggurat}.
     * @return the algorithm, or null if the value names none.
     */
    public static GaussianAlgorithm parse(final String value)
    {
        for (final GaussianAlgorithm a : values())
        {
            if (a.key().equals(value))
            {
                return a;
            }
        }
        return null;
    }
}
