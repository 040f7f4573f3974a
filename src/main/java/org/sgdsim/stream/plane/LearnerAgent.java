package org.sgdsim.stream.plane;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.StepMonitor;
import org.sgdsim.metrics.StepReadouts;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.run.RunPlan;
import org.sgdsim.run.TrainingState;
import org.sgdsim.train.UpdateRule;

/**
 * Takes the gradient steps: consumes slices in order, hands their samples to the update rule, and after each
 * step asks the {@link StepMonitor} (the same one the reference loop uses) whether a row is due or the threshold
 * holds. Rows leave as pooled snapshots; the student's weights never leave this thread.
 */
public final class LearnerAgent implements LearnerStage<LearnerAgent.Outcome>
{
    private static final int MAX_SLICES_PER_DUTY_CYCLE = 256;
    private static final long PROGRESS_INTERVAL_NS = 1_000_000_000L;

    /** How the learner ended, for its actor. */
    public record Outcome(RunResult.StopReason reason, long steps, long samples, boolean reached, long stepsToThreshold,
        long samplesToThreshold)
    {
    }

    private final boolean progress;
    private final UpdateRule rule;
    /** W as every reader between steps sees it: settled by the rule, whose projection may be pending. */
    private final Supplier<double[]> weights;
    /** The live a when the rule trains it (a checkpoint holds a copy), else null. */
    private final double[] secondLayer;
    private final StepMonitor monitor;
    /** The readouts at {@code readout.at-steps}, taken on this thread between steps (null for none). */
    private final StepReadouts readouts;
    /** The student with W settled (a folded projection applied), asked for only on readout steps. */
    private final Supplier<TwoLayerNetwork> settledStudent;
    private final TwoLayerNetwork student;
    private final OneToOneConcurrentArrayQueue<Slice> slices;
    private final OneToOneConcurrentArrayQueue<Slice> freeSlices;
    private final OneToOneConcurrentArrayQueue<Block>[] freeBlocks;
    private final OneToOneConcurrentArrayQueue<Snapshot> snapshots;
    private final OneToOneConcurrentArrayQueue<Snapshot> freeSnapshots;
    private final SingleWriterRecorder iteration;
    private final SingleWriterRecorder sliceWait;
    private final IdleStrategy snapshotIdle;
    private Consumer<Outcome> onFinished = outcome -> { };
    private Runnable wakeTracker = () -> { };
    private final int batchSize;
    private final int repeats;
    private final long maxSteps;
    private final boolean online;
    private final long startNs;
    private final long elapsedBeforeNs;
    private final long checkpointEverySteps;
    private final long checkpointEveryNs;
    private final AtomicLong busyNs = new AtomicLong();
    private final AtomicLong stepsPublished = new AtomicLong();
    private final AtomicLong samplesPublished = new AtomicLong();

    /** Low-rank sampler only (else null): where each step's field map goes for the generators' reducers. */
    private final FieldMapBoard board;

    private volatile boolean stopRequested;
    private volatile boolean aborted;
    private boolean inBatch;
    private boolean finished;
    private long steps;
    private long samples;
    private long lastStepNs;
    private long lastProgressNs;
    private long batches;
    private long lastCheckpointSteps;
    private long lastCheckpointNs;

    /** The learner's queues: slices in and back, blocks back to their generators, snapshots out and back. */
    record Queues(
        OneToOneConcurrentArrayQueue<Slice> slices,
        OneToOneConcurrentArrayQueue<Slice> freeSlices,
        OneToOneConcurrentArrayQueue<Block>[] freeBlocks,
        OneToOneConcurrentArrayQueue<Snapshot> snapshots,
        OneToOneConcurrentArrayQueue<Snapshot> freeSnapshots)
    {
    }

