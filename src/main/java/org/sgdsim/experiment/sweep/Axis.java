package org.sgdsim.experiment.sweep;

import java.util.List;

import com.typesafe.config.Config;

/**
 * One grid dimension of a sweep: an experiment key with its values, or a named bundle axis whose values are
 * sets of overrides ({@code variant = [{ name = sgd }, { name = repeats2, training.repeats = 2 }]}).
 *
 * @param key    the experiment key (e.g. {@code training.batch-size}) or the bundle's name (e.g. {@code variant}).
 * @param bundle true when each level is a named set of overrides rather than a value of {@code key}.
 * @param levels the values in file order.
 */
public record Axis(String key, boolean bundle, List<Level> levels)
{
    /** Copies the levels. */
    public Axis
    {
        levels = List.copyOf(levels);
    }

    /**
     * One value of an axis.
     *
     * @param label   how the value is shown in folders, CSV files and legends.
     * @param overlay the experiment keys this value sets.
     */
    public record Level(String label, Config overlay)
    {
    }

    /** The last path element of the key, used in folder names ({@code batch-size} for {@code training.batch-size}). */
    public String shortKey()
    {
        final int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }
}
