package org.sgdsim.model;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.GaussianSource;
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
    private static final int FIELD_GROUP = 4;

    private final Teacher teacher;
    private final long dataSeed;
    private final int blockSize;
    private final int dim;
    private final GaussianSource gaussians;
    private final double[] xi;
    private final double[] nu;
    private final double[][] scratch;

    /** A generator of blocks of {@code blockSize} samples labelled by {@code teacher}, drawn by the ziggurat. */
    public SampleGenerator(final Teacher teacher, final long seed, final int blockSize)
    {
        this(teacher, seed, blockSize, GaussianAlgorithm.ZIGGURAT);
    }

    /** A generator of blocks of {@code blockSize} samples labelled by {@code teacher}, drawn by {@code gaussian}. */
    public SampleGenerator(final Teacher teacher, final long seed, final int blockSize,
        final GaussianAlgorithm gaussian)
    {
        this.gaussians = gaussian.stream();
        this.teacher = teacher;
        this.dataSeed = Seeds.mix(seed, Streams.DATA);
        this.blockSize = blockSize;
        this.dim = teacher.dim();
        this.xi = new double[blockSize];
        this.nu = new double[teacher.k() * blockSize];
        this.scratch = teacher.target().columnScratch(blockSize);
    }

    @Override
    public void fillBlock(final long block, final double[] x, final double[] y)
    {
        gaussians.reseed(dataSeed, block);
        // The teacher's fields four samples at a time, right after drawing them (still in L1): their four dot
        // products with W* overlap instead of each waiting on its own chain of additions.
        for (int first = 0; first < blockSize; first += FIELD_GROUP)
        {
            final int n = Math.min(FIELD_GROUP, blockSize - first);
            for (int u = first; u < first + n; u++)
            {
                gaussians.fill(x, u * dim, dim);
                xi[u] = gaussians.nextGaussian();
            }
            teacher.fields(x, first, n, nu, blockSize);
        }
        teacher.label(nu, blockSize, xi, y, scratch);
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