    LearnerAgent(final RunPlan plan, final StepMonitor monitor, final Queues queues,
        final SingleWriterRecorder iteration, final SingleWriterRecorder sliceWait, final IdleStrategy snapshotIdle,
        final long startNs, final FieldMapBoard board)
    {
        this.board = board;
        this.progress = plan.monitoring().progress();
        this.rule = plan.model().rule();
        rule.foldProjection();
        this.weights = rule::settledWeights;
        this.secondLayer = rule.trainsSecondLayer() ? plan.model().student().secondLayer() : null;
        this.monitor = monitor;
        this.readouts = plan.readouts();
        this.student = plan.model().student();
        this.settledStudent = () ->
        {
            rule.settledWeights();
            return student;
        };
        this.slices = queues.slices();
        this.freeSlices = queues.freeSlices();
        this.freeBlocks = queues.freeBlocks();
        this.snapshots = queues.snapshots();
        this.freeSnapshots = queues.freeSnapshots();
        this.iteration = iteration;
        this.sliceWait = sliceWait;
        this.snapshotIdle = snapshotIdle;
        this.batchSize = plan.samples().batchSize();
        this.repeats = plan.samples().repeats();
        this.maxSteps = plan.budget().maxSteps();
        this.online = plan.online();
        this.startNs = startNs;
        this.checkpointEverySteps = plan.checkpoints().everySteps();
        this.checkpointEveryNs = plan.checkpoints().everyNs();
        final TrainingState resume = plan.resume();
        if (resume == null)
        {
            this.samples = plan.samples().datasetSize();
            this.elapsedBeforeNs = 0;
        }
        else
        {
            this.steps = resume.steps();
            this.samples = resume.samples();
            this.batches = resume.batches();
            this.elapsedBeforeNs = resume.elapsedNs();
            monitor.restore(resume.monitor());
            if (readouts != null)
            {
                readouts.restore(resume.readouts(), resume.steps());
            }
        }
        this.lastCheckpointSteps = steps;
    }

    @Override
    public void onStart()
    {
        lastStepNs = System.nanoTime();
        lastProgressNs = lastStepNs;
        lastCheckpointNs = lastStepNs;
        if (batches == 0)
        {
            afterStep();
        }
        final RunResult.StopReason reason = RunResult.stopReason(monitor, stopRequested, steps, maxSteps);
        if (reason != null)
        {
            finish(reason);
            return;
        }
        postFieldMap();
    }

    /**
     * Low-rank sampler: begins the next batch now, not at its first slice, and posts its field map, since the
     * generators cannot finish that batch's pieces without it.
     */
    private void postFieldMap()
    {
        if (board != null)
        {
            rule.beginBatch(batchSize);
            board.post(batches, rule.fieldMap(board.map()), rule.loss());
        }
    }

    @Override
    public int doWork()
    {
        if (finished)
        {
            return 0;
        }
        int work = 0;
        Slice slice;
        while (work < MAX_SLICES_PER_DUTY_CYCLE && (slice = slices.poll()) != null)
        {
            work++;
            final long start = System.nanoTime();
            sliceWait.recordValue(Math.max(0, start - slice.readyNs));
            if (slice.endOfStream)
            {
                freeSlices.offer(slice);
                finish(RunResult.StopReason.MAX_SAMPLES);
                return work;
            }
            if (!inBatch)
            {
                if (board == null)
                {
                    rule.beginBatch(batchSize);
                }
                inBatch = true;
            }
            if (board == null)
            {
                rule.accumulate(slice.x, slice.y, slice.first, slice.count);
            }
            else
            {
                rule.addPieceSums(slice.x, slice.count);
            }
            if (slice.release != null)
            {
                freeBlocks[slice.release.generator].offer(slice.release);
            }
            final boolean endsBatch = slice.endsBatch;
            freeSlices.offer(slice);
            if (endsBatch)
            {
                inBatch = false;
                rule.endBatch();
                steps++;
                if (online)
                {
                    samples += batchSize;
                }
                stepDone();
                for (int r = 1; r < repeats && !monitor.stopped() && !stopRequested && steps < maxSteps; r++)
                {
                    rule.replayStep();
                    steps++;
                    stepDone();
                }
                batches++;
                busyNs.lazySet(busyNs.get() + System.nanoTime() - start);
                final RunResult.StopReason reason =
                    RunResult.stopReason(monitor, stopRequested, steps, maxSteps);
                if (reason != null)
                {
                    finish(reason);
                    return work;
                }
                checkpointIfDue();
                postFieldMap();
            }
            else
            {
                busyNs.lazySet(busyNs.get() + System.nanoTime() - start);
            }
        }
        if (work == 0 && stopRequested && !inBatch)
        {
            finish(RunResult.StopReason.INTERRUPTED);
        }
        return work;
    }

    private void stepDone()
    {
        final long now = System.nanoTime();
        iteration.recordValue(now - lastStepNs);
        lastStepNs = now;
        stepsPublished.lazySet(steps);
        samplesPublished.lazySet(samples);
        afterStep();
    }

