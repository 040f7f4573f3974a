package org.sgdsim.experiment.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.Json;

/**
 * Everything a sweep writes once its runs are done (tables: {@link SweepTables}, fits: {@link SweepFits}, charts:
 * {@link SweepPlots}); this class holds what they share: every grid point's aggregates, its groups and theory lines.
 * The files: {@code runs.csv}, {@code summary.csv}, {@code fits.json} and
 * the charts under {@code plots/} (PNG and SVG). T is the steps to threshold and n_b·T the distinct samples drawn
 * by then (equal to n_b·T with one step per batch); their medians and quartiles are over the seeds that reached.
 */
public final class SweepReport
{
    /** Coverage of the bootstrap intervals. */
    public static final double LEVEL = 0.95;
    /** The x variables the fits and the scaling plots use, with the grid key that moves them. */
    static final String[][] SCALING_AXES = {{"training.batch-size", "nb", "n_b"}, {"data.dim", "d", "d"}};
    static final int THEORY_POINTS = 41;

    final SweepPlan plan;
    final SweepDefinition definition;
    final List<RunRecord> records;
    final Function<SweepPlan.Run, Path> runDir;
    final List<PointStats> stats = new ArrayList<>();
    final List<String> printed = new ArrayList<>();
    final Map<String, double[][]> theoryLines = new java.util.HashMap<>();
    // The bootstrap fits, shared by fits.json and the scaling charts (the same fit, computed once).
    private final Map<String, java.util.Optional<ScalingFit>> fits = new java.util.HashMap<>();

    /** The aggregates of one grid point. */
    record PointStats(SweepPlan.Point point, List<RunRecord> runs, double[] steps, double[] samples,
        double theorySteps, double secondsPerStep, double samplesPerSecond, double wallToThreshold)
    {
        int batchSize()
        {
            return point.spec().training().batchSize();
        }

        int dim()
        {
            return point.spec().data().dim();
        }

        long reached()
        {
            return runs.stream().filter(RunRecord::reached).count();
        }
    }

    SweepReport(final SweepPlan plan, final List<RunRecord> records, final Function<SweepPlan.Run, Path> runDir)
    {
        this.plan = plan;
        this.definition = plan.definition();
        this.records = records;
        this.runDir = runDir;
    }

    /**
     * Writes the reports into the sweep folder and returns the lines worth printing (one per grid point and fit).
     *
     * @param plan    the sweep.
     * @param records every run, in plan order.
     * @param dir     the sweep folder.
     * @param runDir  the folder of each run.
     */
    public static List<String> write(final SweepPlan plan, final List<RunRecord> records, final Path dir,
        final Function<SweepPlan.Run, Path> runDir)
    {
        final SweepReport report = new SweepReport(plan, records, runDir);
        report.aggregate();
        final Path plots = dir.resolve("plots");
        // The learning curves need neither the tables nor the fits: drawn on another core meanwhile.
        final java.util.concurrent.CompletableFuture<Void> curves =
            java.util.concurrent.CompletableFuture.runAsync(() -> new SweepPlots(report).learningCurves(plots));
        final SweepTables tables = new SweepTables(report);
        final SweepFits fitter = new SweepFits(report);
        AtomicFiles.write(dir.resolve("runs.csv"), tables.runsCsv());
        final Map<String, double[]> rates = report.modelRates();
        final Map<String, double[]> atValues = tables.curveValuesAt();
        AtomicFiles.write(dir.resolve("summary.csv"), tables.summaryCsv(rates, atValues));
        final List<Map<String, Object>> fits = fitter.fits();
        final List<Map<String, Object>> optimal = fitter.timeOptimal(rates);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("sweep", plan.definition().name());
        json.put("method", "least squares of ln(median) against ln(x) over the grid points of a group (the other grid "
            + "keys fixed); medians over the seeds that reached; interval: percentile bootstrap, every point's seeds "
            + "redrawn with replacement");
        final Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("resamples", plan.definition().report().fits().resamples());
        bootstrap.put("seed", plan.definition().report().fits().seed());
        bootstrap.put("level", LEVEL);
        json.put("bootstrap", bootstrap);
        json.put("fits", fits);
        json.put("time_model", fitter.timeModelJson());
        json.put("time_optimal", optimal);
        AtomicFiles.write(dir.resolve("fits.json"), Json.write(json));
        new SweepPlots(report).plots(plots, rates);
        try
        {
            curves.join();
        }
        catch (final java.util.concurrent.CompletionException ex)
        {
            throw ex.getCause() instanceof RuntimeException failure ? failure : ex;
        }
        return report.printed;
    }

