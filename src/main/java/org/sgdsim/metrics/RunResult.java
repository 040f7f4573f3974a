package org.sgdsim.metrics;

/** What a finished run reports in summary.json. */
public record RunResult(
    long steps,
    long samples,
    double wallSeconds,
    boolean reached,
    long stepsToThreshold,
    long samplesToThreshold,
    StopReason stopReason,
    OrderParameters finalOverlaps,
    double finalRisk)
{
    /** Why the run ended. */
    public enum StopReason
    {
        /** stop.max-steps was reached. */
        MAX_STEPS,
        /** The next batch would exceed stop.max-samples. */
        MAX_SAMPLES,
        /** stop.when held. */
        THRESHOLD,
        /** The student's weights became non-finite (learning rate too large for the batch). */
        DIVERGED,
        /** Interrupted (Ctrl-C / SIGTERM). */
        INTERRUPTED,
        /** stop.max-wall ran out: stopped at a batch boundary with a checkpoint, to be resumed. */
        MAX_WALL;

        /** True for a run that stopped before its end and resumes from its checkpoint. */
        public boolean unfinished()
        {
            return this == INTERRUPTED || this == MAX_WALL;
        }

        /** As {@link #unfinished()} for the stop_reason of a summary.json. */
        public static boolean unfinished(final String configName)
        {
            return INTERRUPTED.configName().equals(configName) || MAX_WALL.configName().equals(configName);
        }

        /** The name used in summary.json, e.g. "max-steps". */
        public String configName()
        {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** This result with another stop reason (a drain that stop.max-wall asked for reports max-wall). */
    public RunResult withStopReason(final StopReason reason)
    {
        return new RunResult(steps, samples, wallSeconds, reached, stepsToThreshold, samplesToThreshold, reason,
            finalOverlaps, finalRisk);
    }

    /** The reason to stop before the next batch, or null to go on (the order of the checks is part of the contract). */
    public static StopReason stopReason(final StepMonitor monitor, final boolean stopRequested, final long steps,
        final long maxSteps)
    {
        if (monitor.reached())
        {
            return StopReason.THRESHOLD;
        }
        if (monitor.diverged())
        {
            return StopReason.DIVERGED;
        }
        if (stopRequested)
        {
            return StopReason.INTERRUPTED;
        }
        return steps >= maxSteps ? StopReason.MAX_STEPS : null;
    }
}
