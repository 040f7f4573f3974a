package org.sgdsim.experiment.config;

/** {@code experiment.*}: the run's name (it names the run folder) and seed; the kind is the loader's. */
final class ExperimentSection
{
    private ExperimentSection()
    {
    }

    static String name(final ConfigReader r)
    {
        final String name = r.string("experiment.name");
        if (!name.matches("[A-Za-z0-9._-]+"))
        {
            throw r.error("experiment.name", "letters, digits, '.', '_' or '-' only (it names the run folder)", name);
        }
        return name;
    }

    static long seed(final ConfigReader r)
    {
        return r.longValue("experiment.seed", Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
