package org.sgdsim.stream;

import java.util.function.Consumer;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.LearnerStage;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;

/**
 * The actor owning a learner stage (online SGD's learner, or one of a DFA run's): starts its agent, relays stop
 * requests, reports how it ended.
 *
 * @param <O> the agent's outcome, handed to the supervisor's callback.
 */
final class Learner<O> extends AbstractBehavior<Learner.Command>
{
    /** The learner's protocol. */
    sealed interface Command permits Start, Stop, Finished, AgentFailed
    {
    }

    /** Start learning. */
    record Start() implements Command
    {
    }

    /** Stop at the agent's next checkpoint boundary: after the batch, or the epoch (Ctrl-C, SIGTERM). */
    record Stop() implements Command
    {
    }

    /** The agent reached the end of its run. */
    record Finished(Object outcome) implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    private final LearnerStage<O> agent;
    private final StageBinding<Command> stage;
    private final Consumer<O> finished;

    /**
     * @param agent    the learner agent.
     * @param thread   the stage thread it runs on.
     * @param slot     its slot on that thread.
     * @param failures where a failure of the agent is reported.
     * @param finished where its outcome goes (a message to the supervisor).
     */
    static <O> Behavior<Command> create(final LearnerStage<O> agent, final StageThread thread, final int slot,
        final Consumer<StageFailure> failures, final Consumer<O> finished)
    {
        return Behaviors.setup(ctx -> new Learner<>(ctx, agent, thread, slot, failures, finished));
    }

    private Learner(final ActorContext<Command> context, final LearnerStage<O> agent, final StageThread thread,
        final int slot, final Consumer<StageFailure> failures, final Consumer<O> finished)
    {
        super(context);
        this.agent = agent;
        // A learner waiting on its downstream must not hold its thread once the run is being torn down.
        this.stage = new StageBinding<>(context, agent, thread, slot, failures, agent::abort);
        this.finished = finished;
        // Set before Start attaches the agent: its thread is the only one that calls it.
        final org.apache.pekko.actor.typed.ActorRef<Command> self = context.getSelf();
        agent.onFinished(outcome -> self.tell(new Finished(outcome)));
    }

    @Override
    public Receive<Command> createReceive()
    {
        return stage.lifecycle(newReceiveBuilder(), Start.class, AgentFailed.class, AgentFailed::new,
            AgentFailed::error).onMessage(Stop.class, this::onStop).onMessage(Finished.class, this::onFinished)
            .build();
    }

    private Behavior<Command> onStop(final Stop stop)
    {
        agent.requestStop();
        return this;
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> onFinished(final Finished message)
    {
        // The only Finished this actor receives carries its own agent's outcome (set in the constructor).
        finished.accept((O)message.outcome());
        return this;
    }
}
