package org.sgdsim.experiment;

import org.sgdsim.metrics.OrderParameters;

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
        /** Interrupted (Ctrl-C / SIGTERM). */
        INTERRUPTED
    }
}
