package org.sgdsim.experiment.config;

import org.sgdsim.experiment.ExperimentSpec;

/** {@code checkpoint.*}: when to checkpoint (none = never by that measure) and how many checkpoints to keep. */
final class CheckpointSection
{
    private CheckpointSection()
    {
    }

    static ExperimentSpec.Checkpoints read(final ConfigReader r)
    {
        return new ExperimentSpec.Checkpoints(r.optionalCount("checkpoint.every-steps"),
            r.optionalCount("checkpoint.every-seconds"), (int)r.longValue("checkpoint.keep", 1, 1000));
    }
}
