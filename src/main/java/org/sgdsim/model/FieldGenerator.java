package org.sgdsim.model;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Seeds;

/**
 * Fills blocks of the low-rank sampler's stream (docs/theory.md, "Low-rank sampler"): per sample the r = p + k
 * coordinates z ~ N(0, I_r) of x in an orthonormal basis of span(W*, W) whose first k rows are W*, and the label
 * y = f*(z_1..z_k) + √Δ ξ. The teacher's fields are the first k coordinates whatever the student's weights are,
 * so blocks can be drawn ahead of the learner; only the learner maps z to the student's fields.
 * <p>
 * Block b is reseeded from (seed, b) on its own stream: first the B·r coordinates, then, only when Δ > 0, the
 * B noise draws (z does not depend on Δ either way). A block is stored coordinate-major: coordinate c of the
 * block's sample u is {@code x[c·B + u]}, so the learner's loops over samples read contiguous memory.
 * One instance per thread.
 */
public final class FieldGenerator implements BlockSource
{
    private final Teacher teacher;
    private final long fieldSeed;
    private final int blockSize;
    private final int rank;
    private final int k;
    private final double noiseStd;
    private final GaussianStream gaussians = new GaussianStream();
    private final double[] nu;
    private final double[] xi;

    /** A generator of blocks of {@code blockSize} samples in r = width + k coordinates, labelled by {@code teacher}. */
    public FieldGenerator(final Teacher teacher, final int width, final long seed, final int blockSize)
    {
        this.teacher = teacher;
        this.fieldSeed = Seeds.mix(seed, Streams.FIELDS);
        this.blockSize = blockSize;
        this.k = teacher.k();
        this.rank = width + k;
        this.noiseStd = Math.sqrt(teacher.noise());
        this.nu = new double[k];
        this.xi = noiseStd > 0.0 ? new double[blockSize] : null;
    }

    @Override
    public void fillBlock(final long block, final double[] x, final double[] y)
    {
        gaussians.reseed(fieldSeed, block);
        gaussians.fill(x, 0, blockSize * rank);
        if (xi != null)
        {
            gaussians.fill(xi, 0, blockSize);
        }
        for (int u = 0; u < blockSize; u++)
        {
            for (int r = 0; r < k; r++)
            {
                nu[r] = x[r * blockSize + u];
            }
            final double clean = teacher.target().evaluate(nu);
            y[u] = xi == null ? clean : clean + noiseStd * xi[u];
        }
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    /** Coordinates per sample r = p + k. */
    @Override
    public int dim()
    {
        return rank;
    }
}
