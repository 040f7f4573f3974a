package org.sgdsim.experiment.config;

/** {@code pipeline.generators}: how many sample generators the pipeline runs. */
final class PipelineSection
{
    private PipelineSection()
    {
    }

    static int generators(final ConfigReader r)
    {
        final String key = "pipeline.generators";
        if (r.isWord(key, "auto"))
        {
            // One generator per core: cores − 1 on threads of their own, one sharing the learner's thread
            // and filling its idle time (they claim blocks dynamically).
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        return (int)r.longValue(key, 1, 256);
    }
}
