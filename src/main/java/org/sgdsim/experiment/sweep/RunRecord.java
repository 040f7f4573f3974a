package org.sgdsim.experiment.sweep;

import java.nio.file.Files;
import java.nio.file.Path;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.sgdsim.metrics.RunResult;

/**
 * What the sweep needs from a finished run, read back from its {@code summary.json}, so that runs done now and
 * runs done by an earlier, interrupted invocation are reported the same way.
 *
 * @param run               the planned run.
 * @param reached           whether the threshold held.
 * @param stepsToThreshold  T, or -1.
 * @param samplesToThreshold n_b·T (distinct samples when it held), or -1.
 * @param steps             steps at the end.
 * @param samples           samples at the end.
 * @param stopReason        max-steps, max-samples, threshold or interrupted.
 * @param wallSeconds       the run's wall time.
 * @param learnerP50Micros  median learner iteration time from the latency section, NaN if absent.
 * @param finalMaxCos       max_cos_1..k at the end.
 */
public record RunRecord(
    SweepPlan.Run run,
    boolean reached,
    long stepsToThreshold,
    long samplesToThreshold,
    long steps,
    long samples,
    String stopReason,
    double wallSeconds,
    double learnerP50Micros,
    double[] finalMaxCos)
{
    /** Name of the file a finished run leaves behind. */
    public static final String SUMMARY = "summary.json";

    /** Mean wall time per iteration, start-up included. */
    public double meanIterationSeconds()
    {
        return steps > 0 ? wallSeconds / steps : Double.NaN;
    }

    /** Measured throughput in samples per second of wall time. */
    public double samplesPerSecond()
    {
        return wallSeconds > 0 ? samples / wallSeconds : Double.NaN;
    }

    /**
     * Whether a run folder holds a finished run: a summary.json that was not written by an interrupted run or one
     * stopped by stop.max-wall.
     */
    public static boolean finished(final Path runDir)
    {
        return finishedSummary(runDir) != null;
    }

    /** The parsed summary.json of a finished run (see {@link #finished}), or null. */
    private static Config finishedSummary(final Path runDir)
    {
        final Path summary = runDir.resolve(SUMMARY);
        if (!Files.isRegularFile(summary))
        {
            return null;
        }
        try
        {
            final Config parsed = parse(summary);
            return !RunResult.StopReason.unfinished(parsed.getString("stop_reason"))
                && lastRowStep(runDir.resolve("metrics.csv")) == parsed.getLong(rowCounter(parsed)) ? parsed : null;
        }
        catch (final ConfigException ex)
        {
            return null;
        }
    }

    /** The summary figure metrics.csv's first column counts: epochs for a DFA run (a row per epoch), else steps. */
    private static String rowCounter(final Config summary)
    {
        return summary.hasPath("kind") && "dfa".equals(summary.getString("kind")) ? "epochs" : "steps";
    }

    /**
     * The step of metrics.csv's last complete row, or −1: a run ends with a row at its final step, so a file that
     * stops short (a sweep run's files are not forced to disk) marks the run as one to redo.
     */
    private static long lastRowStep(final Path metrics)
    {
        try
        {
            if (!Files.isRegularFile(metrics))
            {
                return -1;
            }
            final String text = Files.readString(metrics);
            if (!text.endsWith("\n"))
            {
                return -1;
            }
            final int start = text.lastIndexOf('\n', text.length() - 2) + 1;
            final int comma = text.indexOf(',', start);
            return comma < 0 ? -1 : Long.parseLong(text.substring(start, comma));
        }
        catch (final java.io.IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    /** Reads a run's summary.json. */
    public static RunRecord read(final SweepPlan.Run run, final Path runDir)
    {
        return of(run, parse(runDir.resolve(SUMMARY)));
    }

    /** Reads a run's summary.json when the run finished (as {@link #finished} decides), else null: one parse. */
    public static RunRecord readFinished(final SweepPlan.Run run, final Path runDir)
    {
        final Config s = finishedSummary(runDir);
        return s == null ? null : of(run, s);
    }

    private static RunRecord of(final SweepPlan.Run run, final Config s)
    {
        final int k = run.spec().k();
        final double[] maxCos = new double[k];
        for (int c = 0; c < k; c++)
        {
            final String key = "final.max_cos_" + (c + 1);
            maxCos[c] = s.hasPath(key) ? s.getDouble(key) : Double.NaN;
        }
        final String p50 = "latency.\"learner-iteration\".p50_us";
        return new RunRecord(run, s.getBoolean("reached"),
            s.hasPath("steps_to_threshold") ? s.getLong("steps_to_threshold") : -1L,
            s.hasPath("samples_to_threshold") ? s.getLong("samples_to_threshold") : -1L,
            s.getLong("steps"), s.getLong("samples"), s.getString("stop_reason"), s.getDouble("wall_seconds"),
            s.hasPath(p50) ? s.getDouble(p50) : Double.NaN, maxCos);
    }

    private static Config parse(final Path file)
    {
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)
            .setAllowMissing(false));
    }
}
