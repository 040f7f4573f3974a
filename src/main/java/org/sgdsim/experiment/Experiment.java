package org.sgdsim.experiment;

import java.nio.file.Path;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

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

    /** Name, seed, output folder and resolved configuration. */
    Identity identity();

    /** The experiment name (it names the run folder). */
    default String name()
    {
        return identity().name();
    }

    /** The run seed: every random stream of the run derives from it. */
    default long seed()
    {
        return identity().seed();
    }

    /** Checkpoint intervals and how many to keep. */
    ExperimentSpec.Checkpoints checkpoints();

    /** Parent of the run folders ({@code output.dir}). */
    default Path outputDir()
    {
        return identity().outputDir();
    }

    /** The resolved configuration (every layer and default). */
    default Config resolved()
    {
        return identity().resolved();
    }

    /** The same experiment with another seed (seed sets). */
    Experiment withSeed(long newSeed);

    /** What seeds.json records of the experiment after its name and kind (DFA: its rule). */
    default Map<String, Object> seedSetFields()
    {
        return Map.of();
    }

    /**
     * What names a run and reproduces it, the same for every run kind.
     *
     * @param name      the experiment name (it names the run folder).
     * @param seed      the run seed: every random stream of the run derives from it.
     * @param outputDir parent of the run folders ({@code output.dir}).
     * @param resolved  the resolved configuration (every layer and default).
     */
    record Identity(String name, long seed, Path outputDir, Config resolved)
    {
        /** The same identity with another seed, in the resolved configuration too. */
        public Identity withSeed(final long newSeed)
        {
            return new Identity(name, newSeed, outputDir,
                resolved.withValue("experiment.seed", ConfigValueFactory.fromAnyRef(newSeed)));
        }
    }
}
