package org.sgdsim.experiment.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.sgdsim.metrics.plot.ChartWriter;
import org.sgdsim.metrics.plot.PlotSeries;
import org.sgdsim.metrics.plot.PlotSpec;
import org.sgdsim.theory.ScalingLaws;

/** A sweep's charts under plots/ (PNG and SVG): scaling plots with the theory line, the phase diagram, modelled time, learning curves. */
final class SweepPlots
{
    private final SweepReport r;
    private final List<Chart> charts = new ArrayList<>();

    SweepPlots(final SweepReport report)
    {
        this.r = report;
    }

    // ------------------------------------------------------------------------------------------------- plots

    /** The scaling plots, the modelled time and the phase diagram: what needs the fits and rates. */
    void plots(final Path dir, final Map<String, double[]> rates)
    {
        charts.clear();
        for (final String[] axis : SweepReport.SCALING_AXES)
        {
            final int index = r.axisIndex(axis[0]);
            if (index < 0 || !r.anyThreshold())
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
        phaseDiagram(dir);
        draw();
    }

    /** The learning curves, which need only the runs' metrics.csv: they can be drawn while the fits are made. */
    void learningCurves(final Path dir)
    {
        charts.clear();
        curvePlots(dir);
        draw();
    }

    /**
     * Charts are independent, and rendering one (fonts, rasteriser) costs more than a short run: each is painted once
     * and written as PNG and SVG in a task of its own, on every core.
     */
    private void draw()
    {
        charts.parallelStream().forEach(c ->
        {
            final ChartWriter.Drawing drawing = ChartWriter.draw(c.spec());
            AtomicFiles.write(c.dir().resolve(c.name() + ".png"), drawing.png());
            AtomicFiles.write(c.dir().resolve(c.name() + ".svg"), drawing.svg());
        });
    }

    /** A chart to draw into {@code dir} as {@code name}.png and .svg. */
    private record Chart(Path dir, String name, PlotSpec spec)
    {
    }

    /**
     * The §4 A phase diagram: θ = log_d(median T) against μ = log_d n_b, one series per d and other grid keys,
     * with the theory's lines θ(μ) for plain and correlation-loss SGD ({@link ScalingLaws}, ℓ of the target and
     * activation). Written when n_b varies and the theory's setting (one neuron, single index) holds.
     */
    void phaseDiagram(final Path dir)
    {
        final int index = r.axisIndex("training.batch-size");
        if (index < 0 || !r.anyThreshold() || r.stats.isEmpty() || TheoryLine.whyNot(r.stats.get(0).point().spec()) != null)
        {
            return;
        }
        final int ell = TheoryLine.informationExponent(r.stats.get(0).point().spec());
        if (ell < 1)
        {
            return;
        }
        final Map<String, List<SweepReport.PointStats>> groups = new LinkedHashMap<>();
        for (final SweepReport.PointStats p : r.stats)
        {
            // The loss and d may sit in the same named axis as n_b: they still split the series.
            groups.computeIfAbsent(SweepReport.groupKey(p.point(), index) + "\u0000" + p.point().spec().training().loss() + "\u0000"
                + p.dim(), k -> new ArrayList<>()).add(p);
        }
        final List<PlotSeries> series = new ArrayList<>();
        double muMax = 0.0;
        int color = 0;
        for (final List<SweepReport.PointStats> group : groups.values())
        {
            final List<double[]> points = new ArrayList<>();
            for (final SweepReport.PointStats p : group)
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
                final String others = r.groupLabel(group.get(0).point(), index);
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
        write(dir, "phase-diagram", new PlotSpec("Phase diagram (§4 A): " + r.definition.name() + r.threshold(),
            "μ = log_d n_b", "θ = log_d T (median steps to threshold)", false, false,
            series, List.of()));
    }

    void scalingPlot(final Path dir, final int index, final String[] axis, final boolean samples)
    {
        final List<PlotSeries> series = new ArrayList<>();
        int color = 0;
        for (final List<SweepReport.PointStats> group : r.groups(index))
        {
            final String label = r.groupLabel(group.get(0).point(), index);
            final double[] x = group.stream().mapToDouble(p -> SweepReport.xValue(p, axis[1])).toArray();
            final double[] q1 = group.stream().mapToDouble(p -> Stats.quantile(samples ? p.samples() : p.steps(), 0.25))
                .toArray();
            final double[] med = group.stream().mapToDouble(p -> Stats.median(samples ? p.samples() : p.steps()))
                .toArray();
            final double[] q3 = group.stream().mapToDouble(p -> Stats.quantile(samples ? p.samples() : p.steps(), 0.75))
                .toArray();
            final ScalingFit fit = r.fit(group, axis, samples);
            final long reached = group.stream().mapToLong(SweepReport.PointStats::reached).sum();
            final long runs = group.stream().mapToLong(p -> p.runs().size()).sum();
            // The fit goes into the legend, below the plot, where it cannot hide data.
            series.add(PlotSeries.band(label + " quartiles", color, x, q1, q3));
            series.add(PlotSeries.linePoints(label + ": median" + (fit == null ? "" : String.format(Locale.ROOT,
                ", slope %.2f [%.2f, %.2f]", fit.slope(), fit.low(), fit.high())) + ", reached " + reached + "/" + runs,
                color, x, med));
            final double[][] theory = r.theoryLine(group, axis);
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
        write(dir, stem, new PlotSpec(y + " against " + axis[2] + ": " + r.definition.name() + r.threshold(), axis[2], y,
            true, true, series, List.of()));
    }

    void timePlot(final Path dir, final int index, final Map<String, double[]> rates)
    {
        final SweepDefinition.TimeModel model = r.definition.report().timeModel();
        final List<PlotSeries> series = new ArrayList<>();
        int color = 0;
        for (final List<SweepReport.PointStats> group : r.groups(index))
        {
            final String label = r.groupLabel(group.get(0).point(), index);
            final double[] x = group.stream().mapToDouble(SweepReport.PointStats::batchSize).toArray();
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
            final double[][] theory = r.theoryLine(group, new String[] {"training.batch-size", "nb", "n_b"});
            if (theory != null)
            {
                final double[] y = new double[theory[0].length];
                for (int i = 0; i < y.length; i++)
                {
                    y[i] = theory[1][i] * r.secondsPerStep(theory[2][i], rate);
                }
                series.add(PlotSeries.dashed(label + ": theory T·t(n_b)", color, theory[0], y));
            }
            color++;
        }
        write(dir, "time-vs-nb", new PlotSpec("Modelled time to threshold: " + r.definition.name() + r.threshold(), "n_b",
            String.format(Locale.ROOT, "T·t(n_b) (s), t(n_b) = %s s + n_b/(%d·r)", Csv.number(model.latency()),
                model.workers()), true, true, series, List.of()));
    }

    void curvePlots(final Path dir)
    {
        final List<String> metrics = r.definition.report().curves().metrics();
        final List<Axis> axes = r.definition.axes();
        final List<Integer> fixed = new ArrayList<>();
        for (int a = 0; a < axes.size(); a++)
        {
            if (!r.definition.report().curves().series().contains(axes.get(a).key()))
            {
                fixed.add(a);
            }
        }
        // Charts: one per metric and per combination of the grid keys that are not overlaid.
        final Map<String, List<SweepReport.PointStats>> charts = new LinkedHashMap<>();
        for (final SweepReport.PointStats p : r.stats)
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
        for (final SweepReport.PointStats p : r.stats)
        {
            curves.put(p.point().id(), r.curves(p));
        }
        for (int m = 0; m < metrics.size(); m++)
        {
            for (final Map.Entry<String, List<SweepReport.PointStats>> chart : charts.entrySet())
            {
                final List<LearningCurves.Curve> all = new ArrayList<>();
                chart.getValue().forEach(p -> all.addAll(curves.get(p.point().id())));
                final double[] grid = LearningCurves.grid(all, r.definition.report().curves().logX());
                final List<PlotSeries> series = new ArrayList<>();
                int color = 0;
                for (final SweepReport.PointStats p : chart.getValue())
                {
                    final LearningCurves.Band band = LearningCurves.band(curves.get(p.point().id()), m, grid);
                    final String label = r.seriesLabel(p.point(), fixed);
                    series.add(PlotSeries.band(label + " quartiles", color, band.x(), band.q1(), band.q3()));
                    series.add(PlotSeries.line(label, color, band.x(), band.median()));
                    color++;
                }
                final String metric = metrics.get(m);
                final String stem = "curves-" + SweepPlan.sanitize(metric) + (chart.getKey().isEmpty() ? ""
                    : "_" + chart.getKey());
                final String title = metric + " (median over " + r.definition.seeds().count() + " seeds, quartile band)"
                    + (chart.getKey().isEmpty() ? "" : ": " + chart.getKey().replace('_', ' '));
                write(dir, stem, new PlotSpec(title, r.definition.report().curves().x().title(), metric,
                    r.definition.report().curves().logX(), false, series, List.of()));
            }
        }
    }

    void write(final Path dir, final String stem, final PlotSpec spec)
    {
        charts.add(new Chart(dir, SweepPlan.sanitize(stem), spec));
    }
}
