package org.sgdsim.stream.plane;

/**
 * A run of consecutive samples of one mini-batch, handed from the batcher to the learner without copying: it
 * points into a block (online) or into the dataset. Pooled; the learner gives it back once consumed.
 */
final class Slice
{
    double[] x;
    double[] y;
    int first;
    int count;
    /** This slice completes its mini-batch. */
    boolean endsBatch;
    /** No batch follows: the planned budget is exhausted. */
    boolean endOfStream;
    /** The block to give back to its generator after this slice, or null. */
    Block release;
    long readyNs;

    void set(final double[] x, final double[] y, final int first, final int count, final boolean endsBatch,
        final Block release)
    {
        this.x = x;
        this.y = y;
        this.first = first;
        this.count = count;
        this.endsBatch = endsBatch;
        this.endOfStream = false;
        this.release = release;
    }

    void setEndOfStream()
    {
        set(null, null, 0, 0, false, null);
        this.endOfStream = true;
    }
}
