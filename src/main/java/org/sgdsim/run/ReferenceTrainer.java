package org.sgdsim.run;

import org.sgdsim.metrics.RunResult;
import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.sgdsim.metrics.MetricsRow;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.Progress;
import org.sgdsim.metrics.StepMonitor;
import org.sgdsim.metrics.StepReadouts;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.model.Dataset;
import org.sgdsim.model.EpochOrder;
import org.sgdsim.model.BlockSource;
import org.sgdsim.model.StreamReader;
import org.sgdsim.train.UpdateRule;

/**
 * The plain single-threaded reference loop: one thread reads the sample stream, takes every step and records
 * every row. It is the oracle the streaming pipeline must match bit for bit, so it stays simple.
 */
public final class ReferenceTrainer
{
    private final RunPlan plan;
    private final UpdateRule rule;
    private final StepMonitor monitor;
    /** W as every reader between steps sees it: settled by the rule, whose projection may be pending. */
    private final Supplier<double[]> weights;
    private final MetricsRow rowFormat;
    private final Consumer<CharSequence> rows;
    private final Progress progress;
    private final StepReadouts readouts;
    /** The student with W settled (a folded projection applied), asked for only on readout steps. */
    private final Supplier<TwoLayerNetwork> settledStudent;
    private volatile boolean stopRequested;

    private long steps;
    private long samples;
    private long startNs;
    private double lastRisk = Double.NaN;

    /**
     * A trainer for one run.
     *
     * @param rows     receives the header line, then one formatted metrics row per recorded step.
     * @param progress where progress lines go at most once a second (null for none).
     */
    public ReferenceTrainer(final RunPlan plan, final Consumer<CharSequence> rows, final PrintStream progress)
    {
        this.plan = plan;
        final RunPlan.Model model = plan.model();
        final RunPlan.Monitoring watch = plan.monitoring();
        this.rule = model.rule();
        rule.foldProjection();
        this.weights = rule::settledWeights;
        this.monitor = new StepMonitor(watch.rows(), watch.when(), watch.checkEvery(), watch.learnerRisk(),
            model.student().width(), model.teacher().directions(), model.teacher().dim());
        final boolean trainsA = rule.trainsSecondLayer();
        if (trainsA)
        {
            monitor.trackSecondLayer(model.student().secondLayer());
        }
        if (model.lossSwitch() != null)
        {
            monitor.switchLossWhen(model.lossSwitch(), () -> rule.switchLoss(org.sgdsim.model.Loss.SQUARE));
        }
        this.rowFormat = new MetricsRow(model.student().width(), model.teacher().k(), trainsA);
        this.rows = rows;
        this.readouts = plan.readouts();
        this.settledStudent = () ->
        {
            rule.settledWeights();
            return model.student();
        };
        this.progress = watch.progress() && progress != null ? new Progress(plan.budget().maxSteps(), plan.online(),
            plan.samples().batchSize(), plan.samples().repeats(), progress) : null;
    }

    /** Asks the loop to stop after the current step (safe from any thread, e.g. a signal handler). */
    public void requestStop()
    {
        stopRequested = true;
    }

    /** Runs to the first of: max steps, max samples, the threshold, or a stop request. */
    public RunResult run()
    {
        final int batchSize = plan.samples().batchSize();
        final int repeats = plan.samples().repeats();
        final long maxSteps = plan.budget().maxSteps();
        final long maxSamples = plan.budget().maxSamples();
        final BlockSource generator = plan.blocks();
        startNs = System.nanoTime();
        rows.accept(rowFormat.header());
        final Dataset dataset = plan.online() ? null : Dataset.firstSamples(generator, plan.samples().datasetSize());
        final BatchFeeder feeder = dataset == null ? new OnlineFeeder(new StreamReader(generator))
            : batchSize == dataset.size() ? new FullBatchFeeder(dataset)
            : new EpochFeeder(dataset, plan.samples().seed());
        samples = dataset == null ? 0 : dataset.size();
        afterStep();
        RunResult.StopReason reason = null;
        while (reason == null)
        {
            reason = RunResult.stopReason(monitor, stopRequested, steps, maxSteps);
            if (reason == null && dataset == null && samples > maxSamples - batchSize)
            {
                reason = RunResult.StopReason.MAX_SAMPLES;
            }
            if (reason == null)
            {
                rule.beginBatch(batchSize);
                feeder.feed(rule, batchSize);
                rule.endBatch();
                steps++;
                if (dataset == null)
                {
                    samples += batchSize;
                }
                afterStep();
                for (int r = 1; r < repeats && !monitor.stopped() && !stopRequested && steps < maxSteps; r++)
                {
                    rule.replayStep();
                    steps++;
                    afterStep();
                }
            }
        }
        if (monitor.finalRow(steps, weights))
        {
            record(Double.NaN);
        }
        // W leaves the loop settled, whatever reads it after the run.
        rule.settledWeights();
        final OrderParameters last = monitor.overlaps();
        return new RunResult(steps, samples, (System.nanoTime() - startNs) * 1e-9, monitor.reached(),
            monitor.stepsToThreshold(), monitor.samplesToThreshold(), reason,
            OrderParameters.of(last.width(), last.k(), last.mMatrix(), last.qMatrix()), lastRisk);
    }

    private void afterStep()
    {
        if (readouts != null)
        {
            readouts.afterStep(steps, settledStudent);
        }
        if (monitor.afterStep(steps, samples, weights))
        {
            record(monitor.knownRisk());
        }
        else if (progress != null && (steps & 63) == 0 && progress.due())
        {
            final OrderParameters op = monitor.peek(weights);
            progress.print(steps, samples, op, plan.monitoring().trackerRisk().risk(op));
        }
    }

    private void record(final double knownRisk)
    {
        final OrderParameters op = monitor.overlaps();
        lastRisk = Double.isNaN(knownRisk) ? plan.monitoring().trackerRisk().risk(op) : knownRisk;
        rows.accept(rowFormat.format(steps, samples, (System.nanoTime() - startNs) * 1e-9, op, lastRisk));
        if (progress != null && progress.due())
        {
            progress.print(steps, samples, op, lastRisk);
        }
    }

    /** Hands the samples of one batch to the update rule. */
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

    /** Mini-batches over a fixed dataset in {@link EpochOrder}. */
    private static final class EpochFeeder implements BatchFeeder
    {
        private final Dataset dataset;
        private final EpochOrder order;

        EpochFeeder(final Dataset dataset, final long seed)
        {
            this.dataset = dataset;
            this.order = new EpochOrder(dataset.size(), seed);
        }

        @Override
        public void feed(final UpdateRule rule, final int batchSize)
        {
            for (int u = 0; u < batchSize; u++)
            {
                rule.accumulate(dataset.x(), dataset.y(), order.next(), 1);
            }
        }
    }
}
