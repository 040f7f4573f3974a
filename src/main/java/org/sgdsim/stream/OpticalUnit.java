package org.sgdsim.stream;

import java.util.function.Consumer;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.OpticalUnitAgent;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;

/**
 * The actor owning the optical unit stage (DESIGN.md: Learner ⇄ OpticalUnit): starts its agent on its own thread,
 * so projections run beside the learners' work, and reports a failure. Several learners may share it.
 */
final class OpticalUnit extends AbstractBehavior<OpticalUnit.Command>
{
    /** The optical unit's protocol. */
    sealed interface Command permits Start, AgentFailed
    {
    }

    /** Start serving projection requests. */
    record Start() implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    static Behavior<Command> create(final OpticalUnitAgent agent, final StageThread thread,
        final Consumer<StageFailure> failures)
    {
        return Behaviors.setup(ctx -> new OpticalUnit(ctx, agent, thread, failures));
    }

    private final StageBinding<Command> stage;

    private OpticalUnit(final ActorContext<Command> context, final OpticalUnitAgent agent, final StageThread thread,
        final Consumer<StageFailure> failures)
    {
        super(context);
        this.stage = new StageBinding<>(context, agent, thread, 0, failures);
    }

    @Override
    public Receive<Command> createReceive()
    {
        return stage.lifecycle(newReceiveBuilder(), Start.class, AgentFailed.class, AgentFailed::new,
            AgentFailed::error).build();
    }
}
