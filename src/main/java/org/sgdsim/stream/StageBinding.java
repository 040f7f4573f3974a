package org.sgdsim.stream;

import java.util.function.Consumer;
import java.util.function.Function;

import org.agrona.concurrent.Agent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;

/**
 * What every stage actor does with the agent it owns, held by each actor rather than inherited: attach the agent to
 * its data-plane thread on start, turn an agent failure into a message to the actor and then a report to the
 * supervisor, detach it on stop. The stages differ only in their protocols.
 */
final class StageBinding<C>
{
    private final ActorContext<C> context;
    private final Agent agent;
    private final StageThread thread;
    private final int slot;
    private final Consumer<StageFailure> failures;

    StageBinding(final ActorContext<C> context, final Agent agent, final StageThread thread, final int slot,
        final Consumer<StageFailure> failures)
    {
        this.context = context;
        this.agent = agent;
        this.thread = thread;
        this.slot = slot;
        this.failures = failures;
    }

    /** Failures reported to a run supervisor. */
    static Consumer<StageFailure> reportingTo(final ActorRef<RunSupervisor.Command> supervisor)
    {
        return failure -> supervisor.tell(new RunSupervisor.StageFailed(failure));
    }

    /** Starts running the agent; its failure comes back to the actor as {@code failed.apply(error)}. */
    void attach(final Function<Throwable, C> failed)
    {
        final ActorRef<C> self = context.getSelf();
        thread.attach(slot, agent, error -> self.tell(failed.apply(error)));
    }

    /** Tells the supervisor this stage failed. */
    void reportFailure(final Throwable error)
    {
        failures.accept(new StageFailure(agent.roleName(), error));
    }

    /** Stops running the agent. */
    void detach()
    {
        thread.detach(slot);
    }
}
