package org.sgdsim.model;

import java.util.Locale;

/**
 * What the simulated rule does to each student row after a step (online-sgd.md §2.3), as the theory sees it;
 * shared by the update rules (train) and the theory, which both may use model.
 */
public enum RowNormalization
{
    /** No constraint: ‖w_j‖ is free and Q_jj evolves. */
    NONE,
    /** w_j ← w_j/‖w_j‖ after the step: Q_jj ≡ 1. */
    PROJECTED,
    /** Tangent step, then renormalisation: Q_jj ≡ 1; the same limit as {@link #PROJECTED} (§2.6). */
    SPHERICAL;

    /** True when the rows are kept at unit norm. */
    public boolean unitRows()
    {
        return this != NONE;
    }

    /** The config name (none, projected, spherical). */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses none, projected or spherical. */
    public static RowNormalization parse(final String name)
    {
        for (final RowNormalization n : values())
        {
            if (n.configName().equals(name))
            {
                return n;
            }
        }
        throw new IllegalArgumentException("expected none, projected or spherical, got '" + name + "'");
    }
}
