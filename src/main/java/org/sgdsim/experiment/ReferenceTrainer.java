package org.sgdsim.experiment;

import java.io.PrintStream;
import java.util.function.Consumer;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Seeds;
import org.sgdsim.metrics.MetricsRow;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.Dataset;
import org.sgdsim.model.StreamReader;
import org.sgdsim.model.Streams;
import org.sgdsim.train.UpdateRule;

/**
 * The plain single-threaded reference loop: one thread reads the sample stream, takes every step and records
 * every row. It is the oracle the streaming pipeline must match bit for bit, so it stays simple.
 */
public final class ReferenceTrainer
{
    private static final long PROGRESS_INTERVAL_NS = 1_000_000_000L;

    private final RunModel model;
    private final ExperimentSpec spec;
    private final UpdateRule rule;
    private final OrderParameters overlaps;
    private final MetricsRow rowFormat;
    private final Consumer<CharSequence> rows;
    private final PrintStream progress;
    private volatile boolean stopRequested;

    private long steps;
    private long samples;
    private long nextRow;
    private long lastRowStep = -1;
    private boolean reached;
    private long stepsToThreshold = -1;
    private long samplesToThreshold = -1;
    private long startNs;
    private long lastProgressNs;
    private double lastRisk = Double.NaN;

    /**
     * A trainer for one run.
     *
     * @param rows     receives the header line, then one formatted metrics row per recorded step.
     * @param progress where progress lines go at most once a second (null for none).
     */
    public ReferenceTrainer(final RunModel model, final Consumer<CharSequence> rows, final PrintStream progress)
    {
        this.model = model;
        this.spec = model.spec();
        this.rule = model.updateRule();
        this.overlaps = new OrderParameters(spec.student().width(), spec.k());
        this.rowFormat = new MetricsRow(spec.student().width(), spec.k());
        this.rows = rows;
        this.progress = spec.metrics().progress() ? progress : null;
    }

    /** Asks the loop to stop after the current step (safe from any thread, e.g. a signal handler). */
    public void requestStop()
    {
        stopRequested = true;
    }

    /** Runs to the first of: max steps, max samples, the threshold, or a stop request. */
    public RunResult run()
    {
        final ExperimentSpec.Training t = spec.training();
        final ExperimentSpec.Stop stop = spec.stop();
        startNs = System.nanoTime();
        lastProgressNs = startNs;
        rows.accept(rowFormat.header());
        final Dataset dataset = t.online() ? null : Dataset.firstSamples(model.generator(), t.datasetSize());
        final BatchFeeder feeder = dataset == null ? new OnlineFeeder(new StreamReader(model.generator()))
            : (t.batchSize() == dataset.size() ? new FullBatchFeeder(dataset) : new EpochFeeder(dataset, spec.seed()));
        samples = dataset == null ? 0 : dataset.size();
        afterStep();
        RunResult.StopReason reason = null;
        while (reason == null)
        {
            if (reached)
            {
                reason = RunResult.StopReason.THRESHOLD;
            }
            else if (stopRequested)
            {
                reason = RunResult.StopReason.INTERRUPTED;
            }
            else if (steps >= stop.maxSteps())
            {
                reason = RunResult.StopReason.MAX_STEPS;
            }
            else if (dataset == null && samples > stop.maxSamples() - t.batchSize())
            {
                reason = RunResult.StopReason.MAX_SAMPLES;
            }
            else
            {
                rule.beginBatch(t.batchSize());
                feeder.feed(rule, t.batchSize());
                rule.endBatch();
                steps++;
                if (dataset == null)
                {
                    samples += t.batchSize();
                }
                afterStep();
                for (int r = 1; r < t.repeats() && !reached && !stopRequested && steps < stop.maxSteps(); r++)
                {
                    rule.replayStep();
                    steps++;
                    afterStep();
                }
            }
        }
        if (lastRowStep != steps)
        {
            record();
        }
        final double wall = (System.nanoTime() - startNs) * 1e-9;
        return new RunResult(steps, samples, wall, reached, stepsToThreshold, samplesToThreshold, reason,
            OrderParameters.of(overlaps.width(), overlaps.k(), overlaps.mMatrix(), overlaps.qMatrix()), lastRisk);
    }

