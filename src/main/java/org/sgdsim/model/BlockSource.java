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
}
