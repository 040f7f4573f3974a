package org.sgdsim.metrics.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.intermediate.commands.AffineTransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.FillShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetColorCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetTransformCommand;
import org.junit.jupiter.api.Test;

/** The compact SVG draws what the chart's Graphics2D commands draw, where they draw it. */
class SvgWriterTest
{
    @Test
    void joinedSegmentsBecomeOnePathAndStepsAreRelative()
    {
        final VectorGraphics2D g = new VectorGraphics2D();
        g.setColor(new Color(214, 39, 40));
        g.setStroke(new BasicStroke(1.6f));
        g.draw(new Line2D.Double(0, 0, 10, 0));
        g.draw(new Line2D.Double(10, 0, 10, 5.25));
        g.draw(new Line2D.Double(20, 20, 30, 30.5));
        final String svg = SvgWriter.write(g.getCommands(), 40, 40);
        assertEquals(List.of("M0,0h10v5.25M20,20l10,10.5"), paths(svg), svg);
        assertTrue(svg.contains("stroke:rgb(214,39,40);stroke-width:1.6"), svg);
    }

    @Test
    void transformsAreAppliedAndAClipStaysWhereItWasSet()
    {
        final VectorGraphics2D g = new VectorGraphics2D();
        g.translate(10, 10);
        g.setClip(new Rectangle2D.Double(0, 0, 5, 5));
        g.translate(100, 100);
        g.setColor(new Color(31, 119, 180, 55));
        g.fill(new Rectangle2D.Double(1, 2, 3, 4));
        final String svg = SvgWriter.write(g.getCommands(), 200, 200);
        assertEquals(List.of("M10,10h5v5h-5v-5z", "M111,112h3v4h-3v-4z"), paths(svg), svg);
        assertTrue(svg.contains("<g clip-path=\"url(#clip0)\">"), svg);
        assertTrue(svg.contains("fill:rgb(31,119,180);stroke:none;fill-opacity:0.216"), svg);
    }

    @Test
    void numbersAreRoundedToHundredthsWithoutTrailingZeros()
    {
        final VectorGraphics2D g = new VectorGraphics2D();
        g.draw(new Line2D.Double(0.004, -1.255, 3.1, 2.999));
        assertEquals(List.of("M0,-1.25l3.1,4.25"), paths(SvgWriter.write(g.getCommands(), 10, 10)));
    }

    /**
     * Every colour's drawing in the chart's SVG covers the same box as that colour's shapes in the commands: a
     * relative step written wrong, or a transform missed, moves a box.
     */
    @Test
    void aChartsSvgCoversWhatItsCommandsDraw() throws Exception
    {
        final double[] x = {1, 3, 10, 30, 100};
        final PlotSpec spec = new PlotSpec("max-cos-1 against samples", "samples", "max-cos-1", true, false, List.of(
            PlotSeries.band("quartiles", 0, x, new double[] {0.1, 0.15, 0.3, 0.5, 0.7},
                new double[] {0.2, 0.25, 0.4, 0.6, 0.9}),
            PlotSeries.linePoints("median", 0, x, new double[] {0.15, 0.2, 0.35, 0.55, 0.8}),
            PlotSeries.dashed("theory", 1, x, new double[] {0.12, 0.22, 0.33, 0.5, 0.85})),
            List.of("slope 0.21 [0.18, 0.24]"));
        final org.knowm.xchart.XYChart chart = ChartWriter.chart(spec);
        final VectorGraphics2D g = new RecordingGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());

        final Map<String, Rectangle2D> expected = new TreeMap<>();
        AffineTransform tx = new AffineTransform();
        Color color = Color.BLACK;
        for (final Command<?> c : g.getCommands())
        {
            if (c instanceof SetColorCommand s)
            {
                color = s.getValue();
            }
            else if (c instanceof SetTransformCommand t)
            {
                tx = new AffineTransform(t.getValue());
            }
            else if (c instanceof AffineTransformCommand t)
            {
                tx.concatenate(t.getValue());
            }
            else if (c instanceof DrawShapeCommand || c instanceof FillShapeCommand)
            {
                add(expected, "rgb(" + color.getRed() + "," + color.getGreen() + "," + color.getBlue() + ")",
                    pathBounds(((Shape)c.getValue()).getPathIterator(tx)));
            }
        }

