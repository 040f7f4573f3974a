package org.sgdsim.stream.plane;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.model.EpochOrder;
import org.sgdsim.run.RunPlan;

/**
 * Re-orders blocks by index (each generator's blocks leave in increasing order, so the next block, once filled, is
 * at the head of one generator's queue: peeking the heads restores stream order whatever the timing) and cuts
 * the stream into mini-batches of n_b samples, as zero-copy slices.
 * For a finite dataset it first assembles the first N samples, then serves them epoch by epoch.
 */
public final class BatcherAgent implements Agent
{
    private static final int MAX_SLICES_PER_DUTY_CYCLE = 256;

    private final OneToOneConcurrentArrayQueue<Block>[] blocks;
    private final OneToOneConcurrentArrayQueue<Block>[] freeBlocks;
    private final OneToOneConcurrentArrayQueue<Slice> slices;
    private final OneToOneConcurrentArrayQueue<Slice> freeSlices;
    private final SingleWriterRecorder blockWait;
    private final int generators;
    private final int blockSize;
    private final int dim;
    private final int batchSize;
    private final long plannedBatches;
    private final int datasetSize;
    private final long seed;
    private final long startPosition;

    private long nextBlock;
    private int skip;
    private int lastGenerator;
    private Block current;
    private int offset;
    private int remaining;
    private long batches;
    private boolean endSent;

    private double[] datasetX;
    private double[] datasetY;
    private int assembled;
    private EpochOrder order;

    /** The batcher's queues: each generator's filled and free blocks, and the slices it sends out and gets back. */
    record Queues(
        OneToOneConcurrentArrayQueue<Block>[] blocks,
        OneToOneConcurrentArrayQueue<Block>[] freeBlocks,
        OneToOneConcurrentArrayQueue<Slice> slices,
        OneToOneConcurrentArrayQueue<Slice> freeSlices)
    {
    }

    /**
     * The part of the stream this run takes.
     *
     * @param startBatch     batches taken before this run (a resumed run continues the stream after them).
     * @param plannedBatches mini-batches of the whole run: the end-of-stream slice follows batch plannedBatches.
     * @param firstBlock     online: the block holding sample startBatch·n_b ({@code BlockSource.firstBlock}).
     * @param firstSkip      online: that sample's place in it.
     */
    record Span(long startBatch, long plannedBatches, long firstBlock, int firstSkip)
    {
    }

    /**
     * @param rowLength numbers per sample row of the blocks.
     * @param samples   the batch size, the dataset size (0 for online data) and the seed of its epoch order.
     */
    BatcherAgent(final Queues queues, final SingleWriterRecorder blockWait, final int blockSize, final int rowLength,
        final RunPlan.Samples samples, final Span span)
    {
        this.blocks = queues.blocks();
        this.freeBlocks = queues.freeBlocks();
        this.slices = queues.slices();
        this.freeSlices = queues.freeSlices();
        this.blockWait = blockWait;
        this.generators = blocks.length;
        this.blockSize = blockSize;
        this.dim = rowLength;
        this.batchSize = samples.batchSize();
        this.plannedBatches = span.plannedBatches();
        this.datasetSize = samples.datasetSize();
        this.seed = samples.seed();
        this.remaining = batchSize;
        this.batches = span.startBatch();
        this.startPosition = span.startBatch() * batchSize;
        if (datasetSize == 0)
        {
            // Online: the stream resumes at sample startBatch·n_b, skip samples into block firstBlock.
            this.nextBlock = span.firstBlock();
            this.skip = span.firstSkip();
        }
    }

    @Override
    public int doWork()
    {
        if (endSent)
        {
            return 0;
        }
        if (datasetSize > 0 && assembled < datasetSize)
        {
            return assembleDataset();
        }
        int work = 0;
        while (work < MAX_SLICES_PER_DUTY_CYCLE)
        {
            if (batches == plannedBatches)
            {
                final Slice end = freeSlices.poll();
                if (end == null)
                {
                    return work;
                }
                end.setEndOfStream();
                end.readyNs = System.nanoTime();
                slices.offer(end);
                endSent = true;
                return work + 1;
            }
            final int emitted = datasetSize > 0 ? emitFromDataset() : emitFromStream();
            if (emitted == 0)
            {
                return work;
            }
            work += emitted;
        }
        return work;
    }

    private int emitFromStream()
    {
        if (current == null && !takeNextBlock())
        {
            return 0;
        }
        final Slice slice = freeSlices.poll();
        if (slice == null)
        {
            return 0;
        }
        final int n = Math.min(remaining, current.count - offset);
        final boolean endsBatch = n == remaining;
        final boolean blockDone = offset + n == current.count;
        slice.set(current.x, current.y, offset, n, endsBatch, blockDone ? current : null);
        offset += n;
        if (blockDone)
        {
            current = null;
        }
        publish(slice, endsBatch, n);
        return 1;
    }

    private int emitFromDataset()
    {
        final Slice slice = freeSlices.poll();
        if (slice == null)
        {
            return 0;
        }
        if (batchSize == datasetSize)
        {
            slice.set(datasetX, datasetY, 0, datasetSize, true, null);
            publish(slice, true, datasetSize);
        }
        else
        {
            final boolean endsBatch = remaining == 1;
            slice.set(datasetX, datasetY, order.next(), 1, endsBatch, null);
            publish(slice, endsBatch, 1);
        }
        return 1;
    }

    private void publish(final Slice slice, final boolean endsBatch, final int n)
    {
        slice.readyNs = System.nanoTime();
        if (!slices.offer(slice))
        {
            throw new IllegalStateException("slice queue full: it must hold the whole pool");
        }
        remaining -= n;
        if (endsBatch)
        {
            remaining = batchSize;
            batches++;
        }
    }

    private boolean takeNextBlock()
    {
        Block block = null;
        for (int i = 0; i < generators && block == null; i++)
        {
            final int g = (lastGenerator + i) % generators;
            final Block head = blocks[g].peek();
            if (head != null && head.index == nextBlock)
            {
                block = blocks[g].poll();
                lastGenerator = g;
            }
        }
        if (block == null)
        {
            return false;
        }
        blockWait.recordValue(Math.max(0, System.nanoTime() - block.readyNs));
        current = block;
        offset = skip;
        skip = 0;
        nextBlock++;
        return true;
    }

    private int assembleDataset()
    {
        if (datasetX == null)
        {
            datasetX = new double[Math.multiplyExact(datasetSize, dim)];
            datasetY = new double[datasetSize];
        }
        int work = 0;
        while (assembled < datasetSize && takeNextBlock())
        {
            final int n = Math.min(blockSize, datasetSize - assembled);
            System.arraycopy(current.x, 0, datasetX, assembled * dim, n * dim);
            System.arraycopy(current.y, 0, datasetY, assembled, n);
            assembled += n;
            freeBlocks[current.generator].offer(current);
            current = null;
            work++;
        }
        if (assembled == datasetSize && batchSize < datasetSize)
        {
            order = new EpochOrder(datasetSize, seed);
            order.seek(startPosition);
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "batcher";
    }
}
