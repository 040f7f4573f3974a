package org.sgdsim.stream;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The actor owning the batcher stage: starts its agent, reports its failure, closes it on stop. */
final class Batcher extends AbstractBehavior<Batcher.Command>
{
    private static final int SLOT = Pipeline.BATCHER_SLOT;

    /** The batcher's protocol. */
    sealed interface Command permits Start, AgentFailed
    {
    }

    /** Start cutting batches. */
    record Start() implements Command
    {
    }

    /** The agent thread threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    private final BatcherAgent agent;
    private final ActorRef<RunSupervisor.Command> supervisor;
    private final StageThread thread;

    static Behavior<Command> create(final BatcherAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        return Behaviors.setup(ctx -> new Batcher(ctx, agent, thread, supervisor));
    }

    private Batcher(final ActorContext<Command> context, final BatcherAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        super(context);
        this.agent = agent;
        this.thread = thread;
        this.supervisor = supervisor;
    }

    @Override
    public Receive<Command> createReceive()
    {
        return newReceiveBuilder()
            .onMessage(Start.class, this::onStart)
            .onMessage(AgentFailed.class, this::onAgentFailed)
            .onSignal(PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onStart(final Start start)
    {
        final ActorRef<Command> self = getContext().getSelf();
        thread.attach(SLOT, agent, e -> self.tell(new AgentFailed(e)));
        return this;
    }

    private Behavior<Command> onAgentFailed(final AgentFailed failed)
    {
        supervisor.tell(new RunSupervisor.StageFailed(new StageProtocol.Failure(agent.roleName(), failed.error())));
        return this;
    }

    private Behavior<Command> onPostStop()
    {
        thread.detach(SLOT);
        return this;
    }
}
