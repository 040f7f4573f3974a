package org.sgdsim.train;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.GaussianSource;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.Seeds;
import org.sgdsim.optics.Projector;

/**
 * The software feedback projection of DFA: one fixed rows × K matrix B_big (dfa-optics.md §1.4, §6 P0) drawn from
 * its own stream (seed, stream), or — for the {@code dfa-redrawn} control — redrawn before every projection, draw
 * number n from stream (seed, mix(stream, n)), so that a resumed run can continue the sequence ({@link #skipTo}).
 */
public final class SoftwareProjector implements Projector
{
    private final int rows;
    private final int inputs;
    private final FeedbackOptions.Distribution distribution;
    private final GaussianSource stream;
    private final long seed;
    private final long streamId;
    private final boolean redraw;
    private long draws;
    private final double[] matrix;

    /**
     * @param rows         M, the projected outputs.
     * @param inputs       K, the error dimension.
     * @param distribution entry law (unit variance).
     * @param seed         the run seed.
     * @param streamId     the feedback stream of the run.
     * @param redraw       draw a fresh matrix before every {@link #project} call.
     */
    public SoftwareProjector(final int rows, final int inputs, final FeedbackOptions.Distribution distribution,
        final long seed, final long streamId, final boolean redraw)
    {
        this(rows, inputs, distribution, seed, streamId, redraw, GaussianAlgorithm.ZIGGURAT);
    }

    /** As above, with the entries drawn by {@code gaussian} ({@code data.gaussian}). */
    public SoftwareProjector(final int rows, final int inputs, final FeedbackOptions.Distribution distribution,
        final long seed, final long streamId, final boolean redraw, final GaussianAlgorithm gaussian)
    {
        if (distribution == FeedbackOptions.Distribution.ORTHOGONAL && inputs > rows)
        {
            throw new IllegalArgumentException("orthogonal feedback needs rows ≥ K, got " + rows + " < " + inputs);
        }
        this.rows = rows;
        this.inputs = inputs;
        this.distribution = distribution;
        this.stream = gaussian.stream(seed, streamId);
        this.seed = seed;
        this.streamId = streamId;
        this.redraw = redraw;
        this.matrix = new double[rows * inputs];
        if (!redraw)
        {
            draw();
        }
    }

    private void draw()
    {
        switch (distribution)
        {
            case GAUSS -> stream.fill(matrix, 0, matrix.length);
            case UNIFORM ->
            {
                final double a = Math.sqrt(3.0);
                for (int i = 0; i < matrix.length; i++)
                {
                    matrix[i] = (2.0 * stream.nextDouble() - 1.0) * a;
                }
            }
            case ORTHOGONAL ->
            {
                stream.fill(matrix, 0, matrix.length);
                orthonormaliseColumns();
            }
        }
    }

    /** Modified Gram–Schmidt on the K columns, then × √rows: unit entry variance, orthogonal columns. */
    private void orthonormaliseColumns()
    {
        for (int c = 0; c < inputs; c++)
        {
            for (int p = 0; p < c; p++)
            {
                double dot = 0.0;
                for (int r = 0; r < rows; r++)
                {
                    dot += matrix[r * inputs + c] * matrix[r * inputs + p];
                }
                for (int r = 0; r < rows; r++)
                {
                    matrix[r * inputs + c] -= dot * matrix[r * inputs + p];
                }
            }
            double norm = 0.0;
            for (int r = 0; r < rows; r++)
            {
                norm += matrix[r * inputs + c] * matrix[r * inputs + c];
            }
            final double inv = 1.0 / Math.sqrt(norm);
            for (int r = 0; r < rows; r++)
            {
                matrix[r * inputs + c] *= inv;
            }
        }
        final double scale = Math.sqrt(rows);
        for (int i = 0; i < matrix.length; i++)
        {
            matrix[i] *= scale;
        }
    }

    @Override
    public int inputSize()
    {
        return inputs;
    }

    @Override
    public int outputSize()
    {
        return rows;
    }

    @Override
    public void project(final double[] errors, final int batch, final double[] out)
    {
        if (redraw)
        {
            stream.reseed(seed, Seeds.mix(streamId, draws++));
            draw();
        }
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < rows; i++)
            {
                out[b * rows + i] = Kernels.dot(matrix, i * inputs, errors, b * inputs, inputs);
            }
        }
    }

    /** Continues a redrawn sequence after {@code projections} earlier projections (resume). */
    public void skipTo(final long projections)
    {
        draws = projections;
    }

    /** Entry (i, k) of the current matrix. */
    public double entry(final int i, final int k)
    {
        return matrix[i * inputs + k];
    }
}
