package org.sgdsim.experiment.sweep;

import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;

/**
 * A sweep file after parsing and checking its own keys (the experiment keys are checked when the grid is
 * expanded, see {@link SweepPlan}).
 *
 * @param source    where the sweep comes from: its name, file, experiment file and resolved config.
 * @param axes      the grid, in file order.
 * @param seeds     which seeds every grid point runs.
 * @param overrides the experiment overrides of the sweep file and of the command line.
 * @param report    what the report models, draws and fits.
 */
public record SweepDefinition(Source source, List<Axis> axes, Seeds seeds, Overrides overrides, Report report)
{
    /** Copies the axes. */
    public SweepDefinition
    {
        axes = List.copyOf(axes);
    }

    /** The sweep's name (it names the default output folder). */
    public String name()
    {
        return source.name();
    }

    /**
     * Where a sweep comes from.
     *
     * @param name       names the default output folder.
     * @param file       the sweep file.
     * @param experiment the experiment file it names (resolved against the sweep file's folder).
     * @param resolved   the sweep file with its overrides, for provenance ({@code sweep.conf}).
     */
    public record Source(String name, Path file, Path experiment, Config resolved)
    {
    }

    /**
     * Fixed experiment overrides, layered between the experiment file and the grid.
     *
     * @param set         the sweep file's {@code set { ... }}.
     * @param commandLine {@code --set} overrides aimed at the experiment (above {@code set}, below the grid).
     */
    public record Overrides(Config set, Config commandLine)
    {
        /** The experiment config {@code base} with {@code set} and then the command line on top. */
        public Config onto(final Config base)
        {
            return commandLine.withFallback(set).withFallback(base);
        }
    }

    /**
     * What the report models, draws and fits.
     *
     * @param timeModel the iteration-time model.
     * @param curves    which learning curves to draw and report.
     * @param fits      bootstrap settings of the scaling fits.
     */
    public record Report(TimeModel timeModel, Curves curves, Fits fits)
    {
    }

    /**
     * The seeds of every grid point: {@code count} consecutive seeds from the experiment's seed, or an explicit list.
     *
     * @param count    number of seeds.
     * @param explicit the seeds when listed, else null.
     */
    public record Seeds(int count, long[] explicit)
    {
        /** The i-th seed for a point whose experiment seed is {@code base}. */
        public long seed(final long base, final int i)
        {
            return explicit != null ? explicit[i] : base + i;
        }
    }

    /**
     * The modelled time per iteration t(n_b) = latency + n_b/(workers·rate).
     *
     * @param workers parallel workers P.
     * @param rate    samples per second per worker r, or NaN for the measured rate.
     * @param latency seconds of fixed cost per iteration.
     */
    public record TimeModel(int workers, double rate, double latency)
    {
        /** Whether r is taken from the measurements. */
        public boolean measuredRate()
        {
            return Double.isNaN(rate);
        }
    }

    /** What the x axis of a learning curve counts. */
    public enum CurveX
    {
        /** Gradient steps. */
        STEPS("steps", "steps"),
        /** Distinct samples. */
        SAMPLES("samples", "samples"),
        /** Steps divided by d. */
        STEPS_PER_D("steps/d", "T/d (steps / d)"),
        /** Samples divided by d. */
        SAMPLES_PER_D("samples/d", "samples / d");

        private final String configName;
        private final String title;

        CurveX(final String configName, final String title)
        {
            this.configName = configName;
            this.title = title;
        }

        /** The name in the sweep file. */
        public String configName()
        {
            return configName;
        }

        /** The axis title. */
        public String title()
        {
            return title;
        }

        /** The x value of a metrics row. */
        public double of(final long step, final long samples, final int dim)
        {
            switch (this)
            {
                case STEPS:
                    return step;
                case SAMPLES:
                    return samples;
                case STEPS_PER_D:
                    return (double)step / dim;
                default:
                    return (double)samples / dim;
            }
        }

        /** Parses a config name; null when unknown. */
        public static CurveX parse(final String name)
        {
            for (final CurveX x : values())
            {
                if (x.configName.equals(name))
                {
                    return x;
                }
            }
            return null;
        }
    }

    /**
     * Learning-curve settings.
     *
     * @param metrics metric names as in {@code stop.when} ({@code max-cos-1}, {@code risk}, {@code m-1-2}, …).
     * @param x       the x axis.
     * @param series  grid keys whose values are overlaid in one chart (the other keys make separate charts).
     * @param at      x values at which summary.csv reports the median and quartiles of each metric.
     * @param logX    logarithmic x axis.
     */
    public record Curves(List<String> metrics, CurveX x, List<String> series, double[] at, boolean logX)
    {
        /** Copies the lists. */
        public Curves
        {
            metrics = List.copyOf(metrics);
            series = List.copyOf(series);
            at = at.clone();
        }
    }

    /**
     * Bootstrap of the scaling fits.
     *
     * @param resamples bootstrap resamples.
     * @param seed      seed of the resampling (fixed, so fits.json is reproducible).
     */
    public record Fits(int resamples, long seed)
    {
    }
}
