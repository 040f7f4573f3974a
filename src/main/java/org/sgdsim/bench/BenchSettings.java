package org.sgdsim.bench;

import java.util.List;

/**
 * What {@code ./sgdsim bench} measures: the bench model's sizes (d, p, n_b, sampler, generators, overrides), the
 * measured and warm-up seconds, and the optional peer, live-client and calibration runs.
 */
public record BenchSettings(int dim, int width, int batch, double seconds, double warmup, Integer generators,
    String sampler, List<String> overrides, java.nio.file.Path peer, boolean live, int liveClients, int stalledClients,
    boolean replay, int alternate, boolean calibrate)
{
}
