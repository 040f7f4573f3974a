package org.sgdsim.model;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Seeds;

/**
 * Fills fixed-size blocks of consecutive samples of the run's one sample stream.
 * <p>
 * Block b holds samples b·B … b·B+B−1; its generator is reseeded from (seed, b) alone, so a sample is
 * a function of (seed, index) whatever thread, batch size or timing produced it. Per sample the stream
 * draws d covariates and then one label-noise ξ (drawn even when Δ = 0, so x does not depend on Δ).
 * One instance per thread: it owns its generator and scratch.
 */
public final class SampleGenerator implements BlockSource
{
    private final Teacher teacher;
    private final long dataSeed;
    private final int blockSize;
    private final int dim;
    private final GaussianStream gaussians = new GaussianStream();
    private final double[] nu;

    /** A generator of blocks of {@code blockSize} samples labelled by {@code teacher}. */
    public SampleGenerator(final Teacher teacher, final long seed, final int blockSize)
    {
        this.teacher = teacher;
        this.dataSeed = Seeds.mix(seed, Streams.DATA);
        this.blockSize = blockSize;
        this.dim = teacher.dim();
        this.nu = new double[teacher.k()];
    }

    @Override
    public void fillBlock(final long block, final double[] x, final double[] y)
    {
        gaussians.reseed(dataSeed, block);
        for (int u = 0; u < blockSize; u++)
        {
            final int off = u * dim;
            gaussians.fill(x, off, dim);
            final double xi = gaussians.nextGaussian();
            y[u] = teacher.label(x, off, xi, nu);
        }
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public int dim()
    {
        return dim;
    }
}
