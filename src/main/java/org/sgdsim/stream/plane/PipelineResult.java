package org.sgdsim.stream.plane;

import java.util.Map;

import org.sgdsim.metrics.RunResult;

/** A finished pipeline run: the run's result plus stage latencies and pipeline figures for summary.json. */
public record PipelineResult(RunResult run, Map<String, Object> latency, Map<String, Object> pipeline)
{
}
