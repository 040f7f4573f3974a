package org.sgdsim.train;

import java.util.Locale;

/** What happens to each student row after a gradient step (online-sgd.md §2.3). */
public enum Normalization
{
    /** No constraint: ‖w_j‖ is free. */
    NONE,
    /** w_j ← w_j/‖w_j‖ after the step. */
    PROJECTED,
    /** The step is first projected on the tangent plane of w_j, then w_j is renormalised. */
    SPHERICAL;

    /** The config name. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses none, projected or spherical. */
    public static Normalization parse(final String name)
    {
        for (final Normalization n : values())
        {
            if (n.configName().equals(name))
            {
                return n;
            }
        }
        throw new IllegalArgumentException("expected none, projected or spherical, got '" + name + "'");
    }
}
