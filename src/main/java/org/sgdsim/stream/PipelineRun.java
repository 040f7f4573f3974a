package org.sgdsim.stream;

import java.util.concurrent.CompletableFuture;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.sgdsim.run.RunPlan;
import org.sgdsim.stream.plane.PipelineResult;
import org.sgdsim.stream.plane.PipelineSinks;

/** Runs one experiment through the actor pipeline and waits for it: the entry point for commands and tests. */
public final class PipelineRun implements AutoCloseable
{
    private final ActorRef<RunSupervisor.Command> root;
    private final CompletableFuture<PipelineResult> result = new CompletableFuture<>();

    private PipelineRun(final RunPlan plan, final int generators, final PipelineSinks sinks, final Config pekko)
    {
        this.root = Engine.spawn(RunSupervisor.create(plan, generators, sinks, result), "run", pekko);
    }

    /**
     * Starts a run in the process's actor system ({@link Engine}); {@code pekko} is the experiment's
     * {@code pekko} section.
     */
    public static PipelineRun start(final RunPlan plan, final int generators, final PipelineSinks sinks,
        final Config pekko)
    {
        if (generators < 1)
        {
            throw new IllegalArgumentException("generators must be ≥ 1");
        }
        return new PipelineRun(plan, generators, sinks, pekko);
    }

    /** Asks the run to drain: the learner stops after its current batch and the summary is written. */
    public void requestStop()
    {
        root.tell(new RunSupervisor.RequestStop());
    }

    /** Waits for the end of the run; a failed stage surfaces as {@link StageFailedException}. */
    public PipelineResult await()
    {
        return Engine.await(result);
    }

    /** A run nobody waited for drains and stops (up to 10 s); after {@link #await} its actors are already gone. */
    @Override
    public void close()
    {
        Engine.abandon(root, new RunSupervisor.RequestStop(), result);
    }
}
