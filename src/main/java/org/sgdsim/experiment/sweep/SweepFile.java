package org.sgdsim.experiment.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.UserError;

/**
 * Reads a sweep file (HOCON) and the {@code --set} overrides of {@code sgdsim sweep}. A {@code --set} key that
 * names a sweep key ({@code seeds}, {@code name}, {@code experiment}, or under {@code grid.}, {@code set.},
 * {@code time-model.}, {@code curves.}, {@code fits.}) changes the sweep file; any other key overrides the
 * experiment, above the file's {@code set} and below the grid. Every problem is a one-line {@link UserError}.
 */
public final class SweepFile
{
    /** Top-level keys of a sweep file. */
    public static final List<String> KEYS = List.of("name", "experiment", "grid", "seeds", "set", "time-model",
        "curves", "fits");
    /** Most runs one sweep may plan (a guard against a typo such as seeds = 100000). */
    public static final int MAX_RUNS = 100_000;

    private static final Set<String> SECTIONS = Set.of("grid", "set", "time-model", "curves", "fits");
    private static final String NAME_PATTERN = "[A-Za-z0-9._+-]+";

    private SweepFile()
    {
    }

    /**
     * Parses and checks a sweep file with overrides.
     *
     * @param file      the sweep file.
     * @param overrides {@code key=value} strings.
     */
    public static SweepDefinition load(final Path file, final List<String> overrides)
    {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
        {
            throw new UserError("sweep file " + file + " does not exist or is not a readable file");
        }
        Config sweep;
        try
        {
            sweep = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (final ConfigException ex)
        {
            throw new UserError(oneLine(ex));
        }
        Config experimentOverrides = ConfigFactory.empty();
        for (final String override : overrides)
        {
            final Config parsed = ExperimentConfig.parseOverride(override);
            if (isSweepKey(override.substring(0, override.indexOf('=')).trim()))
            {
                sweep = parsed.withFallback(sweep);
            }
            else
            {
                experimentOverrides = parsed.withFallback(experimentOverrides);
            }
        }
        try
        {
            sweep = sweep.resolve();
            experimentOverrides = experimentOverrides.resolve();
        }
        catch (final ConfigException ex)
        {
            throw new UserError(oneLine(ex));
        }
        return new Reader(file, sweep).definition(experimentOverrides);
    }

    /** Whether a --set key addresses the sweep file rather than the experiment. */
    static boolean isSweepKey(final String key)
    {
        if (key.equals("name") || key.equals("experiment") || key.equals("seeds"))
        {
            return true;
        }
        for (final String section : SECTIONS)
        {
            if (key.equals(section) || key.startsWith(section + "."))
            {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(final ConfigException ex)
    {
        return ex.getMessage().replace('\n', ' ');
    }

    /** Typed reads of the sweep keys with one-line errors naming the key and its file:line. */
    private static final class Reader
    {
        private final Path file;
        private final Config sweep;

        Reader(final Path file, final Config sweep)
        {
            this.file = file;
            this.sweep = sweep;
        }

        SweepDefinition definition(final Config experimentOverrides)
        {
            for (final String key : sweep.root().keySet())
            {
                if (!KEYS.contains(key))
                {
                    throw new UserError(where(sweep.root().get(key)) + "unknown sweep key '" + key + "'; a sweep file has "
                        + String.join(", ", KEYS) + " (experiment keys go under set { ... })");
                }
            }
            final String name = sweep.hasPath("name") ? string("name") : stem(file);
            if (!name.matches(NAME_PATTERN))
            {
                throw error("name", "letters, digits, '.', '_', '+' or '-' only (it names the output folder)", name);
            }
            if (!sweep.hasPath("experiment"))
            {
                throw new UserError(file + ": experiment: expected the experiment file, e.g. experiment = "
                    + "\"../experiments/he3-correlation-large-batch.conf\" (relative to the sweep file)");
            }
            final Path base = file.toAbsolutePath().getParent();
            final Path experiment = base.resolve(string("experiment")).normalize();
            if (!Files.isRegularFile(experiment))
            {
                throw error("experiment", "an existing experiment file (relative to the sweep file's folder)",
                    experiment.toString());
            }
            final List<Axis> axes = axes();
            final SweepDefinition.Seeds seeds = seeds();
            long runs = seeds.count();
            for (final Axis axis : axes)
            {
                runs *= axis.levels().size();
                if (runs > MAX_RUNS)
                {
                    throw new UserError(file + ": grid × seeds: expected at most " + MAX_RUNS + " runs");
                }
            }
            final Config set = sweep.hasPath("set") ? object("set") : ConfigFactory.empty();
            rejectGridKeys(experimentOverrides, axes, "--set");
            rejectGridKeys(set, axes, "set");
            final SweepDefinition.Curves curves = curves(axes);
            return new SweepDefinition(new SweepDefinition.Source(name, file, experiment, sweep), axes, seeds,
                new SweepDefinition.Overrides(set, experimentOverrides),
                new SweepDefinition.Report(timeModel(), curves, fits()));
        }

        private List<Axis> axes()
        {
            if (!sweep.hasPath("grid") || sweep.getValue("grid").valueType() != ConfigValueType.OBJECT)
            {
                throw new UserError(file + ": grid: expected an object of keys with lists of values, e.g. "
                    + "grid { \"training.batch-size\" = [16, 256, 4096] }");
            }
            final Config grid = object("grid");
            final Set<String> defaults = defaultKeys();
            final List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(grid.entrySet());
            // Config objects do not keep file order; the line numbers do.
            entries.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> line(e.getValue()))
                .thenComparing(Map.Entry::getKey));
            final List<Axis> axes = new ArrayList<>();
            final Set<String> seen = new HashSet<>();
            for (final Map.Entry<String, ConfigValue> e : entries)
            {
                final String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
                if (!seen.add(key))
                {
                    throw new UserError(where(e.getValue()) + "grid: key '" + key + "' appears twice");
                }
                axes.add(axis(key, e.getValue(), defaults));
            }
            if (axes.isEmpty())
            {
                throw new UserError(where(sweep.getValue("grid")) + "grid: expected at least one key with a non-empty "
                    + "list of values, got an empty grid");
            }
            return axes;
        }

        private Axis axis(final String key, final ConfigValue value, final Set<String> defaults)
        {
            final String at = where(value) + "grid." + key + ": ";
            if (value.valueType() != ConfigValueType.LIST)
            {
                throw new UserError(at + "expected a non-empty list of values, got " + render(value));
            }
            final ConfigList list = (ConfigList)value;
            if (list.isEmpty())
            {
                throw new UserError(at + "expected a non-empty list of values, got []");
            }
            final boolean objects = list.stream().allMatch(v -> v.valueType() == ConfigValueType.OBJECT);
            final boolean bundle = objects && !defaults.contains(key) && !key.startsWith("pekko.");
            if (bundle && key.contains("."))
            {
                throw new UserError(at + "a list of override sets needs a plain name without '.' (e.g. variant), "
                    + "or name an experiment key");
            }
            final List<Axis.Level> levels = new ArrayList<>();
            final Set<String> labels = new HashSet<>();
            for (final ConfigValue v : list)
            {
                final Axis.Level level = bundle ? bundleLevel(at, (ConfigObject)v) : new Axis.Level(label(v),
                    ConfigFactory.empty().withValue(key, v));
                if (!labels.add(level.label()))
                {
                    throw new UserError(at + "value '" + level.label() + "' appears twice");
                }
                levels.add(level);
            }
            return new Axis(key, bundle, levels);
        }

        private Axis.Level bundleLevel(final String at, final ConfigObject value)
        {
            final Config c = value.toConfig();
            if (!c.hasPath("name") || c.getValue("name").valueType() != ConfigValueType.STRING
                || !c.getString("name").matches(NAME_PATTERN))
            {
                throw new UserError(at + "each override set needs name = <letters, digits, . _ + ->, got "
                    + render(value));
            }
            return new Axis.Level(c.getString("name"), c.withoutPath("name"));
        }

        private SweepDefinition.Seeds seeds()
        {
            final String expected = "a count in [1, 10000] or a non-empty list of distinct integer seeds";
            if (!sweep.hasPath("seeds"))
            {
                throw new UserError(file + ": seeds: expected " + expected + " (e.g. seeds = 24), got nothing");
            }
            final ConfigValue value = sweep.getValue("seeds");
            if (value.valueType() == ConfigValueType.NUMBER)
            {
                final Number n = (Number)value.unwrapped();
                if (n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1 || n.doubleValue() > 10_000)
                {
                    throw error("seeds", expected, n);
                }
                return new SweepDefinition.Seeds(n.intValue(), null);
            }
            if (value.valueType() == ConfigValueType.LIST && !((ConfigList)value).isEmpty())
            {
                final ConfigList list = (ConfigList)value;
                final long[] seeds = new long[list.size()];
                final Set<Long> distinct = new HashSet<>();
                for (int i = 0; i < seeds.length; i++)
                {
                    final ConfigValue v = list.get(i);
                    if (v.valueType() != ConfigValueType.NUMBER
                        || ((Number)v.unwrapped()).doubleValue() != Math.rint(((Number)v.unwrapped()).doubleValue())
                        || !distinct.add(((Number)v.unwrapped()).longValue()))
                    {
                        throw error("seeds", expected, value.unwrapped());
                    }
                    seeds[i] = ((Number)v.unwrapped()).longValue();
                }
                return new SweepDefinition.Seeds(seeds.length, seeds);
            }
            throw error("seeds", expected, value.unwrapped());
        }

        private SweepDefinition.TimeModel timeModel()
        {
            final Config c = section("time-model", Set.of("workers", "rate", "latency"));
            final int workers = c.hasPath("workers") ? (int)integer(c, "time-model.workers", "workers", 1, 1 << 30) : 1;
            double rate = Double.NaN;
            if (c.hasPath("rate"))
            {
                final ConfigValue v = c.getValue("rate");
                if (!(v.valueType() == ConfigValueType.STRING && "measured".equals(v.unwrapped())))
                {
                    rate = number(c, "time-model.rate", "rate", "measured or a rate in samples/s > 0");
                    if (!(rate > 0) || Double.isInfinite(rate))
                    {
                        throw error("time-model.rate", "measured or a rate in samples/s > 0", v.unwrapped());
                    }
                }
            }
            final double latency = c.hasPath("latency")
                ? number(c, "time-model.latency", "latency", "a latency in seconds ≥ 0") : 0.0;
            if (!(latency >= 0) || Double.isInfinite(latency))
            {
                throw error("time-model.latency", "a latency in seconds ≥ 0", latency);
            }
            return new SweepDefinition.TimeModel(workers, rate, latency);
        }

        private SweepDefinition.Curves curves(final List<Axis> axes)
        {
            final Config c = section("curves", Set.of("metrics", "x", "series", "at", "log-x"));
            final List<String> metrics = c.hasPath("metrics") ? strings(c, "curves.metrics", "metrics")
                : List.of("max-cos-1");
            if (metrics.isEmpty())
            {
                throw error("curves.metrics", "a non-empty list of metrics such as [max-cos-1, risk]", "[]");
            }
            SweepDefinition.CurveX x = SweepDefinition.CurveX.SAMPLES;
            if (c.hasPath("x"))
            {
                final ConfigValue v = c.getValue("x");
                x = v.valueType() == ConfigValueType.STRING ? SweepDefinition.CurveX.parse((String)v.unwrapped()) : null;
                if (x == null)
                {
                    throw error("curves.x", "steps, samples, steps/d or samples/d", v.unwrapped());
                }
            }
            final List<String> keys = axes.stream().map(Axis::key).toList();
            final List<String> series = c.hasPath("series") ? strings(c, "curves.series", "series") : keys;
            for (final String s : series)
            {
                if (!keys.contains(s))
                {
                    throw error("curves.series", "grid keys (" + String.join(", ", keys) + ")", s);
                }
            }
            double[] at = new double[0];
            if (c.hasPath("at"))
            {
                try
                {
                    at = c.getDoubleList("at").stream().mapToDouble(Double::doubleValue).toArray();
                }
                catch (final ConfigException ex)
                {
                    throw error("curves.at", "a list of x values ≥ 0", c.getValue("at").unwrapped());
                }
                for (final double a : at)
                {
                    if (!(a >= 0) || Double.isInfinite(a))
                    {
                        throw error("curves.at", "a list of x values ≥ 0", a);
                    }
                }
            }
            final boolean logX = c.hasPath("log-x") && bool(c, "curves.log-x", "log-x");
            return new SweepDefinition.Curves(metrics, x, series, at, logX);
        }

        private SweepDefinition.Fits fits()
        {
            final Config c = section("fits", Set.of("resamples", "seed"));
            final int resamples = c.hasPath("resamples")
                ? (int)integer(c, "fits.resamples", "resamples", 100, 1_000_000) : 2000;
            final long seed = c.hasPath("seed") ? integer(c, "fits.seed", "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1L;
            return new SweepDefinition.Fits(resamples, seed);
        }

        private Config section(final String key, final Set<String> allowed)
        {
            if (!sweep.hasPath(key))
            {
                return ConfigFactory.empty();
            }
            final Config c = object(key);
            for (final String child : c.root().keySet())
            {
                if (!allowed.contains(child))
                {
                    throw new UserError(where(c.root().get(child)) + key + ": unknown key '" + child + "'; expected "
                        + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            return c;
        }

        private void rejectGridKeys(final Config overrides, final List<Axis> axes, final String layer)
        {
            for (final Map.Entry<String, ConfigValue> e : overrides.entrySet())
            {
                for (final Axis axis : axes)
                {
                    for (final Axis.Level level : axis.levels())
                    {
                        for (final Map.Entry<String, ConfigValue> g : level.overlay().entrySet())
                        {
                            if (overlaps(e.getKey(), g.getKey()))
                            {
                                throw new UserError(layer + ": " + e.getKey() + " is set by the grid (" + axis.key()
                                    + "); change the grid instead of overriding it");
                            }
                        }
                    }
                }
            }
        }

        private static boolean overlaps(final String a, final String b)
        {
            return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
        }

        private Config object(final String key)
        {
            if (sweep.getValue(key).valueType() != ConfigValueType.OBJECT)
            {
                throw error(key, "an object { ... }", sweep.getValue(key).unwrapped());
            }
            return sweep.getConfig(key);
        }

        private String string(final String key)
        {
            final ConfigValue v = sweep.getValue(key);
            if (v.valueType() != ConfigValueType.STRING)
            {
                throw error(key, "a string", v.unwrapped());
            }
            return (String)v.unwrapped();
        }

        private long integer(final Config c, final String key, final String path, final long min, final long max)
        {
            final ConfigValue v = c.getValue(path);
            final String expected = "an integer in [" + min + ", " + max + "]";
            if (v.valueType() != ConfigValueType.NUMBER)
            {
                throw error(key, expected, v.unwrapped());
            }
            final Number n = (Number)v.unwrapped();
            if (n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < min || n.longValue() > max)
            {
                throw error(key, expected, n);
            }
            return n.longValue();
        }

        private double number(final Config c, final String key, final String path, final String expected)
        {
            final ConfigValue v = c.getValue(path);
            if (v.valueType() != ConfigValueType.NUMBER)
            {
                throw error(key, expected, v.unwrapped());
            }
            return ((Number)v.unwrapped()).doubleValue();
        }

        private boolean bool(final Config c, final String key, final String path)
        {
            final ConfigValue v = c.getValue(path);
            if (v.valueType() != ConfigValueType.BOOLEAN)
            {
                throw error(key, "true or false", v.unwrapped());
            }
            return (Boolean)v.unwrapped();
        }

        private List<String> strings(final Config c, final String key, final String path)
        {
            final ConfigValue v = c.getValue(path);
            if (v.valueType() != ConfigValueType.LIST
                || ((ConfigList)v).stream().anyMatch(e -> e.valueType() != ConfigValueType.STRING))
            {
                throw error(key, "a list of names", v.unwrapped());
            }
            return ((ConfigList)v).stream().map(e -> (String)e.unwrapped()).toList();
        }

        private UserError error(final String key, final String expected, final Object got)
        {
            final String where = sweep.hasPath(key) ? where(sweep.getValue(key)) : file.getFileName() + ": ";
            return new UserError(where + key + ": expected " + expected + ", got "
                + (got instanceof String s ? "'" + s + "'" : String.valueOf(got)));
        }

        private String where(final ConfigValue value)
        {
            final String name = value.origin().filename();
            if (name != null && value.origin().lineNumber() > 0)
            {
                return Path.of(name).getFileName() + ":" + value.origin().lineNumber() + ": ";
            }
            final String description = value.origin().description();
            return description != null && description.startsWith("--set") ? "--set: " : file.getFileName() + ": ";
        }

        /** A value's line in the sweep file; grid keys added with --set come after the file's own. */
        private static int line(final ConfigValue value)
        {
            final int line = value.origin().lineNumber();
            return value.origin().filename() != null && line > 0 ? line : Integer.MAX_VALUE;
        }

        private static Set<String> defaultKeys()
        {
            final Set<String> keys = new HashSet<>();
            for (final Map.Entry<String, ConfigValue> e : ExperimentConfig.defaults().entrySet())
            {
                keys.add(e.getKey());
            }
            return keys;
        }

        private static String stem(final Path file)
        {
            final String n = file.getFileName().toString();
            final int dot = n.lastIndexOf('.');
            return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._+-]", "_");
        }
    }

    /** A value as shown in folder names, CSV files and legends: strings bare, numbers as written, others concise. */
    static String label(final ConfigValue value)
    {
        final Object raw = value.unwrapped();
        if (raw instanceof String s)
        {
            return s;
        }
        if (raw instanceof Number || raw instanceof Boolean)
        {
            return String.valueOf(raw);
        }
        return value.render(ConfigRenderOptions.concise());
    }

    private static String render(final ConfigValue value)
    {
        return value.render(ConfigRenderOptions.concise());
    }
}
