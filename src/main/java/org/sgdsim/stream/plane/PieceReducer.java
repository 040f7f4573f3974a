package org.sgdsim.stream.plane;

import org.sgdsim.train.CoefficientSums;

/**
 * A low-rank generator's second half: once the learner has posted the map of a drawn piece's step, reduces the
 * piece's coordinates to its sums and writes them over the start of the block's coordinates, which nobody reads
 * after that. One per generator.
 */
final class PieceReducer
{
    private final CoefficientSums sums;
    private final FieldMapBoard board;
    private final int piecesPerBatch;
    private final int stride;
    private final double[] out;

    /** Pieces of batch t are blocks t·m .. t·m + m − 1 ({@code FieldGenerator}); the board posts batch numbers. */
    PieceReducer(final CoefficientSums sums, final FieldMapBoard board, final int piecesPerBatch, final int stride)
    {
        this.sums = sums;
        this.board = board;
        this.piecesPerBatch = piecesPerBatch;
        this.stride = stride;
        this.out = new double[sums.length()];
    }

    /** Whether the map of {@code block}'s step is posted, so {@link #reduce} can run. */
    boolean ready(final Block block)
    {
        return board.step() >= block.index / piecesPerBatch;
    }

    /** Reduces {@code block} under its step's map (call once {@link #ready}). */
    void reduce(final Block block)
    {
        final long step = block.index / piecesPerBatch;
        final long posted = board.step();
        if (posted != step)
        {
            throw new IllegalStateException("map of step " + posted + " posted before piece " + block.index
                + " of step " + step + " was reduced");
        }
        sums.reduce(board.map(), board.rank(), board.loss(), block.x, stride, block.y, 0, block.count, out);
        System.arraycopy(out, 0, block.x, 0, out.length);
    }
}
