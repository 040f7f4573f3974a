package org.sgdsim.stream.plane;

import org.sgdsim.run.TrainingState;

/**
 * The learner's state at one step, for the metric tracker: overlaps (M, Q), counters and, when the learner
 * already computed it for a threshold, the risk. Pooled; the tracker gives it back once written.
 */
final class Snapshot
{
    /** What the tracker does with a snapshot. */
    enum Kind
    {
        /** A metrics.csv row. */
        ROW,
        /** A progress line only (not a row). */
        PROGRESS,
        /** The run ended; a row when {@link #finalRow} is set. */
        FINAL,
        /** A checkpoint: {@link #state} is to be saved once every earlier row is on disk. */
        CHECKPOINT
    }

    final double[] m;
    final double[] q;
    /** a at the step, for a trained second layer (unused otherwise). */
    final double[] a;
    Kind kind;
    long step;
    long samples;
    long wallNs;
    double knownRisk;
    boolean finalRow;
    TrainingState state;

    Snapshot(final int width, final int k)
    {
        this.m = new double[width * k];
        this.q = new double[width * width];
        this.a = new double[width];
    }
}