    void aggregate()
    {
        int r = 0;
        for (final SweepPlan.Point point : plan.points())
        {
            final List<RunRecord> runs = new ArrayList<>();
            for (int s = 0; s < definition.seeds().count(); s++)
            {
                runs.add(records.get(r++));
            }
            final double[] steps = runs.stream().filter(RunRecord::reached).mapToDouble(RunRecord::stepsToThreshold)
                .toArray();
            final double[] samples = runs.stream().filter(RunRecord::reached)
                .mapToDouble(RunRecord::samplesToThreshold).toArray();
            final double wall = Stats.median(runs.stream().filter(RunRecord::reached)
                .mapToDouble(RunRecord::wallSeconds).toArray());
            stats.add(new PointStats(point, runs, steps, samples, TheoryLine.steps(point.spec()),
                Stats.median(runs.stream().mapToDouble(RunRecord::meanIterationSeconds).toArray()),
                Stats.median(runs.stream().mapToDouble(RunRecord::samplesPerSecond).toArray()), wall));
        }
    }

    /** Per point: {measured rate used, model seconds per step}. */
    Map<String, double[]> modelRates()
    {
        final SweepDefinition.TimeModel model = definition.report().timeModel();
        final int batchAxis = axisIndex("training.batch-size");
        final Map<String, double[]> rates = new LinkedHashMap<>();
        for (final PointStats p : stats)
        {
            double rate = model.rate();
            if (model.measuredRate())
            {
                // The measured rate of the group that varies n_b: one r for the whole curve t(n_b).
                final List<Double> group = new ArrayList<>();
                for (final PointStats q : stats)
                {
                    if (sameGroup(p.point(), q.point(), batchAxis))
                    {
                        q.runs().forEach(run -> group.add(run.samplesPerSecond()));
                    }
                }
                rate = Stats.median(group.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray());
            }
            rates.put(p.point().id(), new double[] {rate, secondsPerStep(p.batchSize(), rate)});
        }
        return rates;
    }

    double secondsPerStep(final double batchSize, final double rate)
    {
        final SweepDefinition.TimeModel model = definition.report().timeModel();
        return model.latency() + batchSize / (model.workers() * rate);
    }

    /**
     * The log-log fit of T (or with {@code samples} n_b·T) against the axis over a group, with its bootstrap interval,
     * or null with fewer than two grid values whose runs reached.
     */
    ScalingFit fit(final List<PointStats> group, final String[] axis, final boolean samples)
    {
        return fits.computeIfAbsent(axis[0] + "\u0000" + samples + "\u0000" + group.get(0).point().id(), k ->
        {
            final SweepDefinition.Fits settings = definition.report().fits();
            final double[] x = group.stream().mapToDouble(p -> xValue(p, axis[1])).toArray();
            final List<double[]> y = group.stream().map(p -> positive(samples ? p.samples() : p.steps())).toList();
            return java.util.Optional.ofNullable(ScalingFit.fit(x, y, settings.resamples(), settings.seed(), LEVEL));
        }).orElse(null);
    }

    /** {x, T(x), n_b(x)} of the theory along an axis of the group (computed once), or null when it does not apply. */
    double[][] theoryLine(final List<PointStats> group, final String[] axis)
    {
        final String key = axis[0] + "\u0000" + group.get(0).point().id();
        if (!theoryLines.containsKey(key))
        {
            theoryLines.put(key, computeTheoryLine(group, axis));
        }
        return theoryLines.get(key);
    }

