package org.sgdsim.experiment;

import java.nio.file.Path;
import java.util.Map;

import com.typesafe.config.Config;

/**
 * A parsed experiment of any run kind: online SGD ({@link ExperimentSpec}), MLP training with DFA, giant steps, … Each
 * names the {@link RunKind} that runs it, so a kind in a package of its own needs no change in the engine.
 */
public interface Experiment
{
    /** The kind that runs this experiment (the engine dispatches on it, never on the spec's class). */
    RunKind<?, ?> kind();

    /** What a run of this experiment allocates, for {@link Footprint#of} (the memory check before a run starts). */
    java.util.List<Footprint.Part> footprint();

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

    /** What seeds.json records of the experiment after its name and kind (DFA: its rule). */
    default Map<String, Object> seedSetFields()
    {
        return Map.of();
    }
}
