package org.sgdsim.run;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.metrics.RiskEstimator;
import org.sgdsim.metrics.RowSchedule;
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
 * @param sampler     how batches are drawn: the stream holds covariates x, or the low-rank coordinates z.
 * @param gaussian    the Gaussian generator of the stream ({@code data.gaussian}).
 * @param learnerRisk a second estimator instance for threshold checks on the learner's thread.
 * @param datasetSize 0 for fresh samples, else the size N of the fixed dataset (the first N samples).
 * @param checkEvery  steps between threshold checks; 0 = at the metrics rows.
 * @param checkpointEverySteps a checkpoint at the first batch boundary at least this many steps after the last
 *                             one; 0 = never by steps.
 * @param checkpointEveryNs    likewise in nanoseconds of wall time; 0 = never by time.
 * @param resume      the state to continue from, or null for a fresh run.
 * @param lossSwitch  the condition on which the adaptive loss switches from correlation to square, or null.
 */
public record RunPlan(
    Teacher teacher,
    Sampler sampler,
    GaussianAlgorithm gaussian,
    TwoLayerNetwork student,
    UpdateRule rule,
    RiskEstimator trackerRisk,
    RiskEstimator learnerRisk,
    RowSchedule rows,
    Threshold when,
    long checkEvery,
    long seed,
    int blockSize,
    int batchSize,
    int repeats,
    int datasetSize,
    long maxSteps,
    long maxSamples,
    boolean progress,
    long checkpointEverySteps,
    long checkpointEveryNs,
    TrainingState resume,
    Threshold lossSwitch)
{
    /** A plan without a loss switch. */
    public RunPlan(final Teacher teacher, final Sampler sampler, final GaussianAlgorithm gaussian,
        final TwoLayerNetwork student, final UpdateRule rule,
        final RiskEstimator trackerRisk, final RiskEstimator learnerRisk, final RowSchedule rows, final Threshold when,
        final long checkEvery, final long seed, final int blockSize, final int batchSize, final int repeats,
        final int datasetSize, final long maxSteps, final long maxSamples, final boolean progress,
        final long checkpointEverySteps, final long checkpointEveryNs, final TrainingState resume)
    {
        this(teacher, sampler, gaussian, student, rule, trackerRisk, learnerRisk, rows, when, checkEvery, seed, blockSize,
            batchSize, repeats, datasetSize, maxSteps, maxSamples, progress, checkpointEverySteps, checkpointEveryNs,
            resume, null);
    }

    /** A block source of the run's sample stream (one per generator thread). */
    public BlockSource blocks()
    {
        return sampler.blocks(teacher, student.width(), seed, blockSize, batchSize, gaussian);
    }

    /** Numbers per sample row of the stream's blocks. */
    public int rowLength()
    {
        return sampler.rowLength(teacher, student.width());
    }

    /** True when training reads fresh samples forever. */
    public boolean online()
    {
        return datasetSize == 0;
    }

    /** Batches already taken before this run started (0 unless resumed). */
    public long startBatch()
    {
        return resume == null ? 0 : resume.batches();
    }

    /** Mini-batches the whole run takes: what the step and sample budgets allow, whichever is smaller. */
    public long plannedBatches()
    {
        final long bySteps = maxSteps == Long.MAX_VALUE ? Long.MAX_VALUE : (maxSteps + repeats - 1) / repeats;
        if (!online())
        {
            return bySteps;
        }
        return Math.min(bySteps, maxSamples == Long.MAX_VALUE ? Long.MAX_VALUE : maxSamples / batchSize);
    }
}
