package org.sgdsim.metrics.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import de.erichseifert.vectorgraphics2d.intermediate.CommandSequence;
import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders a {@link PlotSpec} with XChart, headless, to PNG bytes and SVG text. Writing the files is the caller's
 * job (atomically, in the layer that owns the folder). Non-finite points are dropped, and on a log axis so are
 * points ≤ 0, because XChart cannot place them; a chart left without any point says so in its notes.
 */
public final class ChartWriter
{
    /** Pixel width of a rendered chart. */
    public static final int WIDTH = 800;
    /** Pixel height of a rendered chart. */
    public static final int HEIGHT = 560;

    // Tableau-like palette: distinct in colour and in grey scale.
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
        10.0f, new float[] {6.0f, 4.0f}, 0.0f);

    static
    {
        // Charts are files, never windows: without this AWT looks for a display on a server.
        if (System.getProperty("java.awt.headless") == null)
        {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ChartWriter()
    {
    }

    /**
     * Paints the chart once, into a recording from which both files are made: XChart's layout (text measured glyph by
     * glyph, axes, legend) costs more than rasterising what it decided, so a chart written as PNG and SVG pays it once.
     */
    public static Drawing draw(final PlotSpec spec)
    {
        final XYChart chart = chart(spec);
        final RecordingGraphics g = new RecordingGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        return new Drawing(g.getCommands(), chart.getWidth(), chart.getHeight());
    }

    /** A painted chart: its drawing commands and page size; {@link #png} and {@link #svg} may run on two threads. */
    public static final class Drawing
    {
        private final CommandSequence commands;
        private final int width;
        private final int height;

        private Drawing(final CommandSequence commands, final int width, final int height)
        {
            this.commands = commands;
            this.width = width;
            this.height = height;
        }

        /** The chart as PNG bytes: the commands replayed onto an RGB image, as XChart's own bitmap paints it. */
        public byte[] png()
        {
            return PngWriter.write(image());
        }

        /** The chart as an SVG document. */
        public String svg()
        {
            return SvgWriter.write(commands, width, height);
        }

        /** The raster the PNG holds. */
        BufferedImage image()
        {
            final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            final Graphics2D g = image.createGraphics();
            // XChart paints every part antialiased (the styler's default, kept here): the recording cannot say so.
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            CommandReplay.paint(commands, g);
            g.dispose();
            return image;
        }
    }

    /** The colour of a palette index (wraps around). */
    public static Color color(final int index)
    {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** Builds the XChart chart for a spec. */
    static XYChart chart(final PlotSpec spec)
    {
        final XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(spec.title());
        chart.setXAxisTitle(spec.xTitle());
        chart.setYAxisTitle(spec.yTitle());
        chart.getStyler().setXAxisLogarithmic(spec.logX()).setYAxisLogarithmic(spec.logY())
            .setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
            .setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Vertical)
            .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14))
            .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
            .setAnnotationTextPanelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // Labels between decades too: a log axis spanning less than two decades would otherwise show one number.
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decades(spec, true) >= 2.0)
            .setYAxisLogarithmicDecadeOnly(decades(spec, false) >= 2.0);
        // The pattern is applied to the number format of the styler's locale: ROOT gives 1,000.5 everywhere.
        chart.getStyler().setLocale(java.util.Locale.ROOT);
        chart.getStyler().setXAxisDecimalPattern(spec.logX() ? logPattern(spec, true) : large(spec, true) ? "0.##E0" : null);
        chart.getStyler().setYAxisDecimalPattern(spec.logY() ? logPattern(spec, false) : large(spec, false) ? "0.##E0" : null);

        final List<String> notes = new ArrayList<>(spec.notes());
        final List<String> names = new ArrayList<>();
        int drawn = 0;
        for (final PlotSeries s : spec.series())
        {
            final String name = unique(s.name(), names);
            if (add(chart, spec, s, name))
            {
                drawn++;
            }
        }
        if (drawn == 0)
        {
            notes.add("no point to draw (none finite" + (spec.logX() || spec.logY() ? " and positive" : "") + ")");
            // XChart needs one series to lay out the axes; this one is invisible.
            final XYSeries empty = chart.addSeries(" ", new double[] {1.0, 10.0}, new double[] {1.0, 10.0});
            empty.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.NONE).setShowInLegend(false);
            chart.getStyler().setLegendVisible(false);
        }
        if (!notes.isEmpty() && drawn > 0)
        {
            // Notes are rows of the legend, drawn by an invisible copy of one point: a panel at fixed screen
            // coordinates covered the legend of charts with many series, or their data.
            final XYSeries first = chart.getSeriesMap().values().stream().filter(x -> x.getXData().length > 0)
                .findFirst().orElseThrow();
            final double[] at = {first.getXData()[0], first.getYData()[0]};
            for (final String note : notes)
            {
                final XYSeries row = chart.addSeries(unique(note, names), new double[] {at[0]}, new double[] {at[1]});
                row.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.NONE);
            }
        }
        else if (!notes.isEmpty())
        {
            // Screen coordinates from the lower left: just inside the plot area (no legend on an empty chart).
            chart.addAnnotation(new AnnotationTextPanel(String.join("\n", notes), 75, 110, true));
        }
        return chart;
    }

    private static boolean add(final XYChart chart, final PlotSpec spec, final PlotSeries s, final String name)
    {
        final double[] x = s.x();
        final double[] y = s.y();
        final double[] up = s.upper();
        final List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++)
        {
            if (usable(x[i], spec.logX()) && usable(y[i], spec.logY()) && (up == null || usable(up[i], spec.logY())))
            {
                keep.add(i);
            }
        }
        if (keep.isEmpty())
        {
            return false;
        }
        final Color color = color(s.color());
        final XYSeries series;
        if (s.kind() == PlotSeries.Kind.BAND)
        {
            // A closed polygon: along the lower curve, back along the upper one.
            final int n = keep.size();
            final double[] px = new double[2 * n];
            final double[] py = new double[2 * n];
            for (int i = 0; i < n; i++)
            {
                final int k = keep.get(i);
                px[i] = x[k];
                py[i] = y[k];
                final int back = keep.get(n - 1 - i);
                px[n + i] = x[back];
                py[n + i] = up[back];
            }
            series = chart.addSeries(name, px, py);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            series.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 55));
            series.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
            series.setMarker(SeriesMarkers.NONE);
            series.setShowInLegend(false);
            return true;
        }
        final double[] kx = new double[keep.size()];
        final double[] ky = new double[keep.size()];
        for (int i = 0; i < kx.length; i++)
        {
            kx[i] = x[keep.get(i)];
            ky[i] = y[keep.get(i)];
        }
        series = chart.addSeries(name, kx, ky);
        series.setXYSeriesRenderStyle(s.kind() == PlotSeries.Kind.POINTS ? XYSeries.XYSeriesRenderStyle.Scatter
            : XYSeries.XYSeriesRenderStyle.Line);
        series.setLineColor(color);
        series.setMarkerColor(color);
        switch (s.kind())
        {
            case LINE:
                series.setMarker(SeriesMarkers.NONE).setLineStyle(new BasicStroke(1.8f));
                break;
            case DASHED:
                series.setMarker(SeriesMarkers.NONE).setLineStyle(DASHED);
                break;
            case POINTS:
                series.setMarker(SeriesMarkers.CIRCLE);
                break;
            default:
                series.setMarker(SeriesMarkers.CIRCLE).setLineStyle(new BasicStroke(1.8f));
                break;
        }
        return true;
    }

    /** Decades spanned by the positive finite values on an axis (0 when there are none). */
    private static double decades(final PlotSpec spec, final boolean xAxis)
    {
        final double[] range = positiveRange(spec, xAxis);
        return range[1] > 0 ? Math.log10(range[1] / range[0]) : 0.0;
    }

    /** The least and greatest positive finite values on an axis ({+∞, 0} when there are none). */
    private static double[] positiveRange(final PlotSpec spec, final boolean xAxis)
    {
        double min = Double.POSITIVE_INFINITY;
        double max = 0.0;
        for (final PlotSeries s : spec.series())
        {
            final double[][] columns = xAxis ? new double[][] {s.x()} : new double[][] {s.y(), s.upper()};
            for (final double[] column : columns)
            {
                if (column == null)
                {
                    continue;
                }
                for (final double v : column)
                {
                    if (Double.isFinite(v) && v > 0)
                    {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        return new double[] {min, max};
    }

    /**
     * The tick-label pattern of a log axis: plain numbers with thousands separators and as many decimals as its
     * smallest decade needs (1,000 and 0.001, where XChart's default prints 1E3 and 1E-3), or mantissa and exponent
     * once plain numbers get longer than about 16 characters (below 10^-9, from 10^15).
     */
    static String logPattern(final PlotSpec spec, final boolean xAxis)
    {
        final double[] range = positiveRange(spec, xAxis);
        if (!(range[1] > 0))
        {
            return "#,##0.###";
        }
        // a tick can sit a decade below the least value
        final double lowest = Math.pow(10, Math.floor(Math.log10(range[0])) - 1);
        if (lowest < 1e-10 || range[1] >= 1e15)
        {
            return "0.##E0";
        }
        final int decimals = Math.max(3, (int)Math.ceil(-Math.log10(lowest)));
        return "#,##0." + "#".repeat(decimals);
    }

    /** Whether an axis reaches 10^5, where plain tick labels get too long to read. */
    private static boolean large(final PlotSpec spec, final boolean xAxis)
    {
        double max = 0.0;
        for (final PlotSeries s : spec.series())
        {
            for (final double v : xAxis ? s.x() : s.y())
            {
                if (Double.isFinite(v))
                {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max >= 1e5;
    }

    private static boolean usable(final double v, final boolean log)
    {
        return Double.isFinite(v) && (!log || v > 0.0);
    }

    /** XChart keys series by name: repeat names get invisible trailing spaces. */
    private static String unique(final String name, final List<String> taken)
    {
        String n = name.isEmpty() ? " " : name;
        while (taken.contains(n))
        {
            n = n + " ";
        }
        taken.add(n);
        return n;
    }
}
