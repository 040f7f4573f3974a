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
    /** Sample-gradients already done when this process took over (a resumed run): not part of its rate. */
    private final double startSampleGradients;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;

    /**
     * Progress of a run with these budgets printed to {@code out}; for a finite dataset (not {@code online}) the
     * throughput counts sample-gradients, n_b per batch.
     */
    public Progress(final long maxSteps, final boolean online, final int batchSize, final int repeats,
        final PrintStream out)
    {
        this(maxSteps, online, batchSize, repeats, out, 0, 0);
    }

    /**
     * As {@link #Progress(long, boolean, int, int, PrintStream)} for a run resumed at {@code startSteps} and
     * {@code startSamples}: the throughput counts only what this process trains, over the time since it started.
     */
    public Progress(final long maxSteps, final boolean online, final int batchSize, final int repeats,
        final PrintStream out, final long startSteps, final long startSamples)
    {
        this.startSampleGradients = sampleGradients(online, batchSize, repeats, startSteps, startSamples);
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
        final double done = sampleGradients(online, batchSize, repeats, steps, samples) - startSampleGradients;
        line.append(String.format("  risk %.5g  %.3g samples/s  %.1f s", risk, done / wall, wall));
        out.println(line);
    }

    private static double sampleGradients(final boolean online, final int batchSize, final int repeats,
        final long steps, final long samples)
    {
        return online ? samples : (double)steps * batchSize / repeats;
    }
}
