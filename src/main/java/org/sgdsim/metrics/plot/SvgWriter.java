package org.sgdsim.metrics.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import de.erichseifert.vectorgraphics2d.intermediate.CommandSequence;
import de.erichseifert.vectorgraphics2d.intermediate.commands.AffineTransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.CreateCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DisposeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.FillShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetClipCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetColorCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetPaintCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetStrokeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetTransformCommand;

/**
 * Serialises the drawing commands a chart paints into a {@code VectorGraphics2D} as a compact SVG document.
 * <p>
 * VectorGraphics2D's own SVG writer builds a DOM and writes every coordinate through {@code DecimalFormat}; a
 * sweep's learning-curve chart (thousands of segments, every label as glyph outlines) took it 0.2–0.7 s and 1.3 MB.
 * This writer streams into one buffer instead: coordinates are made absolute (transforms applied), rounded to 1/100
 * pixel, styles are shared classes, and a series' segments that continue one another become one path. It draws what
 * the PNG draws with the same state rules as VectorGraphics2D's writer (colour with its alpha, stroke, transform, clip
 * fixed in device space when set); fonts, hints and composites are not needed because XChart paints text as outlines.
 */
final class SvgWriter
{
    private final StringBuilder body = new StringBuilder(1 << 16);
    private final StringBuilder defs = new StringBuilder();
    private final Map<String, String> styleClasses = new LinkedHashMap<>();
    private final Map<String, String> clipIds = new HashMap<>();
    private final Deque<State> saved = new ArrayDeque<>();
    private State state = new State();
    // The open stroked path: its class, clip and pen (where it ended), so the next segment can continue it.
    private String openClass;
    private String openClip;
    private Pen pen = new Pen();
    private String groupClip;

    private SvgWriter()
    {
    }

    /** The document for {@code commands} on a {@code width} × {@code height} pixel page. */
    static String write(final CommandSequence commands, final int width, final int height)
    {
        final SvgWriter w = new SvgWriter();
        for (final Command<?> c : commands)
        {
            w.handle(c);
        }
        return w.document(width, height);
    }

    private void handle(final Command<?> c)
    {
        if (c instanceof DrawShapeCommand d)
        {
            stroke(d.getValue());
        }
        else if (c instanceof FillShapeCommand f)
        {
            fill(f.getValue());
        }
        else if (c instanceof SetColorCommand s)
        {
            state.color = s.getValue();
        }
        else if (c instanceof SetPaintCommand p && p.getValue() instanceof Color color)
        {
            state.color = color;
        }
        else if (c instanceof SetStrokeCommand s)
        {
            state.stroke = s.getValue();
        }
        else if (c instanceof SetTransformCommand t)
        {
            state.transform = new AffineTransform(t.getValue());
        }
        else if (c instanceof AffineTransformCommand t)
        {
            state.transform.concatenate(t.getValue());
        }
        else if (c instanceof SetClipCommand clip)
        {
            // Java2D fixes a clip in device space when it is set; later transforms do not move it.
            state.clip = clip.getValue() == null ? null
                : clipId(state.transform.createTransformedShape(clip.getValue()));
        }
        else if (c instanceof CreateCommand)
        {
            saved.push(state);
            state = state.copy();
        }
        else if (c instanceof DisposeCommand && !saved.isEmpty())
        {
            state = saved.pop();
        }
        // Fonts, hints, backgrounds and composites change nothing XChart draws: text arrives as filled outlines.
    }

    private void stroke(final Shape shape)
    {
        final String cls = styleClass(strokeStyle());
        final PathIterator it = shape.getPathIterator(state.transform);
        final double[] p = new double[6];
        boolean first = true;
        while (!it.isDone())
        {
            final int type = it.currentSegment(p);
            if (first)
            {
                first = false;
                final boolean sameStyle = cls.equals(openClass) && same(state.clip, openClip);
                if (sameStyle && type == PathIterator.SEG_MOVETO && pen.at(p[0], p[1]))
                {
                    // This shape starts where the open path ended: continue that path instead of a new element.
                    it.next();
                    continue;
                }
                if (!sameStyle)
                {
                    closeOpen();
                    clipGroup(state.clip);
                    body.append("<path class=\"").append(cls).append("\" d=\"");
                    openClass = cls;
                    openClip = state.clip;
                    pen = new Pen();
                }
            }
            pen.segment(body, type, p);
            it.next();
        }
    }

