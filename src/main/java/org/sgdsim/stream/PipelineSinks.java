package org.sgdsim.stream;

import java.io.PrintStream;
import java.util.function.Consumer;

import org.HdrHistogram.HistogramLogWriter;

/**
 * Where a pipeline run's output goes: metrics rows, pipeline rows, progress lines (null for none) and the
 * latency interval log (null for none). All are written from the metric tracker's thread only.
 */
public record PipelineSinks(
    Consumer<CharSequence> rows,
    Consumer<CharSequence> pipelineRows,
    PrintStream progress,
    HistogramLogWriter latencyLog)
{
}
