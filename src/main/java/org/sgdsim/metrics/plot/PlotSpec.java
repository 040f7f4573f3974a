package org.sgdsim.metrics.plot;

import java.util.List;

/**
 * What a chart shows, independent of how it is rendered.
 *
 * @param title  chart title.
 * @param xTitle x-axis title.
 * @param yTitle y-axis title.
 * @param logX   logarithmic x axis (points with x ≤ 0 are dropped).
 * @param logY   logarithmic y axis (points with y ≤ 0 are dropped).
 * @param series elements in drawing order.
 * @param notes  lines of text shown in a box on the plot (may be empty).
 */
public record PlotSpec(String title, String xTitle, String yTitle, boolean logX, boolean logY,
    List<PlotSeries> series, List<String> notes)
{
    /** Copies the lists so the spec stays immutable. */
    public PlotSpec
    {
        series = List.copyOf(series);
        notes = List.copyOf(notes);
    }
}
