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
        INTERRUPTED;

        /** The name used in summary.json, e.g. "max-steps". */
        public String configName()
        {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
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
