package org.sgdsim.stream;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.GeneratorAgent;
import org.sgdsim.stream.plane.StageThread;

/** The actor owning one generator stage: starts its agent, reports its failure, stops it. */
final class DataGenerator extends AbstractBehavior<DataGenerator.Command>
{
    /** The generator's protocol. */
    sealed interface Command permits Start, AgentFailed
    {
    }

    /** Start generating. */
    record Start() implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    /** A generator running in {@code slot} of {@code thread} (its own thread, or a shared one). */
    static Behavior<Command> create(final GeneratorAgent agent, final StageThread thread, final int slot,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        return Behaviors.setup(ctx -> new DataGenerator(ctx, agent, thread, slot, supervisor));
    }

    private final StageBinding<Command> stage;

    private DataGenerator(final ActorContext<Command> context, final GeneratorAgent agent, final StageThread thread,
        final int slot, final ActorRef<RunSupervisor.Command> supervisor)
    {
        super(context);
        this.stage = new StageBinding<>(context, agent, thread, slot, StageBinding.reportingTo(supervisor));
    }

    @Override
    public Receive<Command> createReceive()
    {
        return stage.lifecycle(newReceiveBuilder(), Start.class, AgentFailed.class, AgentFailed::new,
            AgentFailed::error).build();
    }
}
