package org.sgdsim.metrics;

import java.io.PrintStream;

/** Prints a progress line at most once a second: step, samples, max-cos per direction, risk, throughput. */
public final class Progress
{
    private static final long INTERVAL_NS = 1_000_000_000L;

    private final long maxSteps;
    private final boolean online;
    private final int batchSize;
    private final int repeats;
    private final PrintStream out;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;

    /**
     * Progress of a run with these budgets printed to {@code out}; for a finite dataset (not {@code online}) the
     * throughput counts sample-gradients, n_b per batch.
     */
    public Progress(final long maxSteps, final boolean online, final int batchSize, final int repeats,
        final PrintStream out)
    {
        this.maxSteps = maxSteps;
        this.online = online;
        this.batchSize = batchSize;
        this.repeats = repeats;
        this.out = out;
    }

    /** True when a second has passed since the last line. */
    public boolean due()
    {
        return System.nanoTime() - lastNs >= INTERVAL_NS;
    }

    /** Prints one line now. */
    public void print(final long steps, final long samples, final OrderParameters op, final double risk)
    {
        final long now = System.nanoTime();
        lastNs = now;
        final double wall = (now - startNs) * 1e-9;
        final StringBuilder line = new StringBuilder(128);
        line.append("step ").append(steps);
        if (maxSteps != Long.MAX_VALUE)
        {
            line.append('/').append(maxSteps);
        }
        line.append("  samples ").append(samples);
        for (int r = 0; r < op.k(); r++)
        {
            line.append(String.format("  max_cos_%d %.4f", r + 1, op.maxCos(r)));
        }
        final double sampleGradients = online ? samples : (double)steps * batchSize / repeats;
        line.append(String.format("  risk %.5g  %.3g samples/s  %.1f s", risk, sampleGradients / wall, wall));
        out.println(line);
    }
}
