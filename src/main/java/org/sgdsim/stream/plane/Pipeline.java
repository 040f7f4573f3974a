package org.sgdsim.stream.plane;

import java.util.List;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.BitUtil;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.sgdsim.metrics.Progress;
import org.sgdsim.metrics.StepMonitor;
import org.sgdsim.run.RunPlan;

/**
 * The data plane of one run: pools, SPSC queues and the stage agents wired together. Plain Java; the actors
 * start and stop the agents. Edges: generator g → batcher (blocks), learner → generator g (free blocks),
 * batcher → learner (slices) and back, learner → tracker (snapshots) and back.
 */
public final class Pipeline
{
    /** Upper bound on the memory of all pooled blocks. */
    private static final long BLOCK_POOL_BYTES = 256L << 20;
    /**
     * Significant digits of the stages' latency histograms: values within 1 %. With 3 digits each of a run's twenty
     * histograms grew to 100-150 kB as its first long waits arrived, 40 % of all a sweep allocated (250 of 617 MB for
     * 200 short runs); with 2 they stay under 25 kB.
     */
    public static final int LATENCY_DIGITS = 2;
    private static final int SNAPSHOTS = 16;
    /** Smallest low-rank batch whose pieces the generators reduce (docs/performance.md, low-rank sampler). */
    static final int OFFLOADED_BATCH = 8192;
    /** The batcher runs first on the learner's thread, so the learner finds fresh slices in the same cycle. */
    public static final int BATCHER_SLOT = 0;
    /** The learner's slot on its thread; generators sharing that thread take the slots after it. */
    public static final int LEARNER_SLOT = 1;
    /** From this batch size on, a generator on the learner's thread claims blocks eagerly (see RunSupervisor). */
    public static final int EAGER_HELP_BATCH = 32;

    /** The generator stages; generator g fills the blocks it claims. */
    public final GeneratorAgent[] generators;
    /** The batcher stage: restores block order and cuts slices. */
    public final BatcherAgent batcher;
    /** The learner stage. */
    public final LearnerAgent learner;
    /** The metric tracker stage. */
    public final TrackerAgent tracker;
    private final OneToOneConcurrentArrayQueue<Block>[] full;
    private final OneToOneConcurrentArrayQueue<Slice> slices;

    private Pipeline(final GeneratorAgent[] generators, final BatcherAgent batcher, final LearnerAgent learner,
        final TrackerAgent tracker, final OneToOneConcurrentArrayQueue<Block>[] full,
        final OneToOneConcurrentArrayQueue<Slice> slices)
    {
        this.generators = generators;
        this.batcher = batcher;
        this.learner = learner;
        this.tracker = tracker;
        this.full = full;
        this.slices = slices;
    }

