package org.sgdsim.giant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sgdsim.experiment.RunFolder;
import org.sgdsim.metrics.plot.ChartWriter;
import org.sgdsim.metrics.plot.PlotSeries;
import org.sgdsim.metrics.plot.PlotSpec;

/** spectrum.png: histograms of the feature-covariance eigenvalues before and after the steps, outliers marked. */
final class SpectrumPlot
{
    private static final int BINS = 40;

    private SpectrumPlot()
    {
    }

    static void write(final GiantKind.Result r, final Path dir)
    {
        RunFolder.writeAtomically(dir.resolve("spectrum.png"), ChartWriter.draw(spec(r)).png());
    }

    /** Eigenvalues on log-spaced bins (the bulk spans decades below the outliers); counts per bin. */
    static PlotSpec spec(final GiantKind.Result r)
    {
        final double[] before = r.before();
        final double[] after = r.after();
        double lo = Double.MAX_VALUE;
        double hi = 0.0;
        for (final double[] values : List.of(before, after))
        {
            for (final double v : values)
            {
                if (v > 0.0)
                {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        lo = Math.max(lo, hi * 1e-8);
        final double logLo = Math.log(lo);
        final double width = (Math.log(hi) - logLo) / BINS * (1.0 + 1e-9);
        final List<PlotSeries> series = new ArrayList<>();
        series.add(PlotSeries.line("no step (W0)", 0, stepX(logLo, width), stepY(counts(before, logLo, width))));
        series.add(PlotSeries.line("after " + r.steps() + " step(s)", 1, stepX(logLo, width),
            stepY(counts(after, logLo, width))));
        final double edge = r.outliers().edge();
        final GiantSpec spec = r.spec();
        series.add(PlotSeries.dashed(String.format(Locale.ROOT, "bulk edge × (1 + %.2f)", spec.readout().margin()),
            2, new double[] {edge, edge}, new double[] {0.0, spec.student().width() / 4.0}));
        final int first = r.outliers().structural();
        final int count = Math.max(r.outliers().aboveEdge() - first, 0);
        if (count > 0)
        {
            final double[] x = new double[count];
            final double[] y = new double[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = after[first + i];
                y[i] = 1.0;
            }
            series.add(PlotSeries.points("outliers (" + count + ")", 3, x, y));
        }
        return new PlotSpec("Feature spectrum, " + spec.name(), "eigenvalue of (1/n) Σ σ(Wx)σ(Wx)ᵀ",
            "eigenvalues per bin", true, false, series, List.of(
                String.format(Locale.ROOT, "d = %d, p = %d, n = d^%.2f, eta = %.3g", spec.data().dim(),
                    spec.student().width(), spec.steps().kappa(), spec.steps().learningRate()),
                r.outliers().outliers() + " outlier(s) beyond the edge, " + first + " structural"));
    }

    private static int[] counts(final double[] values, final double logLo, final double width)
    {
        final int[] c = new int[BINS];
        for (final double v : values)
        {
            if (v > 0.0)
            {
                c[Math.max(0, Math.min(BINS - 1, (int)((Math.log(v) - logLo) / width)))]++;
            }
        }
        return c;
    }

    /** The bins' edges, each twice, so a line through them draws the histogram's outline. */
    private static double[] stepX(final double logLo, final double width)
    {
        final double[] x = new double[2 * BINS];
        for (int b = 0; b < BINS; b++)
        {
            x[2 * b] = Math.exp(logLo + b * width);
            x[2 * b + 1] = Math.exp(logLo + (b + 1) * width);
        }
        return x;
    }

    private static double[] stepY(final int[] counts)
    {
        final double[] y = new double[2 * counts.length];
        for (int b = 0; b < counts.length; b++)
        {
            y[2 * b] = counts[b];
            y[2 * b + 1] = counts[b];
        }
        return y;
    }
}
