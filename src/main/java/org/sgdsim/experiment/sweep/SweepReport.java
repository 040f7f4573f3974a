package org.sgdsim.experiment.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.plot.ChartWriter;
import org.sgdsim.metrics.plot.PlotSeries;
import org.sgdsim.metrics.plot.PlotSpec;
import org.sgdsim.theory.ScalingLaws;

/**
 * Everything a sweep writes once its runs are done: {@code runs.csv}, {@code summary.csv}, {@code fits.json} and
 * the charts under {@code plots/} (PNG and SVG). T is the steps to threshold and n_b·T the distinct samples drawn
 * by then (equal to n_b·T with one step per batch); their medians and quartiles are over the seeds that reached.
 */
public final class SweepReport
{
    /** Coverage of the bootstrap intervals. */
    public static final double LEVEL = 0.95;
    /** The x variables the fits and the scaling plots use, with the grid key that moves them. */
    private static final String[][] SCALING_AXES = {{"training.batch-size", "nb", "n_b"}, {"data.dim", "d", "d"}};
    private static final int THEORY_POINTS = 41;

    private final SweepPlan plan;
    private final SweepDefinition definition;
    private final List<RunRecord> records;
    private final Function<SweepPlan.Run, Path> runDir;
    private final List<PointStats> stats = new ArrayList<>();
    private final List<String> printed = new ArrayList<>();
    private final Map<String, double[][]> theoryLines = new java.util.HashMap<>();

    /** The aggregates of one grid point. */
    private record PointStats(SweepPlan.Point point, List<RunRecord> runs, double[] steps, double[] samples,
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

    private SweepReport(final SweepPlan plan, final List<RunRecord> records, final Function<SweepPlan.Run, Path> runDir)
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
        AtomicFiles.write(dir.resolve("runs.csv"), report.runsCsv());
        final Map<String, double[]> rates = report.modelRates();
        final Map<String, double[]> atValues = report.curveValuesAt();
        AtomicFiles.write(dir.resolve("summary.csv"), report.summaryCsv(rates, atValues));
        final List<Map<String, Object>> fits = report.fits();
        final List<Map<String, Object>> optimal = report.timeOptimal(rates);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("sweep", plan.definition().name());
        json.put("method", "least squares of ln(median) against ln(x) over the grid points of a group (the other grid "
            + "keys fixed); medians over the seeds that reached; interval: percentile bootstrap, every point's seeds "
            + "redrawn with replacement");
        final Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("resamples", plan.definition().fits().resamples());
        bootstrap.put("seed", plan.definition().fits().seed());
        bootstrap.put("level", LEVEL);
        json.put("bootstrap", bootstrap);
        json.put("fits", fits);
        json.put("time_model", report.timeModelJson());
        json.put("time_optimal", optimal);
        AtomicFiles.write(dir.resolve("fits.json"), Json.write(json));
        report.plots(dir.resolve("plots"), rates);
        return report.printed;
    }

    private void aggregate()
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

    // ---------------------------------------------------------------------------------------------- runs.csv

