package org.sgdsim.experiment;

/** The sgdsim version, from the jar manifest (or "dev" when run from classes). */
public final class Version
{
    private Version()
    {
    }

    /** Implementation-Version of the jar, or "dev". */
    public static String get()
    {
        final String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
