package org.sgdsim.giant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.sgdsim.experiment.RunFolder;
import org.sgdsim.metrics.plot.ChartWriter;
import org.sgdsim.metrics.plot.PlotSeries;
import org.sgdsim.metrics.plot.PlotSpec;

/**
 * The plots of a giant-step sweep over κ (giant-step.md §2): the readout's test error against κ = log_d n with the
 * random-features baseline (no step), and max_cos of each teacher direction against κ with the learned threshold;
 * a direction's marker shows where its seed-mean max_cos reaches the threshold. Grid points differing in anything but
 * {@code giant.kappa} are separate series.
 */
final class StaircasePlot
{
    private static final String KAPPA = "giant.kappa";

    private StaircasePlot()
    {
    }

    /** One series: seed means at each κ. */
    private static final class Group
    {
        final TreeMap<Double, double[]> sums = new TreeMap<>();
        final TreeMap<Double, Integer> counts = new TreeMap<>();
    }

    static List<String> write(final List<Map<String, Object>> runs, final Path plots)
    {
        if (runs.isEmpty() || !runs.get(0).containsKey(KAPPA))
        {
            return List.of("giant-step sweep: no " + KAPPA + " axis, no staircase plot");
        }
        int k = 0;
        for (final Map<String, Object> r : runs)
        {
            k = Math.max(k, ((Number)r.get("k")).intValue());
        }
        final double threshold = ((Number)runs.get(0).get("learned_above")).doubleValue();
        final Map<String, Group> groups = new LinkedHashMap<>();
        for (final Map<String, Object> r : runs)
        {
            final Group g = groups.computeIfAbsent(group(r), x -> new Group());
            final double kappa = ((Number)r.get("kappa")).doubleValue();
            final int size = 2 + k;
            final double[] s = g.sums.computeIfAbsent(kappa, x -> new double[size]);
            final double[] v = new double[size];
            v[0] = number(r.get("test_error"));
            v[1] = number(r.get("rf_test_error"));
            for (int c = 0; c < k; c++)
            {
                v[2 + c] = number(r.get("final.max_cos_" + (c + 1)));
            }
            for (int i = 0; i < size; i++)
            {
                s[i] += v[i];
            }
            g.counts.merge(kappa, 1, Integer::sum);
        }
        final List<PlotSeries> error = new ArrayList<>();
        final List<PlotSeries> cos = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        final Map<Integer, List<double[]>> markers = new TreeMap<>();
        int color = 0;
        for (final Map.Entry<String, Group> e : groups.entrySet())
        {
            final Group g = e.getValue();
            final int m = g.sums.size();
            final double[] x = new double[m];
            final double[] test = new double[m];
            final double[] rf = new double[m];
            final double[][] overlap = new double[k][m];
            int i = 0;
            for (final Map.Entry<Double, double[]> p : g.sums.entrySet())
            {
                final int n = g.counts.get(p.getKey());
                x[i] = p.getKey();
                test[i] = p.getValue()[0] / n;
                rf[i] = p.getValue()[1] / n;
                for (int c = 0; c < k; c++)
                {
                    overlap[c][i] = p.getValue()[2 + c] / n;
                }
                i++;
            }
            error.add(PlotSeries.linePoints(e.getKey(), color, x, test));
            error.add(PlotSeries.dashed(e.getKey() + ": no step (random features)", color, x, rf));
            for (int c = 0; c < k; c++)
            {
                if (java.util.Arrays.stream(overlap[c]).allMatch(Double::isNaN))
                {
                    continue; // a target with fewer directions than the sweep's largest
                }
                // z1 with markers, further directions as plain lines in the group's colour
                cos.add(c == 0 ? PlotSeries.linePoints(e.getKey() + ": z1", color, x, overlap[c])
                    : PlotSeries.line(e.getKey() + ": z" + (c + 1), color, x, overlap[c]));
                final List<double[]> learned = new ArrayList<>();
                for (int j = 0; j < m; j++)
                {
                    if (overlap[c][j] >= threshold)
                    {
                        learned.add(new double[] {x[j], test[j]});
                    }
                }
                lines.add(String.format(Locale.ROOT, "%s: z%d learned (mean max_cos ≥ %.2f) from kappa = %s", e.getKey(),
                    c + 1, threshold, learned.isEmpty() ? "never" : String.format(Locale.ROOT, "%.2f", learned.get(0)[0])));
                markers.computeIfAbsent(c, unused -> new ArrayList<>()).addAll(learned);
            }
            color++;
        }
        // One marker series per direction, in colours after the groups', over the groups' lines.
        for (final Map.Entry<Integer, List<double[]>> m : markers.entrySet())
        {
            if (!m.getValue().isEmpty())
            {
                error.add(PlotSeries.points("z" + (m.getKey() + 1) + " learned", groups.size() + m.getKey(),
                    m.getValue().stream().mapToDouble(p -> p[0]).toArray(),
                    m.getValue().stream().mapToDouble(p -> p[1]).toArray()));
            }
        }
        final double lo = groups.values().iterator().next().sums.firstKey();
        final double hi = groups.values().iterator().next().sums.lastKey();
        cos.add(PlotSeries.dashed(String.format(Locale.ROOT, "learned: max_cos = %.2f", threshold), 0,
            new double[] {lo, hi}, new double[] {threshold, threshold}));
        final String notes = "learned: seed mean of max_j |cos(w_j, w*)| ≥ " + threshold;
        write(plots, "test-error-vs-kappa", new PlotSpec("Giant step: test error of the ridge readout",
            "kappa = log_d n", "test error ½E(y − f)²", false, false, error, List.of(notes)));
        write(plots, "max-cos-vs-kappa", new PlotSpec("Giant step: max over units of |cos(w_j, w*_c)|",
            "kappa = log_d n", "max_cos", false, false, cos, List.of(notes)));
        return lines;
    }

    private static void write(final Path plots, final String name, final PlotSpec spec)
    {
        try
        {
            java.nio.file.Files.createDirectories(plots);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot create " + plots, ex);
        }
        final ChartWriter.Drawing drawing = ChartWriter.draw(spec);
        RunFolder.writeAtomically(plots.resolve(name + ".png"), drawing.png());
        RunFolder.writeAtomically(plots.resolve(name + ".svg"), drawing.svg());
    }

    /** The grid values of a run other than κ: the keys between "point" and "seed" (RunKind#sweepPlots). */
    private static String group(final Map<String, Object> run)
    {
        final StringBuilder s = new StringBuilder();
        boolean axes = false;
        for (final Map.Entry<String, Object> e : run.entrySet())
        {
            if (e.getKey().equals("seed"))
            {
                break;
            }
            if (axes && !e.getKey().equals(KAPPA))
            {
                s.append(s.length() > 0 ? ", " : "").append(e.getValue());
            }
            axes |= e.getKey().equals("point");
        }
        return s.length() == 0 ? "giant step" : s.toString();
    }

    private static double number(final Object v)
    {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
