package org.sgdsim.stream.plane;

import org.sgdsim.model.Loss;

/**
 * Where the learner posts each step's field map C = W·Uᵀ and loss for the low-rank sampler's generators: one slot, since
 * step t + 1's map is posted only after every piece of step t has been reduced and handed in, so no generator can
 * still be reading the map it replaces. Single writer (the learner); readers acquire {@link #step()} first.
 */
final class FieldMapBoard
{
    private final double[] map;
    private int rank;
    private Loss loss;
    private volatile long step = -1;

    FieldMapBoard(final int length)
    {
        this.map = new double[length];
    }

    /** The array the learner fills before {@link #post}; generators read it once {@link #step()} says so. */
    double[] map()
    {
        return map;
    }

    /**
     * Publishes the map in {@link #map()} (of basis rank {@code rank}) as step {@code posted}'s, reduced under
     * {@code loss} (the adaptive loss switches between steps).
     */
    void post(final long posted, final int rank, final Loss loss)
    {
        this.rank = rank;
        this.loss = loss;
        this.step = posted;
    }

    /** The step whose map is posted, −1 before the first. */
    long step()
    {
        return step;
    }

    /** The posted map's basis rank (read after {@link #step()}). */
    int rank()
    {
        return rank;
    }

    /** The posted step's loss (read after {@link #step()}). */
    Loss loss()
    {
        return loss;
    }
}
