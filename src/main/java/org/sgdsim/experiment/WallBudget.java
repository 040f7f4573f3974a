package org.sgdsim.experiment;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.metrics.RunResult;

/**
 * stop.max-wall, a run's wall-clock budget: when it runs out the run is drained exactly as Ctrl-C drains it
 * (checkpoint at the next batch boundary, last row, summary.json), but reports {@code max-wall}. The budget counts
 * from the start of each session of the run, so every resume (or re-run sweep) gets it afresh. The first of the
 * budget and a signal names the stop.
 */
public final class WallBudget implements AutoCloseable
{
    static final String KEY = "stop.max-wall";

    // One daemon thread for every run of the JVM: a sweep's runs each arm a budget, none holds a thread.
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final AtomicReference<RunResult.StopReason> cause = new AtomicReference<>();
    private final Runnable drain;
    private final ScheduledFuture<?> task;

    private WallBudget(final long nanos, final Runnable drain)
    {
        this.drain = drain;
        this.task = nanos <= 0 ? null : TIMER.schedule(() -> stop(RunResult.StopReason.MAX_WALL), nanos,
            TimeUnit.NANOSECONDS);
    }

    /** Arms the budget of {@code resolved} (none: never fires); {@code drain} stops the run after its batch. */
    static WallBudget arm(final Config resolved, final Runnable drain)
    {
        return new WallBudget(nanos(resolved), drain);
    }

    /** stop.max-wall in nanoseconds, 0 for none; a UserError naming the key for anything but a positive duration. */
    public static long nanos(final Config resolved)
    {
        if (!resolved.hasPath(KEY))
        {
            return 0;
        }
        final ConfigValue value = resolved.getValue(KEY);
        final Object raw = value.unwrapped();
        if (value.valueType() == ConfigValueType.STRING && "none".equals(raw))
        {
            return 0;
        }
        final String expected = "none or a positive duration with its unit (2h, 90m, 30s, 500ms)";
        if (value.valueType() != ConfigValueType.STRING)
        {
            throw new UserError(ExperimentConfig.where(value) + KEY + ": expected " + expected + ", got " + raw);
        }
        final long nanos;
        try
        {
            nanos = resolved.getDuration(KEY, TimeUnit.NANOSECONDS);
        }
        catch (final ConfigException ex)
        {
            throw new UserError(ExperimentConfig.where(value) + KEY + ": expected " + expected + ", got '" + raw + "'");
        }
        if (nanos <= 0)
        {
            throw new UserError(ExperimentConfig.where(value) + KEY + ": expected " + expected + ", got '" + raw + "'");
        }
        return nanos;
    }

    /** Records why the run is being stopped (the first cause wins) and drains it. */
    void stop(final RunResult.StopReason reason)
    {
        if (cause.compareAndSet(null, reason))
        {
            drain.run();
        }
        else if (reason == RunResult.StopReason.INTERRUPTED)
        {
            drain.run(); // a signal always drains, whatever came first
        }
    }

    /** The stop reason to report for a run whose engine says {@code engine}: a drained run says why it drained. */
    public RunResult.StopReason report(final RunResult.StopReason engine)
    {
        return engine == RunResult.StopReason.INTERRUPTED && cause.get() == RunResult.StopReason.MAX_WALL
            ? RunResult.StopReason.MAX_WALL : engine;
    }

    @Override
    public void close()
    {
        if (task != null)
        {
            task.cancel(false);
        }
    }

    private static ScheduledThreadPoolExecutor timer()
    {
        final ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r ->
        {
            final Thread thread = new Thread(r, "sgdsim-wall-budget");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
