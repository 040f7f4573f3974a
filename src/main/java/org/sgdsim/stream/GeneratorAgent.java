package org.sgdsim.stream;

import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.model.SampleGenerator;

/**
 * Fills blocks g, g + G, g + 2G, … of the sample stream into free pooled blocks. With no free block it does no
 * work and its runner idles: the pool size is the back-pressure.
 */
final class GeneratorAgent implements Agent
{
    private final int id;
    private final int generators;
    private final SampleGenerator generator;
    private final OneToOneConcurrentArrayQueue<Block> free;
    private final OneToOneConcurrentArrayQueue<Block> out;
    private final long endBlock;
    private final SingleWriterRecorder generation;
    private final AtomicLong busyNs = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private long next;

    /**
     * @param firstBlock the block the stream (re)starts at: this generator begins at the first block ≥ it that is
     *                   ≡ id (mod G).
     * @param endBlock   first block index not to generate (Long.MAX_VALUE for an unbounded stream).
     */
    GeneratorAgent(final int id, final int generators, final SampleGenerator generator,
        final OneToOneConcurrentArrayQueue<Block> free, final OneToOneConcurrentArrayQueue<Block> out,
        final long firstBlock, final long endBlock, final SingleWriterRecorder generation)
    {
        this.id = id;
        this.generators = generators;
        this.generator = generator;
        this.free = free;
        this.out = out;
        this.endBlock = endBlock;
        this.generation = generation;
        this.next = firstBlock + Math.floorMod(id - firstBlock, (long)generators);
    }

    @Override
    public int doWork()
    {
        if (next >= endBlock)
        {
            return 0;
        }
        final Block block = free.poll();
        if (block == null)
        {
            return 0;
        }
        final long start = System.nanoTime();
        generator.fillBlock(next, block.x, block.y);
        final long end = System.nanoTime();
        generation.recordValue(end - start);
        busyNs.lazySet(busyNs.get() + (end - start));
        block.index = next;
        block.readyNs = end;
        if (!out.offer(block))
        {
            throw new IllegalStateException("block queue full: it must hold the whole pool");
        }
        next += generators;
        blocks.lazySet(blocks.get() + 1);
        return 1;
    }

    /** Nanoseconds spent generating so far (read by the tracker for the idle fraction). */
    long busyNs()
    {
        return busyNs.get();
    }

    /** Blocks generated so far. */
    long blocks()
    {
        return blocks.get();
    }

    @Override
    public String roleName()
    {
        return "generator-" + id;
    }
}