    double[][] computeTheoryLine(final List<PointStats> group, final String[] axis)
    {
        final SweepPlan.Point first = group.get(0).point();
        if (TheoryLine.whyNot(first.spec()) != null)
        {
            return null;
        }
        final double lo = group.stream().mapToDouble(p -> xValue(p, axis[1])).min().orElse(Double.NaN);
        final double hi = group.stream().mapToDouble(p -> xValue(p, axis[1])).max().orElse(Double.NaN);
        if (!(lo > 0 && hi > lo))
        {
            return null;
        }
        final List<double[]> points = new ArrayList<>();
        long previous = -1;
        for (int i = 0; i < THEORY_POINTS; i++)
        {
            final long v = Math.round(lo * Math.pow(hi / lo, (double)i / (THEORY_POINTS - 1)));
            if (v == previous)
            {
                continue;
            }
            previous = v;
            try
            {
                final ExperimentSpec spec = first.specWith(axis[0], v);
                final double t = TheoryLine.steps(spec);
                if (Double.isFinite(t))
                {
                    points.add(new double[] {v, t, spec.training().batchSize()});
                }
            }
            catch (final UserError ex)
            {
                // a value between grid points the experiment rejects (e.g. n_b above a dataset): no theory there
            }
        }
        if (points.isEmpty())
        {
            return null;
        }
        final double[][] out = new double[3][points.size()];
        for (int i = 0; i < points.size(); i++)
        {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
            out[2][i] = points.get(i)[2];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ groups

    int axisIndex(final String key)
    {
        final List<Axis> axes = definition.axes();
        for (int a = 0; a < axes.size(); a++)
        {
            if (!axes.get(a).bundle() && axes.get(a).key().equals(key))
            {
                return a;
            }
        }
        // A bundle axis moves the key when every one of its levels sets it (e.g. d together with metrics.every).
        for (int a = 0; a < axes.size(); a++)
        {
            if (axes.get(a).bundle() && axes.get(a).levels().stream().allMatch(l -> l.overlay().hasPath(key)))
            {
                return a;
            }
        }
        return -1;
    }

    /** Points that differ only in the given axis, grouped in grid order; each group sorted along the axis. */
    List<List<PointStats>> groups(final int varying)
    {
        final Map<String, List<PointStats>> groups = new LinkedHashMap<>();
        for (final PointStats p : stats)
        {
            groups.computeIfAbsent(groupKey(p.point(), varying), k -> new ArrayList<>()).add(p);
        }
        final String x = varying == axisIndex("data.dim") ? "d" : "nb";
        final List<List<PointStats>> out = new ArrayList<>();
        for (final List<PointStats> group : groups.values())
        {
            final List<PointStats> sorted = new ArrayList<>(group);
            sorted.sort(java.util.Comparator.comparingDouble(p -> xValue(p, x)));
            out.add(sorted);
        }
        return out;
    }

    static boolean sameGroup(final SweepPlan.Point a, final SweepPlan.Point b, final int varying)
    {
        return groupKey(a, varying).equals(groupKey(b, varying));
    }

    static String groupKey(final SweepPlan.Point p, final int varying)
    {
        final List<String> labels = new ArrayList<>(p.labels());
        if (varying >= 0)
        {
            labels.remove(varying);
        }
        return String.join("\u0000", labels);
    }

    Map<String, Object> groupMap(final SweepPlan.Point p, final int varying)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int a = 0; a < definition.axes().size(); a++)
        {
            if (a != varying)
            {
                m.put(definition.axes().get(a).key(), p.labels().get(a));
            }
        }
        return m;
    }

    String groupLabel(final SweepPlan.Point p, final int varying)
    {
        final List<String> parts = new ArrayList<>();
        for (int a = 0; a < definition.axes().size(); a++)
        {
            if (a != varying)
            {
                parts.add(definition.axes().get(a).shortKey() + "=" + p.labels().get(a));
            }
        }
        return parts.isEmpty() ? "all" : String.join(", ", parts);
    }

    String seriesLabel(final SweepPlan.Point p, final List<Integer> fixed)
    {
        final List<String> parts = new ArrayList<>();
        for (int a = 0; a < definition.axes().size(); a++)
        {
            if (!fixed.contains(a))
            {
                parts.add(definition.axes().get(a).shortKey() + "=" + p.labels().get(a));
            }
        }
        return parts.isEmpty() ? "all" : String.join(", ", parts);
    }

    static double xValue(final PointStats p, final String x)
    {
        return x.equals("nb") ? p.batchSize() : p.dim();
    }

    static double[] positive(final double[] values)
    {
        return Arrays.stream(values).filter(v -> v > 0).toArray();
    }

    /** Whether any point has a threshold, i.e. whether T means anything. */
    boolean anyThreshold()
    {
        return plan.points().stream().anyMatch(p -> p.spec().stop().when() != null);
    }

    String threshold()
    {
        final var when = plan.points().get(0).spec().stop().when();
        return when == null ? "" : " (" + when.describe() + ")";
    }

    /** The learning curves of a point's runs, read from their metrics.csv. */
    List<LearningCurves.Curve> curves(final PointStats p)
    {
        final List<String> columns = definition.report().curves().metrics().stream()
            .map(metric -> SweepPlan.column(metric, p.point().spec())).toList();
        final List<LearningCurves.Curve> out = new ArrayList<>();
        for (final RunRecord rec : p.runs())
        {
            out.add(LearningCurves.read(runDir.apply(rec.run()).resolve("metrics.csv"), columns,
                definition.report().curves().x(), p.dim()));
        }
        return out;
    }
}
