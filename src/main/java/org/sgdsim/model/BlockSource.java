package org.sgdsim.model;

/**
 * A source of fixed-size blocks of consecutive samples of a run's stream; block b is a function of (seed, b)
 * alone. One instance per thread: it owns its generator and scratch.
 */
public interface BlockSource
{
    /** Fills x (blockSize × {@link #dim()}, row-major) and y (blockSize) with block {@code block} of the stream. */
    void fillBlock(long block, double[] x, double[] y);

    /** Samples per block B. */
    int blockSize();

    /** Numbers per sample row of x: d for explicit covariates, r for low-rank coordinates. */
    int dim();

    /** Samples in block {@code block}: {@link #blockSize()}, except in a stream cut into pieces of batches. */
    default int count(final long block)
    {
        return blockSize();
    }

    /** The block holding the first sample after {@code batches} batches of {@code batchSize}. */
    default long firstBlock(final long batches, final int batchSize)
    {
        return batches * batchSize / blockSize();
    }

    /** Where in {@link #firstBlock} that sample sits. */
    default int firstSkip(final long batches, final int batchSize)
    {
        return (int)(batches * batchSize % blockSize());
    }
}
