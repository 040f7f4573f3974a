package org.sgdsim.metrics.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayDeque;
import java.util.Deque;

import de.erichseifert.vectorgraphics2d.intermediate.CommandSequence;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.CreateCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DisposeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawImageCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawStringCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.FillShapeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.RotateCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.ScaleCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetBackgroundCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetClipCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetColorCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetCompositeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetFontCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetHintCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetPaintCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetStrokeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetTransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetXORModeCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.ShearCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.TransformCommand;
import de.erichseifert.vectorgraphics2d.intermediate.commands.TranslateCommand;

/**
 * Paints recorded drawing commands onto a Java2D surface, call for call as they were made, so the raster is the one the
 * recorded painter would have drawn there itself; antialiasing excepted, which the caller sets (see {@link #apply}).
 * Graphics created while recording nest (created, used, disposed), as in the recording, which does not say which
 * graphics made a command.
 */
final class CommandReplay
{
    private CommandReplay()
    {
    }

    /** Replays {@code commands} onto {@code target}, which ends in the state the recording ended in. */
    static void paint(final CommandSequence commands, final Graphics2D target)
    {
        final Deque<Graphics2D> created = new ArrayDeque<>();
        Graphics2D g = target;
        for (final Command<?> c : commands)
        {
            if (c instanceof CreateCommand)
            {
                created.push(g);
                g = (Graphics2D)g.create();
            }
            else if (c instanceof DisposeCommand)
            {
                // Disposing the recording's own graphics ends nothing here: the caller owns the target.
                if (!created.isEmpty())
                {
                    g.dispose();
                    g = created.pop();
                }
            }
            else
            {
                apply(c, g);
            }
        }
        while (!created.isEmpty())
        {
            g.dispose();
            g = created.pop();
        }
    }

    private static void apply(final Command<?> c, final Graphics2D g)
    {
        if (c instanceof DrawShapeCommand d)
        {
            g.draw(d.getValue());
        }
        else if (c instanceof FillShapeCommand f)
        {
            g.fill(f.getValue());
        }
        else if (c instanceof SetColorCommand s)
        {
            g.setColor(s.getValue());
        }
        else if (c instanceof SetPaintCommand p)
        {
            g.setPaint(p.getValue());
        }
        else if (c instanceof SetStrokeCommand s)
        {
            g.setStroke(s.getValue());
        }
        else if (c instanceof SetTransformCommand t)
        {
            g.setTransform(t.getValue());
        }
        else if (c instanceof TranslateCommand t)
        {
            g.translate(t.getDeltaX(), t.getDeltaY());
        }
        else if (c instanceof ScaleCommand t)
        {
            g.scale(t.getScaleX(), t.getScaleY());
        }
        else if (c instanceof RotateCommand t)
        {
            g.rotate(t.getTheta(), t.getCenterX(), t.getCenterY());
        }
        else if (c instanceof ShearCommand t)
        {
            g.shear(t.getShearX(), t.getShearY());
        }
        else if (c instanceof TransformCommand t)
        {
            g.transform(t.getTransform());
        }
        else if (c instanceof SetClipCommand clip)
        {
            g.setClip(clip.getValue());
        }
        else if (c instanceof SetHintCommand h)
        {
            // VectorGraphics2D (0.13) never updates the hints it reports, so a painter's "restore the old value"
            // records its default: XChart's restores of antialiasing read "off". Antialiasing is the caller's.
            if (h.getKey() != RenderingHints.KEY_ANTIALIASING)
            {
                g.setRenderingHint((RenderingHints.Key)h.getKey(), h.getValue());
            }
        }
        else if (c instanceof SetFontCommand f)
        {
            g.setFont(f.getValue());
        }
        else if (c instanceof SetBackgroundCommand b)
        {
            g.setBackground(b.getValue());
        }
        else if (c instanceof SetCompositeCommand comp)
        {
            g.setComposite(comp.getValue());
        }
        else if (c instanceof SetXORModeCommand x)
        {
            if (x.getValue() == null)
            {
                g.setPaintMode();
            }
            else
            {
                g.setXORMode(x.getValue());
            }
        }
        else if (c instanceof DrawStringCommand s)
        {
            g.drawString(s.getValue(), (float)s.getX(), (float)s.getY());
        }
        else if (c instanceof DrawImageCommand i)
        {
            g.drawImage(i.getValue(), (int)i.getX(), (int)i.getY(), (int)i.getWidth(), (int)i.getHeight(), null);
        }
        else
        {
            throw new IllegalStateException("cannot replay a " + c.getClass().getSimpleName());
        }
    }
}
