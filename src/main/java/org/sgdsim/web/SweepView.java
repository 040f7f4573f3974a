package org.sgdsim.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.sweep.Stats;
import org.sgdsim.experiment.sweep.TheoryLine;

/**
 * The sweeps under a runs directory (folders holding sweep-plan.txt) as the dashboard's sweep page reads them:
 * progress, and per grid point d, n_b, the loss, the median and quartiles of T and n_b·T over the runs finished so
 * far, the theory's T, and each seed's run id. Built from the folders at each request, so it grows as runs finish,
 * whoever writes them; a finished run's summary and a point's experiment are read once.
 */
final class SweepView
{
    /** The file that marks a sweep folder: one line per run folder, in plan order. */
    static final String PLAN = "sweep-plan.txt";
    /** A run folder without summary.json whose files have not grown for this long is counted as failed. */
    static final long STALE_MS = 15_000;

    private static final java.util.regex.Pattern SEED = java.util.regex.Pattern.compile("-seed(\\d+)$");

    private final Map<Path, Config> summaries = new ConcurrentHashMap<>();
    private final Map<Path, Point> points = new ConcurrentHashMap<>();

    /** What a grid point's experiment says: d, n_b, loss, the theory's T (NaN when it does not apply) and ℓ. */
    private record Point(int dim, long batch, String loss, double theoryT, int ell)
    {
    }

