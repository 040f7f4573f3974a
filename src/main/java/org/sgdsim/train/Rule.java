package org.sgdsim.train;

import java.util.Locale;

/** The training rule (online-sgd.md §2.3–§2.5). */
public enum Rule
{
    /** Mini-batch SGD, optionally with several gradient steps per batch ({@code repeats}). */
    SGD,
    /** Displaced-gradient SGD ("EgD", Repetita iuvant, §2.4): the gradient is taken at W + ρ·g(W). */
    DISPLACED,
    /** Full-batch gradient descent on a fixed dataset (§2.5): every step uses every sample. */
    GD;

    /** The config name. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses sgd, displaced or gd. */
    public static Rule parse(final String name)
    {
        for (final Rule r : values())
        {
            if (r.configName().equals(name))
            {
                return r;
            }
        }
        throw new IllegalArgumentException("expected sgd, displaced or gd, got '" + name + "'");
    }
}
