package org.sgdsim.metrics.plot;

import java.awt.Graphics;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.util.Map;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;

/**
 * A recording graphics that answers for its hints and font metrics as a raster's Graphics2D does. VectorGraphics2D
 * (0.13) reports antialiasing off whatever was set and measures text with one fixed context, so a chart recorded by
 * it laid out its text, and so its axes and legend, a fraction of a pixel away from the chart XChart paints on an
 * image; recorded here, the replayed raster is XChart's own, and the SVG has the PNG's layout.
 */
final class RecordingGraphics extends VectorGraphics2D
{
    // A raster graphics starts with antialiasing off and the text hints at their defaults (java.awt.SunGraphics2D).
    private RenderingHints hints = new RenderingHints(Map.of(
        RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF,
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_DEFAULT,
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF));

    @Override
    public void setRenderingHint(final RenderingHints.Key key, final Object value)
    {
        super.setRenderingHint(key, value);
        hints.put(key, value);
    }

    @Override
    public Object getRenderingHint(final RenderingHints.Key key)
    {
        return hints.get(key);
    }

    @Override
    public void setRenderingHints(final Map<?, ?> values)
    {
        super.setRenderingHints(values);
        hints = new RenderingHints(null);
        hints.putAll(values);
    }

    @Override
    public void addRenderingHints(final Map<?, ?> values)
    {
        super.addRenderingHints(values);
        hints.putAll(values);
    }

    @Override
    public RenderingHints getRenderingHints()
    {
        return (RenderingHints)hints.clone();
    }

    /** As a raster's: text antialiased when antialiasing is on and text antialiasing left at its default. */
    @Override
    public FontRenderContext getFontRenderContext()
    {
        Object text = hints.get(RenderingHints.KEY_TEXT_ANTIALIASING);
        if (text == null || text == RenderingHints.VALUE_TEXT_ANTIALIAS_DEFAULT)
        {
            text = hints.get(RenderingHints.KEY_ANTIALIASING) == RenderingHints.VALUE_ANTIALIAS_ON
                ? RenderingHints.VALUE_TEXT_ANTIALIAS_ON : RenderingHints.VALUE_TEXT_ANTIALIAS_DEFAULT;
        }
        final Object fractional = hints.get(RenderingHints.KEY_FRACTIONALMETRICS);
        final AffineTransform t = getTransform();
        // Like the raster's, the context holds the transform without its translation, and none for a translation.
        final AffineTransform tx = (t.getType() & ~AffineTransform.TYPE_TRANSLATION) == 0 ? null
            : new AffineTransform(t.getScaleX(), t.getShearY(), t.getShearX(), t.getScaleY(), 0, 0);
        return new FontRenderContext(tx, text,
            fractional == null ? RenderingHints.VALUE_FRACTIONALMETRICS_DEFAULT : fractional);
    }

    @Override
    public Graphics create()
    {
        final RecordingGraphics g = (RecordingGraphics)super.create();
        g.hints = (RenderingHints)hints.clone();
        return g;
    }
}
