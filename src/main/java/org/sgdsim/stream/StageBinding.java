package org.sgdsim.stream;

import java.util.function.Consumer;
import java.util.function.Function;

import org.agrona.concurrent.Agent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;

/**
 * What every stage actor does with the agent it owns, held by each actor rather than inherited: attach the agent to
 * its data-plane thread on start, turn an agent failure into a message to the actor and then a report to the
 * supervisor, detach it on stop ({@link #lifecycle}). Each actor keeps its own protocol and adds its own messages.
 */
final class StageBinding<C>
{
    private final ActorContext<C> context;
    private final Agent agent;
    private final StageThread thread;
    private final int slot;
    private final Consumer<StageFailure> failures;
    private final Runnable release;

    StageBinding(final ActorContext<C> context, final Agent agent, final StageThread thread, final int slot,
        final Consumer<StageFailure> failures)
    {
        this(context, agent, thread, slot, failures, () -> { });
    }

    /** As above, with {@code release} run when the actor stops, before the agent leaves its thread. */
    StageBinding(final ActorContext<C> context, final Agent agent, final StageThread thread, final int slot,
        final Consumer<StageFailure> failures, final Runnable release)
    {
        this.context = context;
        this.agent = agent;
        this.thread = thread;
        this.slot = slot;
        this.failures = failures;
        this.release = release;
    }

    /** Failures reported to a run supervisor. */
    static Consumer<StageFailure> reportingTo(final ActorRef<RunSupervisor.Command> supervisor)
    {
        return failure -> supervisor.tell(new RunSupervisor.StageFailed(failure));
    }

    /**
     * Adds the stage's lifecycle to its actor's receive, which the actor completes with its own messages: its
     * {@code start} message attaches the agent to its thread, its {@code failed} message (sent here when the agent
     * throws, made by {@code failure}) is reported to the supervisor, and PostStop releases and detaches the agent.
     */
    <S extends C, F extends C> ReceiveBuilder<C> lifecycle(final ReceiveBuilder<C> receive, final Class<S> start,
        final Class<F> failed, final Function<Throwable, F> failure, final Function<F, Throwable> error)
    {
        return receive
            .onMessage(start, message ->
            {
                final ActorRef<C> self = context.getSelf();
                thread.attach(slot, agent, thrown -> self.tell(failure.apply(thrown)));
                return Behaviors.same();
            })
            .onMessage(failed, message ->
            {
                failures.accept(new StageFailure(agent.roleName(), error.apply(message)));
                return Behaviors.same();
            })
            .onSignal(PostStop.class, signal ->
            {
                release.run();
                thread.detach(slot);
                return Behaviors.same();
            });
    }
}
