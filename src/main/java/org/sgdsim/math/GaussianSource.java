package org.sgdsim.math;

/**
 * A reseedable, bit-reproducible stream of standard normals and uniforms: {@link GaussianStream} or
 * {@link VectorGaussianStream}, chosen per run by {@link GaussianAlgorithm}.
 */
public interface GaussianSource
{
    /**
     * Reset the state in place from (seed, stream) without allocating.
     *
     * @param seed   experiment seed.
     * @param stream sub-stream index, e.g. a block index.
     */
    void reseed(long seed, long stream);

    /**
     * Next standard normal value.
     *
     * @return N(0, 1) variate.
     */
    double nextGaussian();

    /**
     * Fill a range with standard normals, identical to repeated {@link #nextGaussian()} calls.
     *
     * @param dst    destination array.
     * @param offset index of the first element to write.
     * @param length number of elements to write.
     */
    void fill(double[] dst, int offset, int length);

    /**
     * Next uniformly distributed 64-bit value.
     *
     * @return 64 random bits.
     */
    long nextLong();

    /**
     * Next uniformly distributed double in [0, 1) with 53 random bits.
     *
     * @return uniform value in [0, 1).
     */
    double nextDouble();
}
