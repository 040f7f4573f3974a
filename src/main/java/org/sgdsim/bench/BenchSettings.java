package org.sgdsim.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code ./sgdsim bench} measures: the bench model, the measured and warm-up seconds, and the optional peer,
 * live-client and calibration runs.
 *
 * @param peer      the NumPy peer's script to run on the same model first, or null for none.
 * @param calibrate time the single-thread Gaussian fill right before and after the pipeline.
 */
public record BenchSettings(Model model, Timing timing, Path peer, Live live, boolean calibrate)
{
    /** The bench model's sizes d, p, n_b, its sampler, generator count (null: one per core) and {@code --set} keys. */
    public record Model(int dim, int width, int batch, String sampler, Integer generators, List<String> overrides)
    {
    }

    /** Measured seconds after a warm-up that is not measured. */
    public record Timing(double seconds, double warmup)
    {
    }

    /**
     * The live feed and its clients.
     *
     * @param enabled        feed the run's live ring and serve it.
     * @param clients        SSE clients reading the run's events.
     * @param stalledClients SSE clients that connect and never read.
     * @param replay         new clients replay the ring from its oldest row.
     * @param alternate      pairs of phases without and with the clients (0: one measured window).
     */
    public record Live(boolean enabled, int clients, int stalledClients, boolean replay, int alternate)
    {
    }
}
