package org.sgdsim.stream.plane;

import java.io.PrintStream;
import java.util.function.Consumer;

import org.sgdsim.metrics.LatencyLog;
import org.sgdsim.metrics.LiveRows;
import org.sgdsim.run.TrainingState;

/**
 * Where a pipeline run's output goes: metrics rows, pipeline rows, progress lines (null for none), the latency
 * interval log (null for none) and checkpoints (null for none; called after every earlier row was handed to
 * {@code rows}). All are called from the metric tracker's thread only. A resumed run writes no header lines to
 * the files; the live feed (null for none) gets every header, every row and the latency intervals.
 */
public record PipelineSinks(
    Consumer<CharSequence> rows,
    Consumer<CharSequence> pipelineRows,
    PrintStream progress,
    LatencyLog latencyLog,
    Consumer<TrainingState> checkpoints,
    LiveRows live)
{
    /** Sinks without a live feed. */
    public PipelineSinks(final Consumer<CharSequence> rows, final Consumer<CharSequence> pipelineRows,
        final PrintStream progress, final LatencyLog latencyLog, final Consumer<TrainingState> checkpoints)
    {
        this(rows, pipelineRows, progress, latencyLog, checkpoints, null);
    }

    /** Sinks without checkpoints. */
    public PipelineSinks(final Consumer<CharSequence> rows, final Consumer<CharSequence> pipelineRows,
        final PrintStream progress, final LatencyLog latencyLog)
    {
        this(rows, pipelineRows, progress, latencyLog, null, null);
    }

    /** The same sinks, also feeding {@code feed}. */
    public PipelineSinks withLive(final LiveRows feed)
    {
        return new PipelineSinks(rows, pipelineRows, progress, latencyLog, checkpoints, feed);
    }
}
