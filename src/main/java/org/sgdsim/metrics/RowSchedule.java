package org.sgdsim.metrics;

/** Which steps get a row in metrics.csv: every N steps, or log-spaced with a given number of rows per decade. */
public record RowSchedule(long every, int perDecade)
{
    /** Rows at steps 0, N, 2N, …. */
    public static RowSchedule every(final long every)
    {
        if (every < 1)
        {
            throw new IllegalArgumentException("expected a positive number of steps, got " + every);
        }
        return new RowSchedule(every, 0);
    }

    /** Rows at step 0 and at ⌈10^(i/perDecade)⌉ for i = 0, 1, 2, … (duplicates merged). */
    public static RowSchedule logSpaced(final int perDecade)
    {
        if (perDecade < 1)
        {
            throw new IllegalArgumentException("expected a positive number of rows per decade, got " + perDecade);
        }
        return new RowSchedule(0, perDecade);
    }

    /** True for log spacing. */
    public boolean isLog()
    {
        return perDecade > 0;
    }

    /** The first step after {@code step} that gets a row. */
    public long nextAfter(final long step)
    {
        if (!isLog())
        {
            return (step / every + 1) * every;
        }
        if (step < 1)
        {
            return 1;
        }
        long i = (long)Math.floor(Math.log10(step) * perDecade);
        while (true)
        {
            final double v = Math.ceil(Math.pow(10.0, (double)i / perDecade) - 1e-9);
            if (v > step)
            {
                return (long)v;
            }
            i++;
        }
    }

    /** Config form: the step count or "log". */
    public String describe()
    {
        return isLog() ? "log (" + perDecade + " per decade)" : Long.toString(every);
    }
}
