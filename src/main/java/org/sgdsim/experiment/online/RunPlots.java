package org.sgdsim.experiment.online;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sgdsim.experiment.RunFolder;
import org.sgdsim.metrics.plot.ChartWriter;
import org.sgdsim.metrics.plot.PlotSeries;
import org.sgdsim.metrics.plot.PlotSpec;

/**
 * The plots of one run folder, as PNG and SVG: the cosine to each teacher direction and the risk against the step,
 * with the theory (theory.csv) dashed over the simulation when the run has one.
 */
public final class RunPlots
{
    private RunPlots()
    {
    }

    /** Writes {@code overlaps.png/.svg} and {@code risk.png/.svg} into {@code dir} from its metrics.csv (and theory.csv). */
    public static void write(final Path dir, final String name)
    {
        final Table run = Table.read(dir.resolve("metrics.csv"));
        final Path theoryFile = dir.resolve("theory.csv");
        final Table theory = Files.isRegularFile(theoryFile) ? Table.read(theoryFile) : null;
        final List<PlotSeries> overlaps = new ArrayList<>();
        int color = 0;
        for (int c = 0; c < run.header.length; c++)
        {
            if (!run.header[c].startsWith("max_cos_"))
            {
                continue;
            }
            final String r = run.header[c].substring("max_cos_".length());
            overlaps.add(PlotSeries.linePoints("max-cos " + r + " (simulation)", color, run.column("step"),
                run.column(run.header[c])));
            if (theory != null)
            {
                overlaps.add(PlotSeries.dashed("max-cos " + r + " (theory)", color, theory.column("step"),
                    theory.column(run.header[c])));
            }
            color++;
        }
        final List<PlotSeries> risk = new ArrayList<>();
        risk.add(PlotSeries.linePoints("risk (simulation)", 0, run.column("step"), run.column("risk")));
        if (theory != null)
        {
            risk.add(PlotSeries.dashed("risk (theory)", 0, theory.column("step"), theory.column("risk")));
        }
        save(dir, "overlaps", new PlotSpec(name + ": max_j |M_jr| / sqrt(Q_jj)", "step", "max-cos", true, false,
            overlaps, List.of()));
        save(dir, "risk", new PlotSpec(name + ": population risk", "step", "risk", true, true, risk, List.of()));
    }

    private static void save(final Path dir, final String stem, final PlotSpec spec)
    {
        final ChartWriter.Drawing drawing = ChartWriter.draw(spec);
        RunFolder.writeAtomically(dir.resolve(stem + ".png"), drawing.png());
        RunFolder.writeAtomically(dir.resolve(stem + ".svg"), drawing.svg());
    }

    /** A CSV file with a header line, read as columns of doubles. */
    private static final class Table
    {
        final String[] header;
        final List<double[]> rows = new ArrayList<>();

        private Table(final String[] header)
        {
            this.header = header;
        }

        static Table read(final Path file)
        {
            try
            {
                final List<String> lines = Files.readAllLines(file);
                final Table t = new Table(lines.get(0).split(","));
                for (final String line : lines.subList(1, lines.size()))
                {
                    final String[] cells = line.split(",");
                    if (cells.length != t.header.length)
                    {
                        continue;
                    }
                    final double[] row = new double[cells.length];
                    for (int i = 0; i < cells.length; i++)
                    {
                        row[i] = Double.parseDouble(cells[i]);
                    }
                    t.rows.add(row);
                }
                return t;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
        }

        double[] column(final String name)
        {
            int c = -1;
            for (int i = 0; i < header.length; i++)
            {
                if (header[i].equals(name))
                {
                    c = i;
                }
            }
            if (c < 0)
            {
                throw new IllegalArgumentException("no column " + name);
            }
            final double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++)
            {
                v[i] = rows.get(i)[c];
            }
            return v;
        }
    }
}
