package org.sgdsim.metrics.plot;

/**
 * One drawable element of a chart: a line, markers, a dashed (theory) line, or a band between a lower and an
 * upper curve. Elements that share a colour index are drawn in the same colour, so a median line and its
 * quartile band read as one thing.
 *
 * @param name  legend text (bands are left out of the legend).
 * @param kind  how it is drawn.
 * @param color colour index into the chart palette (wraps around).
 * @param x     abscissae.
 * @param y     ordinates (the lower curve of a band).
 * @param upper the upper curve of a band, null otherwise.
 */
public record PlotSeries(String name, Kind kind, int color, double[] x, double[] y, double[] upper)
{
    /** How a series is drawn. */
    public enum Kind
    {
        /** A solid line without markers. */
        LINE,
        /** Markers only. */
        POINTS,
        /** A solid line through markers. */
        LINE_POINTS,
        /** A dashed line without markers (theory curves). */
        DASHED,
        /** A translucent band between y and upper. */
        BAND
    }

    /** Checks that the arrays line up. */
    public PlotSeries
    {
        if (x.length != y.length || (upper != null && upper.length != x.length))
        {
            throw new IllegalArgumentException("series '" + name + "': x, y (and upper) must have the same length");
        }
        if ((kind == Kind.BAND) != (upper != null))
        {
            throw new IllegalArgumentException("series '" + name + "': a band needs an upper curve, other kinds none");
        }
    }

    /** A solid line. */
    public static PlotSeries line(final String name, final int color, final double[] x, final double[] y)
    {
        return new PlotSeries(name, Kind.LINE, color, x, y, null);
    }

    /** Markers only. */
    public static PlotSeries points(final String name, final int color, final double[] x, final double[] y)
    {
        return new PlotSeries(name, Kind.POINTS, color, x, y, null);
    }

    /** A line through markers. */
    public static PlotSeries linePoints(final String name, final int color, final double[] x, final double[] y)
    {
        return new PlotSeries(name, Kind.LINE_POINTS, color, x, y, null);
    }

    /** A dashed line. */
    public static PlotSeries dashed(final String name, final int color, final double[] x, final double[] y)
    {
        return new PlotSeries(name, Kind.DASHED, color, x, y, null);
    }

    /** A band between lower and upper. */
    public static PlotSeries band(final String name, final int color, final double[] x, final double[] lower,
        final double[] upper)
    {
        return new PlotSeries(name, Kind.BAND, color, x, lower, upper);
    }
}
