package org.sgdsim.stream;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.BatcherAgent;
import org.sgdsim.stream.plane.Pipeline;
import org.sgdsim.stream.plane.StageThread;

/** The actor owning the batcher stage: starts its agent, reports its failure, stops it. */
final class Batcher extends AbstractBehavior<Batcher.Command>
{
    /** The batcher's protocol. */
    sealed interface Command permits Start, AgentFailed
    {
    }

    /** Start cutting batches. */
    record Start() implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    static Behavior<Command> create(final BatcherAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        return Behaviors.setup(ctx -> new Batcher(ctx, agent, thread, supervisor));
    }

    private final StageBinding<Command> stage;

    private Batcher(final ActorContext<Command> context, final BatcherAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        super(context);
        this.stage = new StageBinding<>(context, agent, thread, Pipeline.BATCHER_SLOT, StageBinding.reportingTo(supervisor));
    }

    @Override
    public Receive<Command> createReceive()
    {
        return stage.lifecycle(newReceiveBuilder(), Start.class, AgentFailed.class, AgentFailed::new,
            AgentFailed::error).build();
    }
}
