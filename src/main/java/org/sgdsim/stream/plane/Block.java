package org.sgdsim.stream.plane;

/**
 * A pooled buffer of {@code blockSize} consecutive samples of the stream (or, for the low-rank sampler, one piece
 * of a batch, which its generator reduces to the piece's sums in place). Owned by exactly one stage at a time:
 * ownership moves with the queue offer, and the learner (or the batcher, for datasets) gives it back to the
 * free list of the generator that filled it.
 */
final class Block
{
    final double[] x;
    final double[] y;
    final int generator;
    long index;
    /** Samples filled: the block size, or a low-rank piece's count (the last piece of a batch is shorter). */
    int count;
    long readyNs;

    /** @param minLength least length of x: a low-rank piece's sums must fit where its coordinates were. */
    Block(final int blockSize, final int dim, final int generator, final int minLength)
    {
        this.x = new double[Math.max(blockSize * dim, minLength)];
        this.y = new double[blockSize];
        this.generator = generator;
    }
}
