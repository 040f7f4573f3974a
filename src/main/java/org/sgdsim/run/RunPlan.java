package org.sgdsim.run;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.metrics.RiskEstimator;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.metrics.StepReadouts;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.BlockSource;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.train.UpdateRule;

/**
 * Everything the pipeline needs to run one experiment: the objects it trains and measures, and the resolved
 * numbers that shape the stream and end the run. Built by the experiment layer; the pipeline owns the objects
 * from then on (the student's weights, the update rule and each estimator are confined to one stage thread).
 *
 * @param model       what is trained: teacher, student, update rule and the adaptive loss's switch.
 * @param samples     the sample stream: how it is drawn and cut into batches.
 * @param monitoring  what is measured and when: rows, the threshold and its checks, progress.
 * @param budget      the step and sample budgets.
 * @param checkpoints when checkpoints are taken.
 * @param resume      the state to continue from, or null for a fresh run.
 * @param readouts    the readouts taken during training ({@code readout.at-steps}), or null for none.
 */
public record RunPlan(
    Model model,
    Samples samples,
    Monitoring monitoring,
    Budget budget,
    Checkpoints checkpoints,
    TrainingState resume,
    StepReadouts readouts)
{
    /** A plan without readouts during training. */
    public RunPlan(final Model model, final Samples samples, final Monitoring monitoring, final Budget budget,
        final Checkpoints checkpoints, final TrainingState resume)
    {
        this(model, samples, monitoring, budget, checkpoints, resume, null);
    }

    /** This plan with {@code readouts} taken during training (null for none). */
    public RunPlan withReadouts(final StepReadouts readouts)
    {
        return new RunPlan(model, samples, monitoring, budget, checkpoints, resume, readouts);
    }

    /**
     * The teacher, the student it trains, the update rule, and the condition on which the adaptive loss switches from
     * correlation to square (null without a switch).
     */
    public record Model(Teacher teacher, TwoLayerNetwork student, UpdateRule rule, Threshold lossSwitch)
    {
    }

    /**
     * The sample stream.
     *
     * @param sampler     how batches are drawn: the stream holds covariates x, or the low-rank coordinates z.
     * @param gaussian    the Gaussian generator of the stream ({@code data.gaussian}).
     * @param datasetSize 0 for fresh samples, else the size N of the fixed dataset (the first N samples).
     */
    public record Samples(Sampler sampler, GaussianAlgorithm gaussian, long seed, int blockSize, int batchSize,
        int repeats, int datasetSize)
    {
    }

    /**
     * What is measured and when.
     *
     * @param learnerRisk a second estimator instance for threshold checks on the learner's thread.
     * @param checkEvery  steps between threshold checks; 0 = at the metrics rows.
     */
    public record Monitoring(RiskEstimator trackerRisk, RiskEstimator learnerRisk, RowSchedule rows, Threshold when,
        long checkEvery, boolean progress)
    {
    }

    /** The step and sample budgets (Long.MAX_VALUE for none). */
    public record Budget(long maxSteps, long maxSamples)
    {
    }

    /**
     * A checkpoint at the first batch boundary at least {@code everySteps} steps, or {@code everyNs} nanoseconds of
     * wall time, after the last one; 0 = never by that measure.
     */
    public record Checkpoints(long everySteps, long everyNs)
    {
    }

    /** A block source of the run's sample stream (one per generator thread). */
    public BlockSource blocks()
    {
        return samples.sampler().blocks(model.teacher(), model.student().width(), samples.seed(), samples.blockSize(),
            samples.batchSize(), samples.gaussian());
    }

    /** Numbers per sample row of the stream's blocks. */
    public int rowLength()
    {
        return samples.sampler().rowLength(model.teacher(), model.student().width());
    }

    /** True when training reads fresh samples forever. */
    public boolean online()
    {
        return samples.datasetSize() == 0;
    }

    /** Batches already taken before this run started (0 unless resumed). */
    public long startBatch()
    {
        return resume == null ? 0 : resume.batches();
    }

    /** Mini-batches the whole run takes: what the step and sample budgets allow, whichever is smaller. */
    public long plannedBatches()
    {
        final long maxSteps = budget.maxSteps();
        final long maxSamples = budget.maxSamples();
        final int repeats = samples.repeats();
        final long bySteps = maxSteps == Long.MAX_VALUE ? Long.MAX_VALUE : (maxSteps + repeats - 1) / repeats;
        if (!online())
        {
            return bySteps;
        }
        return Math.min(bySteps, maxSamples == Long.MAX_VALUE ? Long.MAX_VALUE : maxSamples / samples.batchSize());
    }
}
