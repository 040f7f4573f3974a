package org.sgdsim.model;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.GaussianSource;
import org.sgdsim.math.Seeds;
import org.sgdsim.math.expr.Expression;

/**
 * Fills pieces of the low-rank sampler's stream (docs/theory.md, "Low-rank sampler"): per sample the r = p + k
 * coordinates z ~ N(0, I_r) of x in an orthonormal basis of span(W*, W) whose first k rows are W*, and the label
 * y = f*(z_1..z_k) + √Δ ξ. The teacher's fields are the first k coordinates whatever the student's weights are,
 * so pieces can be drawn ahead of the learner; only the reduction maps z to the student's fields.
 * <p>
 * The stream is cut along batches: each batch of n_b samples is m = ⌈n_b / B⌉ pieces of B = min(block size, n_b)
 * samples, the last one shorter, so a piece belongs to exactly one step and can be reduced as soon as that step's
 * field map is known. Piece b (batch b / m) is reseeded from (seed, b) on its own stream: first each of the r
 * coordinate rows, then, only when Δ > 0, the noise draws. A piece is stored coordinate-major with stride B:
 * coordinate c of sample u is {@code x[c·B + u]}, so loops over samples read contiguous memory, and the labels
 * are evaluated a column at a time. One instance per thread.
 */
public final class FieldGenerator implements BlockSource
{
    private final Expression target;
    private final long fieldSeed;
    private final int pieceSize;
    private final int batchSize;
    private final int piecesPerBatch;
    private final int rank;
    private final double noiseStd;
    private final GaussianSource gaussians;
    private final double[] xi;
    private final double[][] scratch;

    /**
     * A generator of pieces of at most {@code blockSize} samples of batches of {@code batchSize}, in r = width + k
     * coordinates, labelled by {@code teacher}.
     */
    public FieldGenerator(final Teacher teacher, final int width, final long seed, final int blockSize,
        final int batchSize)
    {
        this(teacher, width, seed, blockSize, batchSize, GaussianAlgorithm.ZIGGURAT);
    }

    /** As above, drawing the coordinates with {@code gaussian}. */
    public FieldGenerator(final Teacher teacher, final int width, final long seed, final int blockSize,
        final int batchSize, final GaussianAlgorithm gaussian)
    {
        this.gaussians = gaussian.stream();
        this.target = teacher.target();
        this.fieldSeed = Seeds.mix(seed, Streams.FIELDS);
        this.pieceSize = pieceSize(blockSize, batchSize);
        this.batchSize = batchSize;
        this.piecesPerBatch = (batchSize + pieceSize - 1) / pieceSize;
        this.rank = width + teacher.k();
        this.noiseStd = Math.sqrt(teacher.noise());
        this.xi = noiseStd > 0.0 ? new double[pieceSize] : null;
        this.scratch = target.columnScratch(pieceSize);
    }

    @Override
    public void fillBlock(final long block, final double[] x, final double[] y)
    {
        final int n = count(block);
        gaussians.reseed(fieldSeed, block);
        for (int c = 0; c < rank; c++)
        {
            gaussians.fill(x, c * pieceSize, n);
        }
        target.evaluateColumns(x, pieceSize, 0, n, y, scratch);
        if (xi != null)
        {
            gaussians.fill(xi, 0, n);
            for (int u = 0; u < n; u++)
            {
                y[u] += noiseStd * xi[u];
            }
        }
    }

    /** Samples per piece B, the stride of the coordinate rows. */
    @Override
    public int blockSize()
    {
        return pieceSize;
    }

    /** Coordinates per sample r = p + k. */
    @Override
    public int dim()
    {
        return rank;
    }

    @Override
    public int count(final long block)
    {
        final int piece = (int)(block % piecesPerBatch);
        return Math.min(pieceSize, batchSize - piece * pieceSize);
    }

    @Override
    public long firstBlock(final long batches, final int batchSize)
    {
        return batches * piecesPerBatch;
    }

    @Override
    public int firstSkip(final long batches, final int batchSize)
    {
        return 0;
    }

    /** Samples per piece B = min(block size, n_b): the stride of a piece's coordinate rows. */
    public static int pieceSize(final int blockSize, final int batchSize)
    {
        return Math.min(blockSize, batchSize);
    }

    /** Pieces per batch m. */
    public int piecesPerBatch()
    {
        return piecesPerBatch;
    }
}
