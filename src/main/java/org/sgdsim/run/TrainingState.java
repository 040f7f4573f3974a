package org.sgdsim.run;

import org.sgdsim.metrics.StepMonitor;

/**
 * Everything needed to continue a run exactly where it was, taken by the learner at a batch boundary: the
 * weights, the counters (the stream position is {@code batches · n_b}: online it is the next sample index, for a
 * finite dataset the number of samples visited in epoch order), the row/threshold state and the elapsed time.
 * Immutable once handed over; the weights array is a copy.
 */
public record TrainingState(
    long steps,
    long samples,
    long batches,
    double[] weights,
    StepMonitor.State monitor,
    long elapsedNs)
{
}