    private void afterStep()
    {
        final Threshold when = spec.stop().when();
        final boolean rowDue = steps == nextRow;
        final boolean checkDue = when != null && !reached
            && (spec.stop().checkEvery() > 0 ? steps % spec.stop().checkEvery() == 0 : rowDue);
        if (checkDue)
        {
            computeOverlaps();
            final double risk = when.needsRisk() ? model.risk().risk(overlaps) : Double.NaN;
            if (when.holds(overlaps, risk))
            {
                reached = true;
                stepsToThreshold = steps;
                samplesToThreshold = samples;
                record();
                return;
            }
        }
        if (rowDue)
        {
            record();
        }
        else if (progress != null && (steps & 63) == 0)
        {
            final long now = System.nanoTime();
            if (now - lastProgressNs >= PROGRESS_INTERVAL_NS)
            {
                computeOverlaps();
                printProgress(now, model.risk().risk(overlaps));
            }
        }
    }

    private void record()
    {
        computeOverlaps();
        lastRisk = model.risk().risk(overlaps);
        final long now = System.nanoTime();
        rows.accept(rowFormat.format(steps, samples, (now - startNs) * 1e-9, overlaps, lastRisk));
        lastRowStep = steps;
        nextRow = spec.metrics().every().nextAfter(steps);
        if (progress != null && now - lastProgressNs >= PROGRESS_INTERVAL_NS)
        {
            printProgress(now, lastRisk);
        }
    }

    private void computeOverlaps()
    {
        overlaps.compute(model.student().weights(), model.teacher().directions(), spec.data().dim());
    }

    private void printProgress(final long now, final double risk)
    {
        lastProgressNs = now;
        final double wall = (now - startNs) * 1e-9;
        final StringBuilder line = new StringBuilder(128);
        line.append("step ").append(steps);
        if (spec.stop().maxSteps() != Long.MAX_VALUE)
        {
            line.append('/').append(spec.stop().maxSteps());
        }
        line.append("  samples ").append(samples);
        for (int r = 0; r < overlaps.k(); r++)
        {
            line.append(String.format("  max_cos_%d %.4f", r + 1, overlaps.maxCos(r)));
        }
        line.append(String.format("  risk %.5g  %.3g samples/s  %.1f s", risk,
            spec.training().online() ? samples / wall : steps * (double)spec.training().batchSize() / wall, wall));
        progress.println(line);
    }

    /** Hands the samples of one batch to the rule. */
    private interface BatchFeeder
    {
        void feed(UpdateRule rule, int batchSize);
    }

    /** Fresh samples in stream order, straight from the block buffers. */
    private static final class OnlineFeeder implements BatchFeeder
    {
        private final StreamReader reader;

        OnlineFeeder(final StreamReader reader)
        {
            this.reader = reader;
        }

        @Override
        public void feed(final UpdateRule rule, final int batchSize)
        {
            int done = 0;
            while (done < batchSize)
            {
                final int n = reader.next(batchSize - done);
                rule.accumulate(reader.x(), reader.y(), reader.offset(), n);
                done += n;
            }
        }
    }

    /** The whole dataset, every step (full-batch GD). */
    private static final class FullBatchFeeder implements BatchFeeder
    {
        private final Dataset dataset;

        FullBatchFeeder(final Dataset dataset)
        {
            this.dataset = dataset;
        }

        @Override
        public void feed(final UpdateRule rule, final int batchSize)
        {
            rule.accumulate(dataset.x(), dataset.y(), 0, dataset.size());
        }
    }

    /**
     * Mini-batches over a fixed dataset: epoch e visits the samples in a permutation drawn from (seed, e), and
     * the concatenated epochs are cut into batches, so a batch may straddle two epochs.
     */
    private static final class EpochFeeder implements BatchFeeder
    {
        private final Dataset dataset;
        private final long epochSeed;
        private final GaussianStream random = new GaussianStream();
        private final int[] order;
        private long epoch = -1;
        private int position;

        EpochFeeder(final Dataset dataset, final long seed)
        {
            this.dataset = dataset;
            this.epochSeed = Seeds.mix(seed, Streams.EPOCHS);
            this.order = new int[dataset.size()];
            this.position = order.length;
        }

        @Override
        public void feed(final UpdateRule rule, final int batchSize)
        {
            for (int u = 0; u < batchSize; u++)
            {
                if (position == order.length)
                {
                    shuffle();
                }
                rule.accumulate(dataset.x(), dataset.y(), order[position++], 1);
            }
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
}
