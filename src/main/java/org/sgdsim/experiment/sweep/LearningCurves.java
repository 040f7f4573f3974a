package org.sgdsim.experiment.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Learning curves from the runs' metrics.csv: one curve per run, and per grid point the median and quartiles
 * over its seeds on a common x grid. A run's value at x is that of its last row at or before x; past its last
 * row a run keeps its final value (a run that stopped at the threshold stays at it).
 */
public final class LearningCurves
{
    /** Points of the common x grid of a chart. */
    static final int GRID_POINTS = 241;

    private LearningCurves()
    {
    }

    /**
     * One run's rows.
     *
     * @param x      the x value of each row.
     * @param values values[m][row] of each requested metric.
     */
    public record Curve(double[] x, double[][] values)
    {
        /** The metric's value at x: the last row with x_row ≤ x, NaN before the first row. */
        public double at(final int metric, final double xValue)
        {
            int lo = 0;
            int hi = x.length - 1;
            int found = -1;
            while (lo <= hi)
            {
                final int mid = (lo + hi) >>> 1;
                if (x[mid] <= xValue)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            return found < 0 ? Double.NaN : values[metric][found];
        }

        /** The last x. */
        public double lastX()
        {
            return x.length == 0 ? Double.NaN : x[x.length - 1];
        }

        /** The first positive x, NaN when none. */
        public double firstPositiveX()
        {
            for (final double v : x)
            {
                if (v > 0)
                {
                    return v;
                }
            }
            return Double.NaN;
        }
    }

    /**
     * The median and quartiles over runs.
     *
     * @param x      the grid.
     * @param q1     first quartile at each x.
     * @param median median at each x.
     * @param q3     third quartile at each x.
     */
    public record Band(double[] x, double[] q1, double[] median, double[] q3)
    {
    }

    /**
     * Reads the columns of a metrics.csv.
     *
     * @param file    the file.
     * @param columns metric columns, e.g. max_cos_2.
     * @param xAxis   what x counts.
     * @param dim     d, for the per-d axes.
     */
    public static Curve read(final Path file, final List<String> columns, final SweepDefinition.CurveX xAxis,
        final int dim)
    {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String header = in.readLine();
            if (header == null)
            {
                return new Curve(new double[0], new double[columns.size()][0]);
            }
            final List<String> names = Arrays.asList(header.split(","));
            final int step = names.indexOf("step");
            final int samples = names.indexOf("samples");
            final int[] index = new int[columns.size()];
            for (int m = 0; m < index.length; m++)
            {
                index[m] = names.indexOf(columns.get(m));
                if (index[m] < 0)
                {
                    throw new IllegalStateException(file + " has no column " + columns.get(m));
                }
            }
            final List<double[]> rows = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.isEmpty())
                {
                    continue;
                }
                final String[] cells = line.split(",", -1);
                final double[] row = new double[1 + index.length];
                row[0] = xAxis.of(Long.parseLong(cells[step]), Long.parseLong(cells[samples]), dim);
                for (int m = 0; m < index.length; m++)
                {
                    row[1 + m] = Double.parseDouble(cells[index[m]]);
                }
                rows.add(row);
            }
            final double[] x = new double[rows.size()];
            final double[][] values = new double[index.length][rows.size()];
            for (int r = 0; r < x.length; r++)
            {
                x[r] = rows.get(r)[0];
                for (int m = 0; m < index.length; m++)
                {
                    values[m][r] = rows.get(r)[1 + m];
                }
            }
            return new Curve(x, values);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    /** Median and quartiles of one metric over the curves, on the given grid. */
    public static Band band(final List<Curve> curves, final int metric, final double[] grid)
    {
        final double[] q1 = new double[grid.length];
        final double[] median = new double[grid.length];
        final double[] q3 = new double[grid.length];
        for (int i = 0; i < grid.length; i++)
        {
            final double[] v = values(curves, metric, grid[i]);
            Arrays.sort(v);
            q1[i] = Stats.sortedQuantile(v, 0.25);
            median[i] = Stats.sortedQuantile(v, 0.5);
            q3[i] = Stats.sortedQuantile(v, 0.75);
        }
        return new Band(grid.clone(), q1, median, q3);
    }

    /** Each curve's value of the metric at x (curves without a row at or before x are left out). */
    public static double[] values(final List<Curve> curves, final int metric, final double x)
    {
        return curves.stream().mapToDouble(c -> c.at(metric, x)).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** A common grid from 0 (linear) or the smallest positive x (log) to the largest x of the curves. */
    public static double[] grid(final List<Curve> curves, final boolean log)
    {
        final double max = curves.stream().mapToDouble(Curve::lastX).filter(Double::isFinite).max().orElse(Double.NaN);
        if (!(max > 0))
        {
            return new double[] {0.0};
        }
        final double[] grid = new double[GRID_POINTS];
        if (log)
        {
            final double min = curves.stream().mapToDouble(Curve::firstPositiveX).filter(Double::isFinite).min()
                .orElse(max);
            for (int i = 0; i < GRID_POINTS; i++)
            {
                grid[i] = min * Math.pow(max / min, (double)i / (GRID_POINTS - 1));
            }
        }
        else
        {
            for (int i = 0; i < GRID_POINTS; i++)
            {
                grid[i] = max * i / (GRID_POINTS - 1);
            }
        }
        grid[GRID_POINTS - 1] = max;
        return grid;
    }
}
