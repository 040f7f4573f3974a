package org.sgdsim.stream;

import java.util.function.Consumer;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.DfaLearnerAgent;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;

/** The actor owning one DFA learner stage: starts its agent, relays stop requests, reports how it ended. */
final class DfaLearner extends AbstractBehavior<DfaLearner.Command>
{
    /** The DFA learner's protocol. */
    sealed interface Command permits Start, StopAfterEpoch, Finished, AgentFailed
    {
    }

    /** Start training. */
    record Start() implements Command
    {
    }

    /** Stop at the end of the current epoch (Ctrl-C, SIGTERM). */
    record StopAfterEpoch() implements Command
    {
    }

    /** The agent ended its training. */
    record Finished(DfaLearnerAgent.Outcome outcome) implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    private final DfaLearnerAgent agent;
    private final ActorRef<DfaSupervisor.Command> supervisor;

    static Behavior<Command> create(final DfaLearnerAgent agent, final StageThread thread,
        final ActorRef<DfaSupervisor.Command> supervisor, final Consumer<StageFailure> failures)
    {
        return Behaviors.setup(ctx -> new DfaLearner(ctx, agent, thread, supervisor, failures));
    }

    private final StageBinding<Command> stage;

    private DfaLearner(final ActorContext<Command> context, final DfaLearnerAgent agent, final StageThread thread,
        final ActorRef<DfaSupervisor.Command> supervisor, final Consumer<StageFailure> failures)
    {
        super(context);
        this.stage = new StageBinding<>(context, agent, thread, 0, failures);
        this.agent = agent;
        this.supervisor = supervisor;
    }

    @Override
    public Receive<Command> createReceive()
    {
        return newReceiveBuilder()
            .onMessage(Start.class, this::onStart)
            .onMessage(StopAfterEpoch.class, this::onStopAfterEpoch)
            .onMessage(Finished.class, this::onFinished)
            .onMessage(AgentFailed.class, this::onAgentFailed)
            .onSignal(PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onStart(final Start start)
    {
        final ActorRef<Command> self = getContext().getSelf();
        agent.onFinished(outcome -> self.tell(new Finished(outcome)));
        stage.attach(AgentFailed::new);
        return this;
    }

    private Behavior<Command> onStopAfterEpoch(final StopAfterEpoch stop)
    {
        agent.requestStop();
        return this;
    }

    private Behavior<Command> onFinished(final Finished finished)
    {
        supervisor.tell(new DfaSupervisor.LearnerFinished(finished.outcome()));
        return this;
    }

    private Behavior<Command> onAgentFailed(final AgentFailed failed)
    {
        stage.reportFailure(failed.error());
        return this;
    }

    private Behavior<Command> onPostStop()
    {
        stage.detach();
        return this;
    }
}
