package org.sgdsim.stream;

import java.util.function.Consumer;
import java.util.function.Function;

import org.agrona.concurrent.Agent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * What every stage actor does with the agent it owns: attach it to its data-plane thread on start, turn an agent
 * failure into a message to itself and then a report to the supervisor, detach it on stop. The stages differ only
 * in their protocols.
 */
abstract class StageActor<C> extends AbstractBehavior<C>
{
    private final Agent agent;
    private final StageThread thread;
    private final int slot;
    private final ActorRef<RunSupervisor.Command> supervisor;
    private final Consumer<StageProtocol.Failure> failures;

    StageActor(final ActorContext<C> context, final Agent agent, final StageThread thread, final int slot,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        super(context);
        this.agent = agent;
        this.thread = thread;
        this.slot = slot;
        this.supervisor = supervisor;
        this.failures = failure -> supervisor.tell(new RunSupervisor.StageFailed(failure));
    }

    /** A stage under another supervisor, which hears of failures through {@code failures}. */
    StageActor(final ActorContext<C> context, final Agent agent, final StageThread thread, final int slot,
        final Consumer<StageProtocol.Failure> failures)
    {
        super(context);
        this.agent = agent;
        this.thread = thread;
        this.slot = slot;
        this.supervisor = null;
        this.failures = failures;
    }

    /** Starts running the agent; its failure comes back to this actor as {@code failed.apply(error)}. */
    final void attach(final Function<Throwable, C> failed)
    {
        final ActorRef<C> self = getContext().getSelf();
        thread.attach(slot, agent, error -> self.tell(failed.apply(error)));
    }

    /** Tells the supervisor this stage failed. */
    final void reportFailure(final Throwable error)
    {
        failures.accept(new StageProtocol.Failure(agent.roleName(), error));
    }

    /** Tells the supervisor something else. */
    final void tellSupervisor(final RunSupervisor.Command message)
    {
        supervisor.tell(message);
    }

    /** Stops running the agent. */
    final void detach()
    {
        thread.detach(slot);
    }
}
