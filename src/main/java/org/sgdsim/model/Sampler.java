package org.sgdsim.model;

import java.util.Locale;

import org.sgdsim.math.GaussianAlgorithm;

/** How a step's fresh Gaussian batch is drawn (docs/theory.md, "Low-rank sampler"). */
public enum Sampler
{
    /** Every sample's d covariates are drawn: cost n_b·d per step. */
    EXPLICIT,
    /** Only each sample's r = p + k coordinates in span(W*, W) are drawn; the rest of the step is one p × d draw. */
    LOWRANK;

    /** The config name. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses explicit or lowrank. */
    public static Sampler parse(final String name)
    {
        for (final Sampler s : values())
        {
            if (s.configName().equals(name))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("expected explicit or lowrank, got '" + name + "'");
    }

    /**
     * A block source of this sampler's stream for a student of {@code width} units trained on batches of
     * {@code batchSize} (the low-rank stream is cut into pieces of batches); one per thread.
     */
    public BlockSource blocks(final Teacher teacher, final int width, final long seed, final int blockSize,
        final int batchSize)
    {
        return blocks(teacher, width, seed, blockSize, batchSize, GaussianAlgorithm.ZIGGURAT);
    }

    /** As above, with the Gaussians drawn by {@code gaussian} ({@code data.gaussian}). */
    public BlockSource blocks(final Teacher teacher, final int width, final long seed, final int blockSize,
        final int batchSize, final GaussianAlgorithm gaussian)
    {
        return this == EXPLICIT ? new SampleGenerator(teacher, seed, blockSize, gaussian)
            : new FieldGenerator(teacher, width, seed, blockSize, batchSize, gaussian);
    }

    /** Numbers per sample row of the stream: d, or r = p + k. */
    public int rowLength(final Teacher teacher, final int width)
    {
        return this == EXPLICIT ? teacher.dim() : width + teacher.k();
    }
}
