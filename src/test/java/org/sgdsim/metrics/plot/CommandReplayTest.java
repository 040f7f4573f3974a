package org.sgdsim.metrics.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.BitmapEncoder;

/** A chart painted once and replayed onto a raster is, pixel for pixel, the image XChart paints there itself. */
class CommandReplayTest
{
    static Stream<PlotSpec> charts()
    {
        final double[] x = {16, 256, 4096};
        final List<PlotSeries> many = new ArrayList<>();
        for (int c = 0; c < 12; c++)
        {
            final double[] steps = new double[200];
            final double[] cos = new double[200];
            for (int i = 0; i < steps.length; i++)
            {
                steps[i] = 10.0 * (i + 1);
                cos[i] = Math.tanh(0.002 * (c + 1) * steps[i]);
            }
            many.add(c % 3 == 0 ? PlotSeries.dashed("theory " + c, c, steps, cos)
                : PlotSeries.line("seed " + c + ", loss=correlation", c, steps, cos));
        }
        return Stream.of(
            new PlotSpec("T against n_b", "n_b", "T", true, true, List.of(
                PlotSeries.band("q", 0, x, new double[] {1.5e4, 9e2, 50}, new double[] {3e4, 2e3, 90}),
                PlotSeries.linePoints("median", 0, x, new double[] {2e4, 1.2e3, 70}),
                PlotSeries.dashed("theory", 1, x, new double[] {2.1e4, 1.3e3, 80}),
                PlotSeries.points("with gaps", 2, x, new double[] {0.0, Double.NaN, 60})),
                List.of("slope -1.00 [-1.02, -0.98]")),
            new PlotSpec("learning curves: max-cos 1 (μ = log_d n_b, θ)", "step", "max-cos", true, false, many,
                List.of()),
            new PlotSpec("large numbers", "samples", "risk", false, false, List.of(
                PlotSeries.linePoints("risk", 4, new double[] {0, 2e6, 4e6, 6e6}, new double[] {1.2e7, 3e6, 1e5, 2e3})),
                List.of()),
            new PlotSpec("nothing reached", "n_b", "T", true, true,
                List.of(PlotSeries.points("none", 0, new double[] {1, 2}, new double[] {Double.NaN, 0.0})),
                List.of("20 runs, none reached")));
    }

    @ParameterizedTest
    @MethodSource("charts")
    void theReplayedRasterIsXChartsOwn(final PlotSpec spec)
    {
        final BufferedImage expected = BitmapEncoder.getBufferedImage(ChartWriter.chart(spec));
        final BufferedImage actual = ChartWriter.draw(spec).image();
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int differing = 0;
        for (int y = 0; y < expected.getHeight(); y++)
        {
            for (int x = 0; x < expected.getWidth(); x++)
            {
                if (expected.getRGB(x, y) != actual.getRGB(x, y))
                {
                    differing++;
                }
            }
        }
        assertEquals(0, differing, "pixels that differ");
    }

    @Test
    void nestedGraphicsKeepTheirOwnStateAndStringsAndTransformsReplay()
    {
        final VectorGraphics2D recorded = new VectorGraphics2D();
        final BufferedImage direct = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
        for (final Graphics2D g : new Graphics2D[] {recorded, direct.createGraphics()})
        {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 60, 40);
            final Graphics2D inner = (Graphics2D)g.create();
            inner.translate(10.5, 4);
            inner.scale(2, 1.5);
            inner.rotate(0.3, 3, 3);
            inner.setColor(Color.RED);
            inner.fillRect(0, 0, 8, 6);
            inner.dispose();
            // the outer graphics is back to its own transform and colour
            g.drawLine(0, 39, 59, 0);
            g.setXORMode(Color.BLUE);
            g.fillRect(40, 5, 10, 10);
            g.setPaintMode();
            g.clip(new java.awt.Rectangle(0, 20, 30, 20));
            g.drawString("x", 5, 35);
        }
        final BufferedImage replayed = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
        final Graphics2D target = replayed.createGraphics();
        CommandReplay.paint(recorded.getCommands(), target);
        target.dispose();
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 60; x++)
            {
                assertEquals(direct.getRGB(x, y), replayed.getRGB(x, y), "pixel " + x + ", " + y);
            }
        }
    }

    @Test
    void aCommandItCannotReplayIsAnError()
    {
        final de.erichseifert.vectorgraphics2d.intermediate.MutableCommandSequence commands =
            new de.erichseifert.vectorgraphics2d.intermediate.MutableCommandSequence();
        commands.add(new de.erichseifert.vectorgraphics2d.intermediate.commands.Group());
        final Graphics2D g = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB).createGraphics();
        assertThrows(IllegalStateException.class, () -> CommandReplay.paint(commands, g));
    }
}