        final String svg = ChartWriter.draw(spec).svg();
        ChartWriterTest.assertWellFormed(svg);
        final Map<String, String> classColour = new TreeMap<>();
        final Matcher cls = Pattern.compile("\\.(s\\d+)\\{(?:fill|fill:none;stroke):(rgb\\([0-9,]+\\))").matcher(svg);
        while (cls.find())
        {
            classColour.put(cls.group(1), cls.group(2));
        }
        final Map<String, Rectangle2D> drawn = new TreeMap<>();
        final Matcher path = Pattern.compile("<path class=\"(s\\d+)\"(?: fill-rule=\"evenodd\")? d=\"([^\"]*)\"")
            .matcher(svg.substring(svg.indexOf("</defs>")));
        while (path.find())
        {
            add(drawn, classColour.get(path.group(1)), parse(path.group(2)));
        }
        assertEquals(expected.keySet(), drawn.keySet());
        for (final String colour : expected.keySet())
        {
            final Rectangle2D e = expected.get(colour);
            final Rectangle2D d = drawn.get(colour);
            final double[][] pairs = {{e.getMinX(), d.getMinX()}, {e.getMinY(), d.getMinY()},
                {e.getMaxX(), d.getMaxX()}, {e.getMaxY(), d.getMaxY()}};
            for (final double[] pair : pairs)
            {
                assertEquals(pair[0], pair[1], 0.011, colour + ": expected " + e + ", drawn " + d);
            }
        }
    }

    private static void add(final Map<String, Rectangle2D> boxes, final String key, final Rectangle2D box)
    {
        if (box != null)
        {
            boxes.merge(key, box, Rectangle2D::createUnion);
        }
    }

    /** The box of a path's end and control points. */
    private static Rectangle2D pathBounds(final PathIterator it)
    {
        Rectangle2D box = null;
        final double[] p = new double[6];
        while (!it.isDone())
        {
            final int type = it.currentSegment(p);
            final int points = type == PathIterator.SEG_CLOSE ? 0 : type == PathIterator.SEG_QUADTO ? 2
                : type == PathIterator.SEG_CUBICTO ? 3 : 1;
            for (int i = 0; i < points; i++)
            {
                box = include(box, p[2 * i], p[2 * i + 1]);
            }
            it.next();
        }
        return box;
    }

    /** The box of the points of path data in the writer's dialect: M, h, v, l, q, c, z. */
    private static Rectangle2D parse(final String d)
    {
        final Matcher m = Pattern.compile("([MhvlqcMz])([^MhvlqcMz]*)").matcher(d);
        double x = 0;
        double y = 0;
        double sx = 0;
        double sy = 0;
        Rectangle2D box = null;
        while (m.find())
        {
            final List<Double> v = new ArrayList<>();
            for (final String n : m.group(2).trim().split("[ ,]+"))
            {
                if (!n.isEmpty())
                {
                    v.add(Double.parseDouble(n));
                }
            }
            switch (m.group(1))
            {
                case "M" -> { x = v.get(0); y = v.get(1); sx = x; sy = y; box = include(box, x, y); }
                case "h" -> { x += v.get(0); box = include(box, x, y); }
                case "v" -> { y += v.get(0); box = include(box, x, y); }
                case "l" -> { x += v.get(0); y += v.get(1); box = include(box, x, y); }
                case "q", "c" ->
                {
                    for (int i = 0; i < v.size(); i += 2)
                    {
                        box = include(box, x + v.get(i), y + v.get(i + 1));
                    }
                    x += v.get(v.size() - 2);
                    y += v.get(v.size() - 1);
                }
                default -> { x = sx; y = sy; }
            }
        }
        return box;
    }

    private static Rectangle2D include(final Rectangle2D box, final double x, final double y)
    {
        if (box == null)
        {
            return new Rectangle2D.Double(x, y, 0, 0);
        }
        box.add(x, y);
        return box;
    }

    private static List<String> paths(final String svg)
    {
        final List<String> out = new ArrayList<>();
        final Matcher m = Pattern.compile(" d=\"([^\"]*)\"").matcher(svg);
        while (m.find())
        {
            out.add(m.group(1));
        }
        return out;
    }
}
