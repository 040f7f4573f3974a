package org.sgdsim.stream;

import java.util.concurrent.CompletableFuture;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs one experiment through the actor pipeline and waits for it: the entry point for commands and tests. */
public final class PipelineRun implements AutoCloseable
{
    private final ActorSystem<RunSupervisor.Command> system;
    private final CompletableFuture<PipelineResult> result = new CompletableFuture<>();

    private PipelineRun(final RunPlan plan, final int generators, final PipelineSinks sinks, final Config pekko)
    {
        this.system = ActorSystem.create(RunSupervisor.create(plan, generators, sinks, result), "sgdsim", pekko);
    }

    /**
     * Starts a run; {@code pekko} overrides (e.g. the {@code pekko} section of the experiment) are layered over
     * sgdsim's actor-system defaults.
     */
    public static PipelineRun start(final RunPlan plan, final int generators, final PipelineSinks sinks,
        final Config pekko)
    {
        if (generators < 1)
        {
            throw new IllegalArgumentException("generators must be ≥ 1");
        }
        final Config config = ActorRuns.config(pekko);
        return new PipelineRun(plan, generators, sinks, config);
    }

    /** Asks the run to drain: the learner stops after its current batch and the summary is written. */
    public void requestStop()
    {
        system.tell(new RunSupervisor.RequestStop());
    }

    /** Waits for the end of the run; a failed stage surfaces as {@link StageFailedException}. */
    public PipelineResult await()
    {
        return ActorRuns.await(result);
    }

    /** Terminates the actor system and waits (up to 10 s) for it. */
    @Override
    public void close()
    {
        ActorRuns.terminate(system);
    }
}