    private void fill(final Shape shape)
    {
        closeOpen();
        final String cls = styleClass(fillStyle());
        final PathIterator it = shape.getPathIterator(state.transform);
        clipGroup(state.clip);
        body.append("<path class=\"").append(cls).append('"');
        if (it.getWindingRule() == PathIterator.WIND_EVEN_ODD)
        {
            body.append(" fill-rule=\"evenodd\"");
        }
        path(body.append(" d=\""), it).append("\"/>\n");
    }

    private void closeOpen()
    {
        if (openClass != null)
        {
            body.append("\"/>\n");
            openClass = null;
            openClip = null;
        }
    }

    /** Elements under one clip share a group; a change of clip closes it. */
    private void clipGroup(final String clip)
    {
        if (same(clip, groupClip))
        {
            return;
        }
        if (groupClip != null)
        {
            body.append("</g>\n");
        }
        if (clip != null)
        {
            body.append("<g clip-path=\"url(#").append(clip).append(")\">\n");
        }
        groupClip = clip;
    }

    /** The path data of every segment of {@code it}, from a fresh pen. */
    private static StringBuilder path(final StringBuilder out, final PathIterator it)
    {
        final Pen pen = new Pen();
        final double[] p = new double[6];
        while (!it.isDone())
        {
            pen.segment(out, it.currentSegment(p), p);
            it.next();
        }
        return out;
    }

    /** A coordinate in 1/100 pixel. */
    private static long hundredths(final double v)
    {
        return Math.round(v * 100.0);
    }

    /** A number of 1/100 pixels as pixels, without trailing zeros ({@code DecimalFormat} was most of the cost). */
    private static StringBuilder number(final StringBuilder out, final long hundredths)
    {
        long r = hundredths;
        if (r < 0)
        {
            out.append('-');
            r = -r;
        }
        out.append(r / 100);
        final long frac = r % 100;
        if (frac != 0)
        {
            out.append('.').append(frac / 10);
            if (frac % 10 != 0)
            {
                out.append(frac % 10);
            }
        }
        return out;
    }

    private static StringBuilder number(final StringBuilder out, final double v)
    {
        return number(out, hundredths(v));
    }

    /**
     * Writes path segments relative to the point before, on the 1/100-pixel grid: a dashed grid line arrives as
     * hundreds of small filled rectangles, which {@code h}/{@code v} steps write in a third of the characters.
     * Every step is taken between rounded points, so rounding never accumulates along a path.
     */
    private static final class Pen
    {
        private long x;
        private long y;
        private long startX;
        private long startY;
        private boolean placed;

        boolean at(final double px, final double py)
        {
            return placed && hundredths(px) == x && hundredths(py) == y;
        }

        void segment(final StringBuilder out, final int type, final double[] p)
        {
            switch (type)
            {
                case PathIterator.SEG_MOVETO ->
                {
                    x = hundredths(p[0]);
                    y = hundredths(p[1]);
                    number(number(out.append('M'), x).append(','), y);
                    startX = x;
                    startY = y;
                    placed = true;
                }
                case PathIterator.SEG_LINETO ->
                {
                    final long nx = hundredths(p[0]);
                    final long ny = hundredths(p[1]);
                    if (ny == y)
                    {
                        number(out.append('h'), nx - x);
                    }
                    else if (nx == x)
                    {
                        number(out.append('v'), ny - y);
                    }
                    else
                    {
                        number(number(out.append('l'), nx - x).append(','), ny - y);
                    }
                    x = nx;
                    y = ny;
                }
                case PathIterator.SEG_QUADTO -> curve(out.append('q'), p, 2);
                case PathIterator.SEG_CUBICTO -> curve(out.append('c'), p, 3);
                default ->
                {
                    out.append('z');
                    x = startX;
                    y = startY;
                }
            }
        }

        private void curve(final StringBuilder out, final double[] p, final int points)
        {
            for (int i = 0; i < points; i++)
            {
                if (i > 0)
                {
                    out.append(' ');
                }
                number(number(out, hundredths(p[2 * i]) - x).append(','), hundredths(p[2 * i + 1]) - y);
            }
            x = hundredths(p[2 * points - 2]);
            y = hundredths(p[2 * points - 1]);
        }
    }

