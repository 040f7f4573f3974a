package org.sgdsim.optics;

import java.util.Locale;

/** How an input vector becomes binary DMD patterns (dfa-optics.md §2.2). */
public enum Encoding
{
    /** A ternarised error e ∈ {−1, 0, 1}^K split into its binary parts e⁺ and e⁻. */
    TERNARY("ternary"),
    /** A real vector quantised to p bits per sign and sent as 2p binary bit planes (lightonml's encoder). */
    BIT_PLANES("bit-planes");

    private final String configName;

    Encoding(final String configName)
    {
        this.configName = configName;
    }

    /** The name used in configuration files. */
    public String configName()
    {
        return configName;
    }

    /** Parses a configuration name, case-insensitively. */
    public static Encoding parse(final String text)
    {
        for (final Encoding e : values())
        {
            if (e.configName.equals(text.toLowerCase(Locale.ROOT)))
            {
                return e;
            }
        }
        throw new IllegalArgumentException("expected ternary or bit-planes, got '" + text + "'");
    }
}
