package org.sgdsim.stream;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The actor owning one generator stage: starts its agent, reports its failure, closes it on stop. */
final class DataGenerator extends AbstractBehavior<DataGenerator.Command>
{
    private static final int SLOT = 0;

    /** The generator's protocol. */
    sealed interface Command permits Start, AgentFailed
    {
    }

    /** Start generating. */
    record Start() implements Command
    {
    }

    /** The agent thread threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    private final GeneratorAgent agent;
    private final ActorRef<RunSupervisor.Command> supervisor;
    private final StageThread thread;

    static Behavior<Command> create(final GeneratorAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        return Behaviors.setup(ctx -> new DataGenerator(ctx, agent, thread, supervisor));
    }

    private DataGenerator(final ActorContext<Command> context, final GeneratorAgent agent, final StageThread thread,
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
