package org.sgdsim.stream;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.LearnerAgent;
import org.sgdsim.stream.plane.Pipeline;
import org.sgdsim.stream.plane.StageThread;

/** The actor owning the learner stage: starts its agent, relays stop requests, reports how it ended. */
final class Learner extends AbstractBehavior<Learner.Command>
{
    /** The learner's protocol. */
    sealed interface Command permits Start, StopAfterBatch, Finished, AgentFailed
    {
    }

    /** Start learning. */
    record Start() implements Command
    {
    }

    /** Stop after the current batch (Ctrl-C, SIGTERM). */
    record StopAfterBatch() implements Command
    {
    }

    /** The agent reached the end of its run. */
    record Finished(LearnerAgent.Outcome outcome) implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    private final LearnerAgent agent;

    static Behavior<Command> create(final LearnerAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        return Behaviors.setup(ctx -> new Learner(ctx, agent, thread, supervisor));
    }

    private final StageBinding<Command> stage;
    private final ActorRef<RunSupervisor.Command> supervisor;

    private Learner(final ActorContext<Command> context, final LearnerAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        super(context);
        this.supervisor = supervisor;
        this.stage = new StageBinding<>(context, agent, thread, Pipeline.LEARNER_SLOT, StageBinding.reportingTo(supervisor));
        this.agent = agent;
    }

    @Override
    public Receive<Command> createReceive()
    {
        return newReceiveBuilder()
            .onMessage(Start.class, this::onStart)
            .onMessage(StopAfterBatch.class, this::onStopAfterBatch)
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

    private Behavior<Command> onStopAfterBatch(final StopAfterBatch stop)
    {
        agent.requestStop();
        return this;
    }

    private Behavior<Command> onFinished(final Finished finished)
    {
        supervisor.tell(new RunSupervisor.LearnerFinished(finished.outcome()));
        return this;
    }

    private Behavior<Command> onAgentFailed(final AgentFailed failed)
    {
        stage.reportFailure(failed.error());
        return this;
    }

    private Behavior<Command> onPostStop()
    {
        // A learner waiting for a free snapshot must not hold its thread once the run is being torn down.
        agent.abort();
        stage.detach();
        return this;
    }
}
