package org.sgdsim.experiment;

import java.nio.file.Path;

import com.typesafe.config.Config;

/**
 * A parsed experiment of any kind: online SGD ({@link ExperimentSpec}), MLP training with DFA ({@link DfaSpec}), or a
 * kind in a package of its own (giant steps, {@code org.sgdsim.giant}); not sealed, so such a package can add one.
 */
public interface Experiment
{
    /** The kind that runs this experiment (the engine dispatches on it, never on the spec's class). */
    RunKind<?, ?> kind();

    /** What a run of this experiment allocates, for {@link Footprint#of}; the online and DFA kinds count theirs there. */
    default java.util.List<Footprint.Part> footprint()
    {
        return java.util.List.of();
    }

    /** The experiment name (it names the run folder). */
    String name();

    /** The run seed: every random stream of the run derives from it. */
    long seed();

    /** Checkpoint intervals and how many to keep. */
    ExperimentSpec.Checkpoints checkpoints();

    /** Parent of the run folders ({@code output.dir}). */
    Path outputDir();

    /** The resolved configuration (every layer and default). */
    Config resolved();

    /** The same experiment with another seed (seed sets). */
    Experiment withSeed(long newSeed);
}
