package org.sgdsim.experiment;

import java.io.PrintStream;

import org.sgdsim.metrics.OrderParameters;

/** Prints a progress line at most once a second: step, samples, max-cos per direction, risk, throughput. */
public final class Progress
{
    private static final long INTERVAL_NS = 1_000_000_000L;

    private final ExperimentSpec spec;
    private final PrintStream out;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;

    /** Progress of {@code spec} printed to {@code out}. */
    public Progress(final ExperimentSpec spec, final PrintStream out)
    {
        this.spec = spec;
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
        if (spec.stop().maxSteps() != Long.MAX_VALUE)
        {
            line.append('/').append(spec.stop().maxSteps());
        }
        line.append("  samples ").append(samples);
        for (int r = 0; r < op.k(); r++)
        {
            line.append(String.format("  max_cos_%d %.4f", r + 1, op.maxCos(r)));
        }
        final double sampleGradients = spec.training().online() ? samples
            : (double)steps * spec.training().batchSize() / spec.training().repeats();
        line.append(String.format("  risk %.5g  %.3g samples/s  %.1f s", risk, sampleGradients / wall, wall));
        out.println(line);
    }
}
