package org.sgdsim.experiment.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
    private static Map<String, Object> finishedSummary(final Path runDir)
    {
        final Path summary = runDir.resolve(SUMMARY);
        if (!Files.isRegularFile(summary))
        {
            return null;
        }
        try
        {
            final Map<String, Object> parsed = parse(summary);
            return !RunResult.StopReason.unfinished((String)parsed.get("stop_reason"))
                && lastRowStep(runDir.resolve("metrics.csv")) == number(parsed, rowCounter(parsed)).longValue()
                ? parsed : null;
        }
        catch (final ConfigException | ClassCastException | NullPointerException ex)
        {
            return null;
        }
    }

    /** The summary figure metrics.csv's first column counts: epochs for a DFA run (a row per epoch), else steps. */
    private static String rowCounter(final Map<String, Object> summary)
    {
        return "dfa".equals(summary.get("kind")) ? "epochs" : "steps";
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
        final Map<String, Object> s = finishedSummary(runDir);
        return s == null ? null : of(run, s);
    }

    /**
     * The record of a run from its summary, as summary.json holds it: the file parsed, or the map a run of this
     * process wrote it from ({@code Runs.Active.summary()}; doubles print in the shortest form that reads back to
     * the same value, so both give the same record).
     */
    public static RunRecord of(final SweepPlan.Run run, final Map<String, Object> s)
    {
        final int k = run.spec().k();
        final Map<?, ?> last = s.get("final") instanceof Map<?, ?> m ? m : Map.of();
        final double[] maxCos = new double[k];
        for (int c = 0; c < k; c++)
        {
            maxCos[c] = finite(last.get("max_cos_" + (c + 1)));
        }
        final Object latency = s.get("latency") instanceof Map<?, ?> l ? l.get("learner-iteration") : null;
        return new RunRecord(run, (Boolean)s.get("reached"), whole(s.get("steps_to_threshold")),
            whole(s.get("samples_to_threshold")), number(s, "steps").longValue(), number(s, "samples").longValue(),
            (String)s.get("stop_reason"), number(s, "wall_seconds").doubleValue(),
            latency instanceof Map<?, ?> iteration ? finite(iteration.get("p50_us")) : Double.NaN, maxCos);
    }

    private static Number number(final Map<String, Object> summary, final String key)
    {
        return (Number)java.util.Objects.requireNonNull(summary.get(key), key);
    }

    /** A count, or −1 where summary.json has null. */
    private static long whole(final Object value)
    {
        return value == null ? -1L : ((Number)value).longValue();
    }

    /** A figure, or NaN where summary.json has null (a non-finite double is written as null). */
    private static double finite(final Object value)
    {
        return value == null ? Double.NaN : ((Number)value).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(final Path file)
    {
        return (Map<String, Object>)(Map<?, ?>)ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.JSON).setAllowMissing(false)).root().unwrapped();
    }
}
