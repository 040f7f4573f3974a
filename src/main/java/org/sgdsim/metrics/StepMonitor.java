package org.sgdsim.metrics;

import java.util.function.Supplier;

/**
 * Decides after every gradient step whether the step gets a metrics row and whether the stop threshold holds.
 * Both the reference loop and the pipeline's learner call it with the same steps, so they record the same rows
 * and stop at the same step. Single-threaded; owns its {@link OrderParameters}.
 */
public final class StepMonitor
{
    /**
     * What a checkpoint keeps of a monitor, so that a resumed run records the same rows, stops at the same step and
     * trains with the same loss; {@code lossSwitched}: the adaptive loss has switched to the square loss.
     */
    public record State(long nextRow, long lastRowStep, boolean reached, long stepsToThreshold, long samplesToThreshold,
        boolean lossSwitched)
    {
    }

    private final RowSchedule schedule;
    private final Threshold when;
    private final long checkEvery;
    private final RiskEstimator risk;
    private final OrderParameters overlaps;
    private final double[] teacherDirections;
    private final int dim;
    /** The live a of a student whose second layer is trained, copied with every M and Q; null when fixed. */
    private double[] secondLayer;
    /** The adaptive loss's condition and what to do once it holds; null without one. */
    private Threshold lossSwitch;
    private Runnable onLossSwitch;
    private boolean switched;

    private long nextRow;
    private long lastRowStep = -1;
    private boolean reached;
    private boolean diverged;
    private long stepsToThreshold = -1;
    private long samplesToThreshold = -1;
    private double knownRisk = Double.NaN;

    /**
     * A monitor for a student of {@code width} units against {@code teacherDirections} (k × dim).
     *
     * @param checkEvery check the threshold every this many steps; 0 = at the rows only.
     */
    public StepMonitor(final RowSchedule schedule, final Threshold when, final long checkEvery,
        final RiskEstimator risk, final int width, final double[] teacherDirections, final int dim)
    {
        this.schedule = schedule;
        this.when = when;
        this.checkEvery = checkEvery;
        this.risk = risk;
        this.teacherDirections = teacherDirections;
        this.dim = dim;
        this.overlaps = new OrderParameters(width, teacherDirections.length / dim);
    }

    /**
     * Records the live second layer a (trained by the update rule) with every computed M and Q, so rows, risk and
     * thresholds see the a of the same step. Call before the first step.
     */
    public void trackSecondLayer(final double[] liveSecondLayer)
    {
        this.secondLayer = liveSecondLayer;
        overlaps.trackSecondLayer();
    }

    /**
     * Runs {@code action} once, at the first step whose overlaps are computed (a metrics row or a stop.when check)
     * where {@code condition} holds: the adaptive loss's switch from correlation to square. Call before the first
     * step.
     */
    public void switchLossWhen(final Threshold condition, final Runnable action)
    {
        this.lossSwitch = condition;
        this.onLossSwitch = action;
    }

    /**
     * Called after step {@code step} (0 = before training) with where to get the weights; returns true when this
     * step gets a row. The weights are asked for only when this step reads them (a row or a threshold check), so a
     * trainer with a projection pending settles W just for those steps. Then {@link #overlaps()} holds its M and
     * Q, and {@link #knownRisk()} its risk if the threshold check already computed it (NaN otherwise).
     */
    public boolean afterStep(final long step, final long samples, final Supplier<double[]> weights)
    {
        knownRisk = Double.NaN;
        boolean rowDue = step == nextRow;
        boolean computed = false;
        if (when != null && !reached && (checkEvery > 0 ? step % checkEvery == 0 : rowDue))
        {
            compute(weights);
            computed = true;
            if (when.needsRisk())
            {
                knownRisk = risk.risk(overlaps);
            }
            if (when.holds(overlaps, knownRisk))
            {
                reached = true;
                stepsToThreshold = step;
                samplesToThreshold = samples;
                rowDue = true;
            }
        }
        if (computed && !overlaps.finite())
        {
            diverged = true;
            rowDue = true;
        }
        if (rowDue)
        {
            if (!computed)
            {
                compute(weights);
                diverged |= !overlaps.finite();
            }
            lastRowStep = step;
            nextRow = schedule.nextAfter(step);
            computed = true;
        }
        if (computed && lossSwitch != null && !switched && !diverged)
        {
            if (lossSwitch.needsRisk() && Double.isNaN(knownRisk))
            {
                knownRisk = risk.risk(overlaps);
            }
            if (lossSwitch.holds(overlaps, knownRisk))
            {
                switched = true;
                onLossSwitch.run();
            }
        }
        return rowDue;
    }

    /**
     * At the end of a run: true (with the overlaps computed) when the last step has no row yet, so that every
     * run's last row is its final state.
     */
    public boolean finalRow(final long step, final Supplier<double[]> weights)
    {
        if (lastRowStep == step)
        {
            return false;
        }
        knownRisk = Double.NaN;
        compute(weights);
        lastRowStep = step;
        return true;
    }

    private void compute(final Supplier<double[]> weights)
    {
        overlaps.compute(weights.get(), teacherDirections, dim);
        if (secondLayer != null)
        {
            System.arraycopy(secondLayer, 0, overlaps.secondLayer(), 0, secondLayer.length);
        }
    }

    /** The monitor's state, for a checkpoint. */
    public State state()
    {
        return new State(nextRow, lastRowStep, reached, stepsToThreshold, samplesToThreshold, switched);
    }

    /**
     * Continues from a checkpointed state; if the adaptive loss had switched, the switch's action runs again now
     * (call after {@link #switchLossWhen}, before the first step).
     */
    public void restore(final State state)
    {
        nextRow = state.nextRow();
        lastRowStep = state.lastRowStep();
        reached = state.reached();
        stepsToThreshold = state.stepsToThreshold();
        samplesToThreshold = state.samplesToThreshold();
        if (state.lossSwitched())
        {
            if (lossSwitch == null)
            {
                throw new IllegalStateException("the checkpoint's loss has switched, but this run has no loss switch");
            }
            switched = true;
            onLossSwitch.run();
        }
    }

    /** Recomputes the overlaps for display (progress lines) without recording anything. */
    public OrderParameters peek(final Supplier<double[]> weights)
    {
        compute(weights);
        return overlaps;
    }

    /** M and Q of the step that last got a row (or of the last {@link #peek}). */
    public OrderParameters overlaps()
    {
        return overlaps;
    }

    /** The risk of the last row if the threshold check computed it, else NaN. */
    public double knownRisk()
    {
        return knownRisk;
    }

    /** Whether the threshold has held. */
    public boolean reached()
    {
        return reached;
    }

    /** True once a computed row found non-finite overlaps: the run stops there, as nothing can follow. */
    public boolean diverged()
    {
        return diverged;
    }

    /** True when the run must end at this step: the threshold was reached or the student diverged. */
    public boolean stopped()
    {
        return reached || diverged;
    }

    /** Step at which the threshold first held, or −1. */
    public long stepsToThreshold()
    {
        return stepsToThreshold;
    }

    /** Samples drawn when the threshold first held, or −1. */
    public long samplesToThreshold()
    {
        return samplesToThreshold;
    }
}