    private String runsCsv()
    {
        final int maxK = plan.points().stream().mapToInt(p -> p.spec().k()).max().orElse(1);
        final List<String> header = new ArrayList<>(List.of("point"));
        definition.axes().forEach(a -> header.add(a.key()));
        header.addAll(List.of("seed", "d", "nb", "reached", "steps_to_threshold", "samples_to_threshold", "steps",
            "samples", "stop_reason", "wall_s", "mean_iter_s", "learner_p50_us"));
        for (int c = 1; c <= maxK; c++)
        {
            header.add("final_max_cos_" + c);
        }
        final StringBuilder out = new StringBuilder(Csv.line(header)).append('\n');
        for (final RunRecord rec : records)
        {
            final SweepPlan.Run run = rec.run();
            final List<String> row = new ArrayList<>(List.of(run.point().id()));
            row.addAll(run.point().labels());
            row.addAll(List.of(Long.toString(run.seed()), Integer.toString(run.spec().data().dim()),
                Integer.toString(run.spec().training().batchSize()), Boolean.toString(rec.reached()),
                rec.reached() ? Long.toString(rec.stepsToThreshold()) : "",
                rec.reached() ? Long.toString(rec.samplesToThreshold()) : "",
                Long.toString(rec.steps()), Long.toString(rec.samples()), rec.stopReason(),
                Csv.number(rec.wallSeconds()), Csv.number(rec.meanIterationSeconds()),
                Csv.number(rec.learnerP50Micros())));
            for (int c = 0; c < maxK; c++)
            {
                row.add(c < rec.finalMaxCos().length ? Csv.number(rec.finalMaxCos()[c]) : "");
            }
            out.append(Csv.line(row)).append('\n');
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------- summary.csv

    /** Per point: {measured rate used, model seconds per step}. */
    private Map<String, double[]> modelRates()
    {
        final SweepDefinition.TimeModel model = definition.timeModel();
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

    private double secondsPerStep(final double batchSize, final double rate)
    {
        final SweepDefinition.TimeModel model = definition.timeModel();
        return model.latency() + batchSize / (model.workers() * rate);
    }

    /** Per point: for each metric and each x of curves.at, {q1, median, q3} in that order, flattened. */
    private Map<String, double[]> curveValuesAt()
    {
        final Map<String, double[]> out = new LinkedHashMap<>();
        final double[] at = definition.curves().at();
        if (at.length == 0)
        {
            return out;
        }
        final List<String> metrics = definition.curves().metrics();
        for (final PointStats p : stats)
        {
            final List<LearningCurves.Curve> curves = curves(p);
            final double[] v = new double[metrics.size() * at.length * 3];
            int i = 0;
            for (int m = 0; m < metrics.size(); m++)
            {
                for (final double x : at)
                {
                    final double[] values = LearningCurves.values(curves, m, x);
                    v[i++] = Stats.quantile(values, 0.25);
                    v[i++] = Stats.median(values);
                    v[i++] = Stats.quantile(values, 0.75);
                }
            }
            out.put(p.point().id(), v);
        }
        return out;
    }

    private String summaryCsv(final Map<String, double[]> rates, final Map<String, double[]> atValues)
    {
        final SweepDefinition.TimeModel model = definition.timeModel();
        final List<String> header = new ArrayList<>(List.of("point"));
        definition.axes().forEach(a -> header.add(a.key()));
        header.addAll(List.of("d", "nb", "learning_rate", "seeds", "reached", "success_fraction", "T_median", "T_q1",
            "T_q3", "nbT_median", "nbT_q1", "nbT_q3", "theory_T", "theory_nbT", "measured_s_per_step",
            "measured_samples_per_s", "measured_wall_to_threshold_s", "model_workers", "model_rate_samples_per_s",
            "model_latency_s", "model_s_per_step", "model_time_to_threshold_s"));
        for (final String metric : definition.curves().metrics())
        {
            for (final double x : definition.curves().at())
            {
                final String base = metric.replace('-', '_') + "_at_" + Csv.number(x);
                header.addAll(List.of(base + "_q1", base + "_median", base + "_q3"));
            }
        }
        final StringBuilder out = new StringBuilder(Csv.line(header)).append('\n');
        for (final PointStats p : stats)
        {
            final ExperimentSpec spec = p.point().spec();
            final double[] rate = rates.get(p.point().id());
            final double medianT = Stats.median(p.steps());
            final List<String> row = new ArrayList<>(List.of(p.point().id()));
            row.addAll(p.point().labels());
            row.addAll(List.of(Integer.toString(p.dim()), Integer.toString(p.batchSize()),
                Csv.number(spec.training().learningRate()), Integer.toString(p.runs().size()),
                Long.toString(p.reached()), Csv.number((double)p.reached() / p.runs().size()),
                Csv.number(medianT), Csv.number(Stats.quantile(p.steps(), 0.25)),
                Csv.number(Stats.quantile(p.steps(), 0.75)), Csv.number(Stats.median(p.samples())),
                Csv.number(Stats.quantile(p.samples(), 0.25)), Csv.number(Stats.quantile(p.samples(), 0.75)),
                Csv.number(p.theorySteps()), Csv.number(p.theorySteps() * p.batchSize()),
                Csv.number(p.secondsPerStep()), Csv.number(p.samplesPerSecond()), Csv.number(p.wallToThreshold()),
                Integer.toString(model.workers()), Csv.number(rate[0]), Csv.number(model.latency()),
                Csv.number(rate[1]), Csv.number(medianT * rate[1])));
            final double[] at = atValues.get(p.point().id());
            if (at != null)
            {
                Arrays.stream(at).forEach(v -> row.add(Csv.number(v)));
            }
            out.append(Csv.line(row)).append('\n');
            if (spec.stop().when() == null)
            {
                printed.add(p.point().id() + ": " + p.runs().size() + " runs (no threshold)");
            }
            else
            {
                printed.add(String.format(Locale.ROOT, "%s: reached %d/%d, median T %s [%s, %s], n_b·T %s [%s, %s]%s",
                    p.point().id(), p.reached(), p.runs().size(), Csv.number(medianT),
                    Csv.number(Stats.quantile(p.steps(), 0.25)), Csv.number(Stats.quantile(p.steps(), 0.75)),
                    Csv.number(Stats.median(p.samples())), Csv.number(Stats.quantile(p.samples(), 0.25)),
                    Csv.number(Stats.quantile(p.samples(), 0.75)), Double.isNaN(p.theorySteps()) ? ""
                        : " (theory T " + Csv.number(Math.rint(p.theorySteps())) + ", n_b·T "
                        + Csv.number(Math.rint(p.theorySteps() * p.batchSize())) + ")"));
            }
            if (at != null)
            {
                final StringBuilder s = new StringBuilder("  ");
                int i = 0;
                for (final String metric : definition.curves().metrics())
                {
                    for (final double x : definition.curves().at())
                    {
                        s.append(String.format(Locale.ROOT, "%s at %s = %s: %.4f [%.4f, %.4f]; ", metric,
                            definition.curves().x().configName(), Csv.number(x), at[i + 1], at[i], at[i + 2]));
                        i += 3;
                    }
                }
                printed.add(s.toString().strip());
            }
        }
        return out.toString();
    }

    // --------------------------------------------------------------------------------------------- fits.json

    private List<Map<String, Object>> fits()
    {
        final List<Map<String, Object>> fits = new ArrayList<>();
        if (!anyThreshold())
        {
            return fits;
        }
        final SweepDefinition.Fits settings = definition.fits();
        for (final String[] axis : SCALING_AXES)
        {
            final int index = axisIndex(axis[0]);
            if (index < 0)
            {
                continue;
            }
            for (final List<PointStats> group : groups(index))
            {
                for (final boolean samples : new boolean[] {false, true})
                {
                    final double[] x = group.stream().mapToDouble(p -> xValue(p, axis[1])).toArray();
                    final List<double[]> y = group.stream().map(p -> positive(samples ? p.samples() : p.steps()))
                        .toList();
                    final ScalingFit fit = ScalingFit.fit(x, y, settings.resamples(), settings.seed(), LEVEL);
                    final Map<String, Object> f = new LinkedHashMap<>();
                    f.put("x", axis[1]);
                    f.put("x_key", axis[0]);
                    f.put("y", samples ? "nbT" : "T");
                    f.put("group", groupMap(group.get(0).point(), index));
                    if (fit == null)
                    {
                        f.put("slope", null);
                        f.put("note", "fewer than two grid values with runs that reached");
                        fits.add(f);
                        continue;
                    }
                    f.put("x_values", fit.x());
                    f.put("medians", fit.medians());
                    f.put("slope", fit.slope());
                    f.put("ci95", List.of(fit.low(), fit.high()));
                    f.put("prefactor", Math.exp(fit.intercept()));
                    final double theory = theorySlope(group, axis[1], samples, fit.x());
                    f.put("theory_slope", Double.isNaN(theory) ? null : theory);
                    fits.add(f);
                    printed.add(String.format(Locale.ROOT, "fit %s against %s (%s): slope %.3f, 95%% CI [%.3f, %.3f]%s",
                        samples ? "n_b·T" : "T", axis[2], groupLabel(group.get(0).point(), index), fit.slope(),
                        fit.low(), fit.high(), Double.isNaN(theory) ? "" : String.format(Locale.ROOT,
                            ", theory %.3f", theory)));
                }
            }
        }
        return fits;
    }

    private double theorySlope(final List<PointStats> group, final String x, final boolean samples,
        final double[] used)
    {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (final PointStats p : group)
        {
            final double xv = xValue(p, x);
            if (Arrays.stream(used).anyMatch(u -> u == xv) && Double.isFinite(p.theorySteps()) && p.theorySteps() > 0)
            {
                xs.add(xv);
                ys.add(samples ? p.theorySteps() * p.batchSize() : p.theorySteps());
            }
        }
        if (xs.size() < 2 || xs.size() != used.length)
        {
            return Double.NaN;
        }
        return ScalingFit.leastSquares(xs.stream().mapToDouble(Double::doubleValue).toArray(),
            ys.stream().mapToDouble(Double::doubleValue).toArray())[0];
    }

    private List<Map<String, Object>> timeOptimal(final Map<String, double[]> rates)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        final int index = axisIndex("training.batch-size");
        if (index < 0 || !anyThreshold())
        {
            return out;
        }
        for (final List<PointStats> group : groups(index))
        {
            PointStats best = null;
            double bestTime = Double.POSITIVE_INFINITY;
            for (final PointStats p : group)
            {
                final double t = Stats.median(p.steps()) * rates.get(p.point().id())[1];
                if (t < bestTime)
                {
                    bestTime = t;
                    best = p;
                }
            }
            final Map<String, Object> o = new LinkedHashMap<>();
            o.put("group", groupMap(group.get(0).point(), index));
            o.put("nb", best == null ? null : best.batchSize());
            o.put("modelled_seconds", best == null ? null : bestTime);
            out.add(o);
            if (best != null)
            {
                printed.add(String.format(Locale.ROOT, "time-optimal n_b (%s): %d, modelled time to threshold %.4g s",
                    groupLabel(group.get(0).point(), index), best.batchSize(), bestTime));
            }
        }
        return out;
    }

    private Map<String, Object> timeModelJson()
    {
        final SweepDefinition.TimeModel model = definition.timeModel();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("formula", "t(n_b) = latency + n_b / (workers * rate)");
        m.put("workers", model.workers());
        m.put("rate", model.measuredRate() ? "measured (median samples/s over the runs of the group)" : model.rate());
        m.put("latency_s", model.latency());
        return m;
    }

    // ------------------------------------------------------------------------------------------------- plots

    private void plots(final Path dir, final Map<String, double[]> rates)
    {
        for (final String[] axis : SCALING_AXES)
        {
            final int index = axisIndex(axis[0]);
            if (index < 0 || !anyThreshold())
            {
                continue;
            }
            scalingPlot(dir, index, axis, false);
            scalingPlot(dir, index, axis, true);
            if (axis[1].equals("nb"))
            {
                timePlot(dir, index, rates);
            }
        }
        curvePlots(dir);
        phaseDiagram(dir);
    }

    /**
     * The §4 A phase diagram: θ = log_d(median T) against μ = log_d n_b, one series per d and other grid keys,
     * with the theory's lines θ(μ) for plain and correlation-loss SGD ({@link ScalingLaws}, ℓ of the target and
     * activation). Written when n_b varies and the theory's setting (one neuron, single index) holds.
     */
    private void phaseDiagram(final Path dir)
    {
        final int index = axisIndex("training.batch-size");
        if (index < 0 || !anyThreshold() || stats.isEmpty() || TheoryLine.whyNot(stats.get(0).point().spec()) != null)
        {
            return;
        }
        final int ell = TheoryLine.informationExponent(stats.get(0).point().spec());
        if (ell < 1)
        {
            return;
        }
        final Map<String, List<PointStats>> groups = new LinkedHashMap<>();
        for (final PointStats p : stats)
        {
            // The loss and d may sit in the same named axis as n_b: they still split the series.
            groups.computeIfAbsent(groupKey(p.point(), index) + "\u0000" + p.point().spec().training().loss() + "\u0000"
                + p.dim(), k -> new ArrayList<>()).add(p);
        }
        final List<PlotSeries> series = new ArrayList<>();
        double muMax = 0.0;
        int color = 0;
        for (final List<PointStats> group : groups.values())
        {
            final List<double[]> points = new ArrayList<>();
            for (final PointStats p : group)
            {
                final double lnD = Math.log(p.dim());
                final double mu = Math.log(p.batchSize()) / lnD;
                muMax = Math.max(muMax, mu);
                if (p.steps().length > 0)
                {
                    points.add(new double[] {mu, Math.log(Math.max(1.0, Stats.median(p.steps()))) / lnD});
                }
            }
            points.sort(java.util.Comparator.comparingDouble(v -> v[0]));
            if (!points.isEmpty())
            {
                final String others = groupLabel(group.get(0).point(), index);
                series.add(PlotSeries.linePoints((others.equals("all") ? "" : others + ", ") + "loss="
                    + group.get(0).point().spec().training().loss().configName() + ", d=" + group.get(0).dim(),
                    color, points.stream().mapToDouble(v -> v[0]).toArray(),
                    points.stream().mapToDouble(v -> v[1]).toArray()));
            }
            color++;
        }
        final int n = 101;
        final double[] mu = new double[n];
        final double[] plain = new double[n];
        final double[] correlation = new double[n];
        for (int i = 0; i < n; i++)
        {
            mu[i] = muMax * i / (n - 1);
            plain[i] = ScalingLaws.plainTimeExponent(ell, mu[i]);
            correlation[i] = ScalingLaws.correlationTimeExponent(ell, mu[i]);
        }
        series.add(PlotSeries.dashed("theory, plain SGD: θ = max(ℓ−1−μ, ℓ/2−1), ℓ = " + ell, color++, mu, plain));
        series.add(PlotSeries.dashed("theory, correlation loss: θ = max(ℓ−1−μ, 0)", color, mu, correlation));
        write(dir, "phase-diagram", new PlotSpec("Phase diagram (§4 A): " + definition.name() + threshold(),
            "μ = log_d n_b", "θ = log_d T (median steps to threshold)", false, false,
            series, List.of()));
    }

    private void scalingPlot(final Path dir, final int index, final String[] axis, final boolean samples)
    {
        final List<PlotSeries> series = new ArrayList<>();
        int color = 0;
        for (final List<PointStats> group : groups(index))
        {
            final String label = groupLabel(group.get(0).point(), index);
            final double[] x = group.stream().mapToDouble(p -> xValue(p, axis[1])).toArray();
            final double[] q1 = group.stream().mapToDouble(p -> Stats.quantile(samples ? p.samples() : p.steps(), 0.25))
                .toArray();
            final double[] med = group.stream().mapToDouble(p -> Stats.median(samples ? p.samples() : p.steps()))
                .toArray();
            final double[] q3 = group.stream().mapToDouble(p -> Stats.quantile(samples ? p.samples() : p.steps(), 0.75))
                .toArray();
            final ScalingFit fit = ScalingFit.fit(x, group.stream().map(p -> positive(samples ? p.samples() : p.steps()))
                .toList(), definition.fits().resamples(), definition.fits().seed(), LEVEL);
            final long reached = group.stream().mapToLong(PointStats::reached).sum();
            final long runs = group.stream().mapToLong(p -> p.runs().size()).sum();
            // The fit goes into the legend, below the plot, where it cannot hide data.
            series.add(PlotSeries.band(label + " quartiles", color, x, q1, q3));
            series.add(PlotSeries.linePoints(label + ": median" + (fit == null ? "" : String.format(Locale.ROOT,
                ", slope %.2f [%.2f, %.2f]", fit.slope(), fit.low(), fit.high())) + ", reached " + reached + "/" + runs,
                color, x, med));
            final double[][] theory = theoryLine(group, axis);
            if (theory != null)
            {
                final double[] y = theory[1].clone();
                for (int i = 0; i < y.length; i++)
                {
                    y[i] = samples ? y[i] * theory[2][i] : y[i];
                }
                series.add(PlotSeries.dashed(label + ": theory §3.4", color, theory[0], y));
            }
            color++;
        }
        final String y = samples ? "n_b·T (samples to threshold)" : "T (steps to threshold)";
        final String stem = (samples ? "nbT" : "T") + "-vs-" + axis[1];
        write(dir, stem, new PlotSpec(y + " against " + axis[2] + ": " + definition.name() + threshold(), axis[2], y,
            true, true, series, List.of()));
    }

    private void timePlot(final Path dir, final int index, final Map<String, double[]> rates)
    {
        final SweepDefinition.TimeModel model = definition.timeModel();
        final List<PlotSeries> series = new ArrayList<>();
        int color = 0;
        for (final List<PointStats> group : groups(index))
        {
            final String label = groupLabel(group.get(0).point(), index);
            final double[] x = group.stream().mapToDouble(PointStats::batchSize).toArray();
            final double[] t = group.stream().mapToDouble(p -> Stats.median(p.steps()) * rates.get(p.point().id())[1])
                .toArray();
            final double rate = rates.get(group.get(0).point().id())[0];
            int best = -1;
            for (int i = 0; i < t.length; i++)
            {
                if (Double.isFinite(t[i]) && (best < 0 || t[i] < t[best]))
                {
                    best = i;
                }
            }
            series.add(PlotSeries.linePoints(label + String.format(Locale.ROOT, ": median T·t(n_b), r = %.3g/s%s", rate,
                best < 0 ? "" : String.format(Locale.ROOT, ", fastest n_b = %d (%.3g s)", (int)x[best], t[best])),
                color, x, t));
            final double[][] theory = theoryLine(group, new String[] {"training.batch-size", "nb", "n_b"});
            if (theory != null)
            {
                final double[] y = new double[theory[0].length];
                for (int i = 0; i < y.length; i++)
                {
                    y[i] = theory[1][i] * secondsPerStep(theory[2][i], rate);
                }
                series.add(PlotSeries.dashed(label + ": theory T·t(n_b)", color, theory[0], y));
            }
            color++;
        }
        write(dir, "time-vs-nb", new PlotSpec("Modelled time to threshold: " + definition.name() + threshold(), "n_b",
            String.format(Locale.ROOT, "T·t(n_b) (s), t(n_b) = %s s + n_b/(%d·r)", Csv.number(model.latency()),
                model.workers()), true, true, series, List.of()));
    }

    private void curvePlots(final Path dir)
    {
        final List<String> metrics = definition.curves().metrics();
        final List<Axis> axes = definition.axes();
        final List<Integer> fixed = new ArrayList<>();
        for (int a = 0; a < axes.size(); a++)
        {
            if (!definition.curves().series().contains(axes.get(a).key()))
            {
                fixed.add(a);
            }
        }
        // Charts: one per metric and per combination of the grid keys that are not overlaid.
        final Map<String, List<PointStats>> charts = new LinkedHashMap<>();
        for (final PointStats p : stats)
        {
            final StringBuilder key = new StringBuilder();
            for (final int a : fixed)
            {
                key.append(key.length() == 0 ? "" : "_").append(axes.get(a).shortKey()).append('-')
                    .append(SweepPlan.sanitize(p.point().labels().get(a)));
            }
            charts.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(p);
        }
        final Map<String, List<LearningCurves.Curve>> curves = new LinkedHashMap<>();
        for (final PointStats p : stats)
        {
            curves.put(p.point().id(), curves(p));
        }
        for (int m = 0; m < metrics.size(); m++)
        {
            for (final Map.Entry<String, List<PointStats>> chart : charts.entrySet())
            {
                final List<LearningCurves.Curve> all = new ArrayList<>();
                chart.getValue().forEach(p -> all.addAll(curves.get(p.point().id())));
                final double[] grid = LearningCurves.grid(all, definition.curves().logX());
                final List<PlotSeries> series = new ArrayList<>();
                int color = 0;
                for (final PointStats p : chart.getValue())
                {
                    final LearningCurves.Band band = LearningCurves.band(curves.get(p.point().id()), m, grid);
                    final String label = seriesLabel(p.point(), fixed);
                    series.add(PlotSeries.band(label + " quartiles", color, band.x(), band.q1(), band.q3()));
                    series.add(PlotSeries.line(label, color, band.x(), band.median()));
                    color++;
                }
                final String metric = metrics.get(m);
                final String stem = "curves-" + SweepPlan.sanitize(metric) + (chart.getKey().isEmpty() ? ""
                    : "_" + chart.getKey());
                final String title = metric + " (median over " + definition.seeds().count() + " seeds, quartile band)"
                    + (chart.getKey().isEmpty() ? "" : ": " + chart.getKey().replace('_', ' '));
                write(dir, stem, new PlotSpec(title, definition.curves().x().title(), metric,
                    definition.curves().logX(), false, series, List.of()));
            }
        }
    }

    private List<LearningCurves.Curve> curves(final PointStats p)
    {
        final List<String> columns = definition.curves().metrics().stream()
            .map(metric -> SweepPlan.column(metric, p.point().spec())).toList();
        final List<LearningCurves.Curve> out = new ArrayList<>();
        for (final RunRecord rec : p.runs())
        {
            out.add(LearningCurves.read(runDir.apply(rec.run()).resolve("metrics.csv"), columns,
                definition.curves().x(), p.dim()));
        }
        return out;
    }

    /** {x, T(x), n_b(x)} of the theory along an axis of the group (computed once), or null when it does not apply. */
    private double[][] theoryLine(final List<PointStats> group, final String[] axis)
    {
        final String key = axis[0] + "\u0000" + group.get(0).point().id();
        if (!theoryLines.containsKey(key))
        {
            theoryLines.put(key, computeTheoryLine(group, axis));
        }
        return theoryLines.get(key);
    }

    private double[][] computeTheoryLine(final List<PointStats> group, final String[] axis)
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

    private void write(final Path dir, final String stem, final PlotSpec spec)
    {
        final String name = SweepPlan.sanitize(stem);
        AtomicFiles.write(dir.resolve(name + ".png"), ChartWriter.png(spec));
        AtomicFiles.write(dir.resolve(name + ".svg"), ChartWriter.svg(spec));
    }

    // ------------------------------------------------------------------------------------------------ groups

    private int axisIndex(final String key)
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
    private List<List<PointStats>> groups(final int varying)
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

    private static boolean sameGroup(final SweepPlan.Point a, final SweepPlan.Point b, final int varying)
    {
        return groupKey(a, varying).equals(groupKey(b, varying));
    }

    private static String groupKey(final SweepPlan.Point p, final int varying)
    {
        final List<String> labels = new ArrayList<>(p.labels());
        if (varying >= 0)
        {
            labels.remove(varying);
        }
        return String.join("\u0000", labels);
    }

    private Map<String, Object> groupMap(final SweepPlan.Point p, final int varying)
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

    private String groupLabel(final SweepPlan.Point p, final int varying)
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

    private String seriesLabel(final SweepPlan.Point p, final List<Integer> fixed)
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

    private static double xValue(final PointStats p, final String x)
    {
        return x.equals("nb") ? p.batchSize() : p.dim();
    }

    private static double[] positive(final double[] values)
    {
        return Arrays.stream(values).filter(v -> v > 0).toArray();
    }

    /** Whether any point has a threshold, i.e. whether T means anything. */
    private boolean anyThreshold()
    {
        return plan.points().stream().anyMatch(p -> p.spec().stop().when() != null);
    }

    private String threshold()
    {
        final var when = plan.points().get(0).spec().stop().when();
        return when == null ? "" : " (" + when.describe() + ")";
    }
}