    /**
     * True when the learner has no slice to take and none of the first {@code dedicated} generators has a block
     * waiting for the batcher: the learner's thread would idle (both queues' sizes are safe to read anywhere).
     */
    public boolean learnerStarved(final int dedicated)
    {
        if (!slices.isEmpty())
        {
            return false;
        }
        for (int g = 0; g < dedicated; g++)
        {
            if (!full[g].isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    /** The pools, queues and agents of a run of {@code plan} with {@code generatorCount} generators, not started. */
    @SuppressWarnings("unchecked")
    public static Pipeline build(final RunPlan plan, final int generatorCount, final PipelineSinks sinks,
        final long startNs)
    {
        final RunPlan.Model model = plan.model();
        final int batchSize = plan.samples().batchSize();
        final int dim = model.teacher().dim();
        final int rowLength = plan.rowLength();
        final int k = model.teacher().k();
        final org.sgdsim.model.BlockSource layout = plan.blocks();
        final int blockSize = layout.blockSize();
        final int perGenerator = Math.min(blocksPerGenerator(batchSize, blockSize, rowLength, generatorCount),
            blocksToRead(plan, layout));

        final OneToOneConcurrentArrayQueue<Block>[] full = new OneToOneConcurrentArrayQueue[generatorCount];
        final OneToOneConcurrentArrayQueue<Block>[] free = new OneToOneConcurrentArrayQueue[generatorCount];
        final GeneratorAgent[] generators = new GeneratorAgent[generatorCount];
        final SingleWriterRecorder[] generation = new SingleWriterRecorder[generatorCount];
        final long endBlock = plan.online() ? Long.MAX_VALUE
            : (plan.samples().datasetSize() + blockSize - 1L) / blockSize;
        // A resumed online run continues the stream at sample startBatch·n_b; a dataset is always rebuilt from 0.
        final long firstBlock = plan.online() ? layout.firstBlock(plan.startBatch(), batchSize) : 0;
        final int firstSkip = plan.online() ? layout.firstSkip(plan.startBatch(), batchSize) : 0;
        // Large low-rank batches: the generators reduce their pieces under the map the learner posts for each
        // step. Small ones: the learner reduces them itself, since a round trip per step would cost more than
        // the reduction it spreads (the same code either way, so the same bits).
        final FieldMapBoard board = reducedByGenerators(plan)
            ? new FieldMapBoard(model.student().width() * rowLength) : null;
        final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong(firstBlock);
        for (int g = 0; g < generatorCount; g++)
        {
            full[g] = new OneToOneConcurrentArrayQueue<>(BitUtil.findNextPositivePowerOfTwo(perGenerator));
            final int generator = g;
            final int minLength = board == null ? 0 : model.rule().pieceSumsLength();
            free[g] = pool(perGenerator, () -> new Block(blockSize, rowLength, generator, minLength));
            generation[g] = new SingleWriterRecorder(LATENCY_DIGITS);
            final PieceReducer reducer = board == null ? null : new PieceReducer(model.rule().newCoefficientSums(),
                board, ((org.sgdsim.model.FieldGenerator)layout).piecesPerBatch(), layout.blockSize());
            generators[g] = new GeneratorAgent(g, claims, g == 0 ? layout : plan.blocks(), free[g], full[g], endBlock,
                generation[g], reducer, perGenerator);
        }

        final int sliceCount = Math.max(1024, 4 * perGenerator * generatorCount);
        final OneToOneConcurrentArrayQueue<Slice> slices =
            new OneToOneConcurrentArrayQueue<>(BitUtil.findNextPositivePowerOfTwo(sliceCount));
        final OneToOneConcurrentArrayQueue<Slice> freeSlices = pool(sliceCount, Slice::new);
        final SingleWriterRecorder blockWait = new SingleWriterRecorder(LATENCY_DIGITS);
        final BatcherAgent batcher = new BatcherAgent(new BatcherAgent.Queues(full, free, slices, freeSlices), blockWait,
            blockSize, rowLength, plan.samples(),
            new BatcherAgent.Span(plan.startBatch(), plan.plannedBatches(), firstBlock, firstSkip));

        final int width = model.student().width();
        final OneToOneConcurrentArrayQueue<Snapshot> snapshots = new OneToOneConcurrentArrayQueue<>(SNAPSHOTS);
        final OneToOneConcurrentArrayQueue<Snapshot> freeSnapshots = pool(SNAPSHOTS, () -> new Snapshot(width, k));
        // The learner's monitor has its own risk estimator: estimators keep scratch arrays and are single-threaded.
        final RunPlan.Monitoring watch = plan.monitoring();
        final StepMonitor monitor = new StepMonitor(watch.rows(), watch.when(), watch.checkEvery(), watch.learnerRisk(),
            width, model.teacher().directions(), dim);
        final boolean trainsA = model.rule().trainsSecondLayer();
        if (trainsA)
        {
            monitor.trackSecondLayer(model.student().secondLayer());
        }
        if (model.lossSwitch() != null)
        {
            monitor.switchLossWhen(model.lossSwitch(), () -> model.rule().switchLoss(org.sgdsim.model.Loss.SQUARE));
        }
        final SingleWriterRecorder iteration = new SingleWriterRecorder(LATENCY_DIGITS);
        final SingleWriterRecorder sliceWait = new SingleWriterRecorder(LATENCY_DIGITS);
        final LearnerAgent learner = new LearnerAgent(plan, monitor,
            new LearnerAgent.Queues(slices, freeSlices, free, snapshots, freeSnapshots), iteration, sliceWait,
            new SleepingIdleStrategy(50_000), startNs, board);

        final List<TrackerAgent.Stage> stages = new java.util.ArrayList<>();
        stages.add(new TrackerAgent.Stage("learner-iteration", iteration));
        for (int g = 0; g < generatorCount; g++)
        {
            stages.add(new TrackerAgent.Stage("block-generation-" + g, generation[g]));
        }
        stages.add(new TrackerAgent.Stage("block-queue-wait", blockWait));
        stages.add(new TrackerAgent.Stage("slice-queue-wait", sliceWait));
        final Progress progress = sinks.progress() == null || !watch.progress() ? null
            : new Progress(plan.budget().maxSteps(), plan.online(), batchSize, plan.samples().repeats(),
                sinks.progress(),
                plan.resume() == null ? 0 : plan.resume().steps(), plan.resume() == null ? 0 : plan.resume().samples());
        final TrackerAgent tracker = new TrackerAgent(snapshots, freeSnapshots, plan, sinks, progress, stages,
            new PipelineGauges(generators, learner, full, slices, perGenerator * generatorCount,
                dedicated(generatorCount), startNs), startNs);
        if (trainsA)
        {
            tracker.trackSecondLayer();
        }
        return new Pipeline(generators, batcher, learner, tracker, full, slices);
    }

    /**
     * A queue holding {@code count} new objects, room for no more (rounded up to a power of two). A loop of its own:
     * inside {@link #build} the thousand offers of every run made the JIT compile all of build, twice, on every
     * sweep (0.5 s of a core).
     */
    private static <T> OneToOneConcurrentArrayQueue<T> pool(final int count, final java.util.function.Supplier<T> make)
    {
        final OneToOneConcurrentArrayQueue<T> queue =
            new OneToOneConcurrentArrayQueue<>(BitUtil.findNextPositivePowerOfTwo(count));
        for (int i = 0; i < count; i++)
        {
            queue.offer(make.get());
        }
        return queue;
    }

    /** Generators on threads of their own: beyond cores − 1 they would only preempt each other. */
    public static int dedicated(final int generatorCount)
    {
        return Math.min(generatorCount, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    /**
     * Whether the generators reduce the pieces of this run's batches (low-rank batches of at least
     * {@link #OFFLOADED_BATCH} samples), so each step is a round trip between the learner and the generators.
     */
    public static boolean reducedByGenerators(final RunPlan plan)
    {
        return plan.model().rule().lowRank() && plan.samples().batchSize() >= OFFLOADED_BATCH;
    }

    /**
     * A bound on an online run's pool: the blocks its planned batches span, plus one, and at least 4 (like the pool's
     * memory bound); unbounded for a dataset or a run without a step or sample budget. A short run (a sweep's, often with batches
     * larger than its sample budget) then allocates what it reads rather than two large batches' worth.
     */
    static int blocksToRead(final RunPlan plan, final org.sgdsim.model.BlockSource layout)
    {
        final long planned = plan.plannedBatches();
        final int batchSize = plan.samples().batchSize();
        if (!plan.online() || planned > Long.MAX_VALUE / batchSize)
        {
            return Integer.MAX_VALUE;
        }
        final long start = Math.min(plan.startBatch(), planned);
        final long blocks = layout.firstBlock(planned, batchSize) - layout.firstBlock(start, batchSize) + 2;
        return (int)Math.min(Integer.MAX_VALUE, Math.max(4, blocks));
    }

    /** Enough blocks for about two batches in flight, at least 16 (parking bubbles), within the pool memory bound. */
    public static int blocksPerGenerator(final int batchSize, final int blockSize, final int dim, final int generators)
    {
        final long blockBytes = (long)blockSize * (dim + 1) * Double.BYTES;
        final long cap = Math.max(4, BLOCK_POOL_BYTES / blockBytes / generators);
        final long wanted = (2L * batchSize + blockSize - 1) / blockSize / generators + 2;
        return (int)Math.min(cap, Math.max(16, wanted));
    }
}
