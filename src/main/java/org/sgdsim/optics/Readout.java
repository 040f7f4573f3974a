package org.sgdsim.optics;

import java.util.Locale;

/** How the optical unit turns camera intensities into a linear projection (dfa-optics.md §2.2). */
public enum Readout
{
    /** The ideal projection A_norm e, 1 frame per vector, no camera or optics error. */
    IDEAL("ideal"),
    /** [I(e⁺+r) − I(e⁻+r)]/2: 2 frames per ternary vector, 1 per binary vector; carries a quadratic term. */
    DIFF2("diff2"),
    /** The exact three-intensity readout: 4 frames per ternary vector, 2 per binary vector. */
    EXACT3("exact3"),
    /** lightonml's simulated linear transform Re(T e), T parts N(0, 1/K); frames counted as for IDEAL. */
    LIGHTONML("lightonml");

    private final String configName;

    Readout(final String configName)
    {
        this.configName = configName;
    }

    /** The name used in configuration files. */
    public String configName()
    {
        return configName;
    }

    /** Parses a configuration name, case-insensitively. */
    public static Readout parse(final String text)
    {
        for (final Readout r : values())
        {
            if (r.configName.equals(text.toLowerCase(Locale.ROOT)))
            {
                return r;
            }
        }
        throw new IllegalArgumentException("expected ideal, diff2, exact3 or lightonml, got '" + text + "'");
    }
}
