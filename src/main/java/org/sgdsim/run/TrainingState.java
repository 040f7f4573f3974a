package org.sgdsim.run;

import java.util.List;

import org.sgdsim.metrics.FreshReadout;
import org.sgdsim.metrics.StepMonitor;

/**
 * Everything needed to continue a run exactly where it was, taken by the learner at a batch boundary: the
 * weights, the counters (the stream position is {@code batches · n_b}: online it is the next sample index, for a
 * finite dataset the number of samples visited in epoch order), the second layer a when it is trained (else null),
 * the row/threshold state (with the adaptive loss's switch), the elapsed time and the readouts taken at
 * {@code readout.at-steps} so far (empty without). Immutable once handed over; the
 * arrays are copies.
 */
public record TrainingState(
    long steps,
    long samples,
    long batches,
    double[] weights,
    double[] secondLayer,
    StepMonitor.State monitor,
    long elapsedNs,
    List<FreshReadout.Errors> readouts)
{
    /** The state; {@code readouts} is copied. */
    public TrainingState
    {
        readouts = List.copyOf(readouts);
    }
}