    private static boolean same(final String a, final String b)
    {
        return a == null ? b == null : a.equals(b);
    }

    private String clipId(final Shape deviceClip)
    {
        final String d = path(new StringBuilder(), deviceClip.getPathIterator(null)).toString();
        return clipIds.computeIfAbsent(d, key ->
        {
            final String id = "clip" + clipIds.size();
            defs.append("<clipPath id=\"").append(id).append("\"><path d=\"").append(key).append("\"/></clipPath>\n");
            return id;
        });
    }

    private String styleClass(final String style)
    {
        return styleClasses.computeIfAbsent(style, s -> "s" + styleClasses.size());
    }

    private String fillStyle()
    {
        final Color c = state.color;
        final StringBuilder s = new StringBuilder("fill:").append(rgb(c)).append(";stroke:none");
        if (c.getAlpha() < 255)
        {
            s.append(";fill-opacity:").append(opacity(c));
        }
        return s.toString();
    }

    private String strokeStyle()
    {
        final Color c = state.color;
        final StringBuilder s = new StringBuilder("fill:none;stroke:").append(rgb(c));
        if (c.getAlpha() < 255)
        {
            s.append(";stroke-opacity:").append(opacity(c));
        }
        final Stroke stroke = state.stroke;
        if (stroke instanceof BasicStroke b)
        {
            // Transforms here translate or rotate (text, axes); a scale would scale the width with it.
            final double width = b.getLineWidth() * Math.sqrt(Math.abs(state.transform.getDeterminant()));
            number(s.append(";stroke-width:"), width);
            s.append(";stroke-linecap:").append(switch (b.getEndCap())
            {
                case BasicStroke.CAP_ROUND -> "round";
                case BasicStroke.CAP_SQUARE -> "square";
                default -> "butt";
            });
            s.append(";stroke-linejoin:").append(switch (b.getLineJoin())
            {
                case BasicStroke.JOIN_ROUND -> "round";
                case BasicStroke.JOIN_BEVEL -> "bevel";
                default -> "miter";
            });
            number(s.append(";stroke-miterlimit:"), b.getMiterLimit());
            final float[] dash = b.getDashArray();
            if (dash != null)
            {
                s.append(";stroke-dasharray:");
                for (int i = 0; i < dash.length; i++)
                {
                    number(i == 0 ? s : s.append(','), dash[i]);
                }
                if (b.getDashPhase() != 0f)
                {
                    number(s.append(";stroke-dashoffset:"), b.getDashPhase());
                }
            }
        }
        return s.toString();
    }

    private static String rgb(final Color c)
    {
        return "rgb(" + c.getRed() + ',' + c.getGreen() + ',' + c.getBlue() + ')';
    }

    private static String opacity(final Color c)
    {
        return Double.toString(Math.round(c.getAlpha() / 255.0 * 1000.0) / 1000.0);
    }

    private String document(final int width, final int height)
    {
        closeOpen();
        clipGroup(null);
        final StringBuilder out = new StringBuilder(body.length() + defs.length() + 512 + 64 * styleClasses.size());
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
            .append("px\" height=\"").append(height).append("px\" viewBox=\"0 0 ").append(width).append(' ')
            .append(height).append("\">\n<defs>\n<style>\n");
        for (final Map.Entry<String, String> e : styleClasses.entrySet())
        {
            out.append('.').append(e.getValue()).append('{').append(e.getKey()).append("}\n");
        }
        out.append("</style>\n").append(defs).append("</defs>\n").append(body).append("</svg>\n");
        return out.toString();
    }

    /** What a {@code Graphics2D} carries between commands and {@code create}/{@code dispose} saves. */
    private static final class State
    {
        Color color = Color.BLACK;
        Stroke stroke = new BasicStroke(1f);
        AffineTransform transform = new AffineTransform();
        String clip;

        State copy()
        {
            final State s = new State();
            s.color = color;
            s.stroke = stroke;
            s.transform = new AffineTransform(transform);
            s.clip = clip;
            return s;
        }
    }
}
