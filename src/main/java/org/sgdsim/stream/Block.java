package org.sgdsim.stream;

/**
 * A pooled buffer of {@code blockSize} consecutive samples of the stream. Owned by exactly one stage at a time:
 * ownership moves with the queue offer, and the learner (or the batcher, for datasets) gives it back to the
 * free list of the generator that filled it.
 */
final class Block
{
    final double[] x;
    final double[] y;
    final int generator;
    long index;
    long readyNs;

    Block(final int blockSize, final int dim, final int generator)
    {
        this.x = new double[blockSize * dim];
        this.y = new double[blockSize];
        this.generator = generator;
    }
}