    /** The sweep folders under {@code root} (itself, or up to two levels down). */
    static List<Path> find(final Path root)
    {
        if (root == null)
        {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, 2))
        {
            return walk.filter(p -> Files.isRegularFile(p.resolve(PLAN))).sorted().toList();
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            return List.of();
        }
    }

    /** A sweep's id: its path below the runs directory, or its folder name when it is the runs directory. */
    static String id(final Path root, final Path sweep)
    {
        return sweep.equals(root) ? String.valueOf(sweep.getFileName())
            : root.relativize(sweep).toString().replace(java.io.File.separatorChar, '/');
    }

    /** {@code {"sweeps":[{id,name,total,done,running,failed,pending}…]}}. */
    String list(final Path root, final RunCatalog catalog) throws IOException
    {
        final StringBuilder out = new StringBuilder("{\"sweeps\":[");
        boolean first = true;
        for (final Path sweep : find(root))
        {
            out.append(first ? "" : ",").append('\n');
            write(out, root, sweep, catalog, false);
            first = false;
        }
        return out.append("]}\n").toString();
    }

    /** The sweep with this id, or null. */
    static Path byId(final Path root, final String id)
    {
        for (final Path sweep : find(root))
        {
            if (id(root, sweep).equals(id))
            {
                return sweep;
            }
        }
        return null;
    }

    /** One sweep with its points. */
    String one(final Path root, final Path sweep, final RunCatalog catalog) throws IOException
    {
        final StringBuilder out = new StringBuilder();
        write(out, root, sweep, catalog, true);
        return out.append('\n').toString();
    }

    private void write(final StringBuilder out, final Path root, final Path sweep, final RunCatalog catalog,
        final boolean detail) throws IOException
    {
        final Map<String, List<String>> byPoint = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(sweep.resolve(PLAN), StandardCharsets.UTF_8))
        {
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            final String run = line.split("\\s+")[0];
            byPoint.computeIfAbsent(run.replaceFirst("-seed\\d+$", ""), k -> new ArrayList<>()).add(run);
        }
        final Map<String, Integer> totals = new LinkedHashMap<>();
        for (final String s : List.of("done", "running", "failed", "pending"))
        {
            totals.put(s, 0);
        }
        final StringBuilder pointsJson = new StringBuilder();
        int ell = 0;
        final long now = System.currentTimeMillis();
        for (final Map.Entry<String, List<String>> p : byPoint.entrySet())
        {
            final List<Double> steps = new ArrayList<>();
            final List<Double> samples = new ArrayList<>();
            final StringBuilder runs = new StringBuilder();
            Point point = null;
            int done = 0;
            for (final String name : p.getValue())
            {
                final Path dir = sweep.resolve("runs").resolve(name);
                final String state = state(dir, catalog, now);
                totals.merge(state, 1, Integer::sum);
                if (point == null && Files.isRegularFile(dir.resolve("config.conf")))
                {
                    point = point(dir);
                }
                final Config summary = state.equals("done") ? summary(dir) : null;
                final boolean reached = summary != null && summary.hasPath("reached") && summary.getBoolean("reached");
                double t = Double.NaN;
                double nbt = Double.NaN;
                if (reached && summary.hasPath("steps_to_threshold"))
                {
                    t = summary.getDouble("steps_to_threshold");
                    nbt = summary.getDouble("samples_to_threshold");
                    steps.add(t);
                    samples.add(nbt);
                }
                done += state.equals("done") ? 1 : 0;
                runs.append(runs.length() == 0 ? "" : ",").append("{\"id\":")
                    .append(RowJson.quote(root.relativize(dir).toString().replace(java.io.File.separatorChar, '/')))
                    .append(",\"seed\":").append(seed(name)).append(",\"state\":").append(RowJson.quote(state))
                    .append(",\"reached\":").append(reached).append(",\"T\":").append(num(t)).append(",\"nbT\":")
                    .append(num(nbt)).append('}');
            }
            if (point != null && point.ell() > 0)
            {
                ell = point.ell();
            }
            pointsJson.append(pointsJson.length() == 0 ? "\n" : ",\n").append("{\"point\":")
                .append(RowJson.quote(p.getKey())).append(",\"d\":").append(point == null ? "null" : point.dim())
                .append(",\"nb\":").append(point == null ? "null" : point.batch()).append(",\"loss\":")
                .append(point == null ? "null" : RowJson.quote(point.loss())).append(",\"seeds\":")
                .append(p.getValue().size()).append(",\"done\":").append(done).append(",\"reached\":")
                .append(steps.size()).append(",\"T\":");
            quartiles(pointsJson, steps);
            pointsJson.append(",\"nbT\":");
            quartiles(pointsJson, samples);
            final double theoryT = point == null ? Double.NaN : point.theoryT();
            pointsJson.append(",\"theory_T\":").append(num(theoryT)).append(",\"theory_nbT\":")
                .append(num(point == null ? Double.NaN : theoryT * point.batch())).append(",\"runs\":[")
                .append(runs).append("]}");
        }
        int total = 0;
        for (final int n : totals.values())
        {
            total += n;
        }
        out.append("{\"id\":").append(RowJson.quote(id(root, sweep))).append(",\"name\":")
            .append(RowJson.quote(name(sweep))).append(",\"total\":").append(total);
        for (final Map.Entry<String, Integer> t : totals.entrySet())
        {
            out.append(",\"").append(t.getKey()).append("\":").append(t.getValue());
        }
        if (detail)
        {
            out.append(",\"ell\":").append(ell > 0 ? String.valueOf(ell) : "null").append(",\"points\":[")
                .append(pointsJson).append(']');
        }
        out.append('}');
    }

    /** done (summary.json), running (a live run of this process, or files grown lately), failed, or pending. */
    private static String state(final Path dir, final RunCatalog catalog, final long now) throws IOException
    {
        if (Files.isRegularFile(dir.resolve("summary.json")))
        {
            return "done";
        }
        if (!Files.isDirectory(dir))
        {
            return "pending";
        }
        for (final RunCatalog.Entry e : catalog.all())
        {
            if (dir.toAbsolutePath().normalize().equals(e.dir) && e.state().equals("live"))
            {
                return "running";
            }
        }
        long touched = Files.getLastModifiedTime(dir).toMillis();
        for (final String f : List.of("metrics.csv", "pipeline.csv", "config.conf"))
        {
            if (Files.isRegularFile(dir.resolve(f)))
            {
                touched = Math.max(touched, Files.getLastModifiedTime(dir.resolve(f)).toMillis());
            }
        }
        return now - touched < STALE_MS ? "running" : "failed";
    }

    private Config summary(final Path dir)
    {
        return summaries.computeIfAbsent(dir, d -> ConfigFactory.parseFile(d.resolve("summary.json").toFile(),
            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)));
    }

    private Point point(final Path dir)
    {
        final Path config = dir.resolve("config.conf");
        return points.computeIfAbsent(config, c ->
        {
            final ExperimentSpec spec;
            try
            {
                spec = ExperimentConfig.load(c, List.of(), null);
            }
            catch (final RuntimeException ex)
            {
                // a half-written or foreign config: the point shows without d, n_b or theory
                return null;
            }
            final boolean theory = TheoryLine.whyNot(spec) == null;
            return new Point(spec.data().dim(), spec.training().batchSize(), spec.training().loss().configName(),
                theory ? TheoryLine.steps(spec) : Double.NaN, theory ? TheoryLine.informationExponent(spec) : 0);
        });
    }

    private static String name(final Path sweep)
    {
        try
        {
            final Config c = ConfigFactory.parseFile(sweep.resolve("sweep.conf").toFile());
            if (c.hasPath("name"))
            {
                return c.getString("name");
            }
            if (c.hasPath("set.experiment.name"))
            {
                return c.getString("set.experiment.name");
            }
        }
        catch (final RuntimeException ex)
        {
            // unreadable: the runs' experiment or the folder's name does
        }
        try (Stream<Path> runs = Files.list(sweep.resolve("runs")))
        {
            final Path first = runs.filter(r -> Files.isRegularFile(r.resolve("config.conf"))).sorted().findFirst()
                .orElse(null);
            if (first != null)
            {
                return RunInfo.read(first, null).experiment();
            }
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            // no runs yet
        }
        return String.valueOf(sweep.getFileName());
    }

    private static void quartiles(final StringBuilder out, final List<Double> values)
    {
        if (values.isEmpty())
        {
            out.append("null");
            return;
        }
        final double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        out.append('[').append(num(Stats.quantile(v, 0.25))).append(',').append(num(Stats.median(v))).append(',')
            .append(num(Stats.quantile(v, 0.75))).append(']');
    }

    private static String num(final double v)
    {
        return Double.isFinite(v) ? String.valueOf(v) : "null";
    }

    /** The seed of a sweep run folder's name (POINT-seedK), -1 when it has none. */
    private static long seed(final String name)
    {
        final java.util.regex.Matcher m = SEED.matcher(name);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
