package org.sgdsim.optics;

import java.util.Locale;

/** How the reconstructed projection is divided by the reference amplitude (dfa-optics.md §2.2–§2.3). */
public enum ReferenceNormalisation
{
    /** All pixels divided by rms |Tr|: A fixed with a Rayleigh row scale (entry variance 1/2, kurtosis 6). */
    GLOBAL("global"),
    /** Pixel i divided by |Tr|_i: entries exactly N(0, 1/2), noise amplified in dark speckle grains. */
    PER_PIXEL("per-pixel");

    private final String configName;

    ReferenceNormalisation(final String configName)
    {
        this.configName = configName;
    }

    /** The name used in configuration files. */
    public String configName()
    {
        return configName;
    }

    /** Parses a configuration name, case-insensitively. */
    public static ReferenceNormalisation parse(final String text)
    {
        for (final ReferenceNormalisation n : values())
        {
            if (n.configName.equals(text.toLowerCase(Locale.ROOT)))
            {
                return n;
            }
        }
        throw new IllegalArgumentException("expected global or per-pixel, got '" + text + "'");
    }
}
