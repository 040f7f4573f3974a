package org.sgdsim.experiment;

import java.nio.file.Path;

import com.typesafe.config.Config;

/** A parsed experiment of either kind: online SGD ({@link ExperimentSpec}) or MLP training with DFA ({@link DfaSpec}). */
public sealed interface Experiment permits ExperimentSpec, DfaSpec
{
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
