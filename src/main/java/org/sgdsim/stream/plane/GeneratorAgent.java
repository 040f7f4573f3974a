package org.sgdsim.stream.plane;

import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.model.BlockSource;

/**
 * Fills blocks of the sample stream into free pooled blocks, claiming the next block index from a counter shared
 * by all generators, so whichever generator has a free block and a moment takes the next one: a generator
 * sharing a thread with the learner fills what the learner leaves idle instead of holding the others back. Its
 * own blocks leave in increasing index order. With no free block it does no work and its runner idles: the pool
 * size is the back-pressure.
 * <p>
 * For the low-rank sampler a {@link PieceReducer} finishes each piece: pieces are drawn ahead into a FIFO as free
 * blocks allow, and each is reduced (and only then handed on) once the learner has posted its step's map;
 * reducing comes first, since the learner waits for it.
 */
public final class GeneratorAgent implements Agent
{
    private final int id;
    private final AtomicLong claims;
    private final BlockSource generator;
    private final OneToOneConcurrentArrayQueue<Block> free;
    private final OneToOneConcurrentArrayQueue<Block> out;
    private final long endBlock;
    private final SingleWriterRecorder generation;
    private final AtomicLong busyNs = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private boolean exhausted;
    /** Set for a generator sharing the learner's thread: it claims a block only when this says the learner would idle. */
    private java.util.function.BooleanSupplier learnerStarved;
    /** Low-rank sampler only (else null): reduces drawn pieces, which wait in {@link #drawn} until it can. */
    private final PieceReducer reducer;
    private final Block[] drawn;
    private int drawnHead;
    private int drawnCount;

    /**
     * @param claims   the next block index to generate, shared by all generators (starts where the stream
     *                 (re)starts).
     * @param endBlock first block index not to generate (Long.MAX_VALUE for an unbounded stream).
     */
    GeneratorAgent(final int id, final AtomicLong claims, final BlockSource generator,
        final OneToOneConcurrentArrayQueue<Block> free, final OneToOneConcurrentArrayQueue<Block> out,
        final long endBlock, final SingleWriterRecorder generation, final PieceReducer reducer, final int poolSize)
    {
        this.reducer = reducer;
        this.drawn = reducer == null ? null : new Block[poolSize];
        this.id = id;
        this.claims = claims;
        this.generator = generator;
        this.free = free;
        this.out = out;
        this.endBlock = endBlock;
        this.generation = generation;
    }

    @Override
    public int doWork()
    {
        if (drawnCount > 0 && reduceHead())
        {
            return 1;
        }
        if (exhausted || (learnerStarved != null && !learnerStarved.getAsBoolean()))
        {
            return 0;
        }
        final Block block = free.poll();
        if (block == null)
        {
            return 0;
        }
        // Claim only while holding a free block: every claimed index is then being filled, so the batcher,
        // waiting for the lowest one, always gets it.
        final long next = claims.getAndIncrement();
        if (next >= endBlock)
        {
            exhausted = true;
            free.offer(block);
            return 0;
        }
        final long start = System.nanoTime();
        generator.fillBlock(next, block.x, block.y);
        block.count = generator.count(next);
        block.index = next;
        if (reducer != null)
        {
            record(start);
            drawn[(drawnHead + drawnCount++) % drawn.length] = block;
            reduceHead();
            return 1;
        }
        block.readyNs = record(start);
        emit(block);
        return 1;
    }

    /** Reduces and hands on the oldest drawn piece if its step's map is posted. */
    private boolean reduceHead()
    {
        final Block head = drawn[drawnHead];
        if (!reducer.ready(head))
        {
            return false;
        }
        final long start = System.nanoTime();
        reducer.reduce(head);
        head.readyNs = record(start);
        drawn[drawnHead] = null;
        drawnHead = (drawnHead + 1) % drawn.length;
        drawnCount--;
        emit(head);
        return true;
    }

    private long record(final long start)
    {
        final long end = System.nanoTime();
        generation.recordValue(end - start);
        busyNs.lazySet(busyNs.get() + (end - start));
        return end;
    }

    private void emit(final Block block)
    {
        if (!out.offer(block))
        {
            throw new IllegalStateException("block queue full: it must hold the whole pool");
        }
        blocks.lazySet(blocks.get() + 1);
    }

    /**
     * Makes this generator help only when {@code starved} holds (call before the agent starts): on the learner's
     * thread it then fills blocks in the time the learner would idle, and never slows a learner-bound run.
     */
    public void helpOnlyWhen(final java.util.function.BooleanSupplier starved)
    {
        this.learnerStarved = starved;
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
