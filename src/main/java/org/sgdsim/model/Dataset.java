package org.sgdsim.model;

/** A fixed dataset: the first N samples of the run's stream, kept in memory for multi-pass training. */
public final class Dataset
{
    private final int size;
    private final int dim;
    private final double[] x;
    private final double[] y;

    private Dataset(final int size, final int dim, final double[] x, final double[] y)
    {
        this.size = size;
        this.dim = dim;
        this.x = x;
        this.y = y;
    }

    /** Samples 0..size−1 of the stream of {@code generator}. */
    public static Dataset firstSamples(final BlockSource generator, final int size)
    {
        final int d = generator.dim();
        if ((long)size * d > Integer.MAX_VALUE - 16)
        {
            throw new IllegalArgumentException(
                "dataset of " + size + " samples in dimension " + d + " exceeds one Java array");
        }
        final double[] x = new double[size * d];
        final double[] y = new double[size];
        new StreamReader(generator).read(size, x, y, 0);
        return new Dataset(size, d, x, y);
    }

    /** Number of samples N. */
    public int size()
    {
        return size;
    }

    /** Input dimension d. */
    public int dim()
    {
        return dim;
    }

    /** Covariates, row-major N × d (shared; do not modify). */
    public double[] x()
    {
        return x;
    }

    /** Labels including noise (shared; do not modify). */
    public double[] y()
    {
        return y;
    }
}
