package org.sgdsim.model;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Seeds;

/**
 * The order in which multi-pass training visits a fixed dataset: epoch e is a uniform permutation drawn from
 * (seed, e) alone (Fisher–Yates on the run's epoch stream), and the epochs follow each other without a break,
 * so a mini-batch may straddle two epochs.
 */
public final class EpochOrder
{
    private final long epochSeed;
    private final GaussianStream random = new GaussianStream();
    private final int[] order;
    private long epoch = -1;
    private int position;

    /** The visiting order of a dataset of {@code size} samples. */
    public EpochOrder(final int size, final long seed)
    {
        this.epochSeed = Seeds.mix(seed, Streams.EPOCHS);
        this.order = new int[size];
        this.position = size;
    }

    /** Positions the order after {@code visited} samples (so a resumed run visits what the original would). */
    public void seek(final long visited)
    {
        epoch = visited / order.length - 1;
        shuffle();
        position = (int)(visited % order.length);
    }

    /** Index of the next sample to visit. */
    public int next()
    {
        if (position == order.length)
        {
            shuffle();
        }
        return order[position++];
    }

    private void shuffle()
    {
        epoch++;
        random.reseed(epochSeed, epoch);
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = (int)((random.nextLong() >>> 1) % (i + 1));
            final int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        position = 0;
    }
}