    private void afterStep()
    {
        if (readouts != null)
        {
            readouts.afterStep(steps, settledStudent);
        }
        if (monitor.afterStep(steps, samples, weights))
        {
            send(Snapshot.Kind.ROW, monitor.overlaps(), monitor.knownRisk(), false, null);
        }
        else if ((steps & 63) == 0 && progress)
        {
            final long now = System.nanoTime();
            if (now - lastProgressNs >= PROGRESS_INTERVAL_NS)
            {
                lastProgressNs = now;
                send(Snapshot.Kind.PROGRESS, monitor.peek(weights), Double.NaN, false, null);
            }
        }
    }

    private void checkpointIfDue()
    {
        final boolean bySteps = checkpointEverySteps > 0 && steps - lastCheckpointSteps >= checkpointEverySteps;
        final boolean byTime = checkpointEveryNs > 0 && System.nanoTime() - lastCheckpointNs >= checkpointEveryNs;
        if (bySteps || byTime)
        {
            checkpoint();
        }
    }

    /** Hands the tracker a copy of the state at this batch boundary (it saves it after the earlier rows). */
    private void checkpoint()
    {
        lastCheckpointSteps = steps;
        lastCheckpointNs = System.nanoTime();
        final TrainingState state = new TrainingState(steps, samples, batches, rule.settledWeights().clone(),
            secondLayer == null ? null : secondLayer.clone(), monitor.state(),
            elapsedBeforeNs + lastCheckpointNs - startNs,
            readouts == null ? java.util.List.of() : readouts.taken());
        send(Snapshot.Kind.CHECKPOINT, monitor.overlaps(), Double.NaN, false, state);
    }

    private void finish(final RunResult.StopReason reason)
    {
        finished = true;
        if (reason == RunResult.StopReason.INTERRUPTED && !inBatch)
        {
            // A drained run can be resumed: it ends on a batch boundary.
            checkpoint();
        }
        final boolean row = monitor.finalRow(steps, weights);
        // W leaves the learner settled, whatever reads it after the run.
        rule.settledWeights();
        send(Snapshot.Kind.FINAL, monitor.overlaps(), Double.NaN, row, null);
        stepsPublished.lazySet(steps);
        samplesPublished.lazySet(samples);
        onFinished.accept(new Outcome(reason, steps, samples, monitor.reached(), monitor.stepsToThreshold(),
            monitor.samplesToThreshold()));
    }

    private void send(final Snapshot.Kind kind, final OrderParameters op, final double knownRisk, final boolean finalRow,
        final TrainingState state)
    {
        Snapshot s;
        snapshotIdle.reset();
        while ((s = freeSnapshots.poll()) == null)
        {
            // Rows are never dropped: a slow tracker holds the learner back, as the pool intends.
            if (aborted)
            {
                return;
            }
            snapshotIdle.idle();
        }
        s.kind = kind;
        s.step = steps;
        s.samples = samples;
        s.wallNs = elapsedBeforeNs + System.nanoTime() - startNs;
        s.knownRisk = knownRisk;
        s.finalRow = finalRow;
        s.state = state;
        System.arraycopy(op.mMatrix(), 0, s.m, 0, s.m.length);
        System.arraycopy(op.qMatrix(), 0, s.q, 0, s.q.length);
        if (op.secondLayer() != null)
        {
            System.arraycopy(op.secondLayer(), 0, s.a, 0, s.a.length);
        }
        snapshots.offer(s);
        // The tracker parks for up to 10 ms between rows; the last row, or half the pool waiting, wakes it at once.
        if (kind == Snapshot.Kind.FINAL || snapshots.size() >= freeSnapshots.capacity() / 2)
        {
            wakeTracker.run();
        }
    }

    /** Asks the learner to stop after the current batch (any thread). */
    @Override
    public void requestStop()
    {
        stopRequested = true;
    }

    /** Makes a learner blocked on a full snapshot pool give up (the run is being torn down). */
    @Override
    public void abort()
    {
        aborted = true;
    }

    long busyNs()
    {
        return busyNs.get();
    }

    long steps()
    {
        return stepsPublished.get();
    }

    long samples()
    {
        return samplesPublished.get();
    }

    /** Where the outcome goes; set by the owning actor before the agent starts. */
    @Override
    public void onFinished(final Consumer<Outcome> listener)
    {
        this.onFinished = listener;
    }

    /** How the tracker's thread is woken when rows are waiting for it; set by the owning actor before the agent starts. */
    public void wakeTrackerWith(final Runnable wake)
    {
        this.wakeTracker = wake;
    }

    @Override
    public String roleName()
    {
        return "learner";
    }
}
