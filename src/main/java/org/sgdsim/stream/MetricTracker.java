package org.sgdsim.stream;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.stream.plane.StageThread;
import org.sgdsim.stream.plane.TrackerAgent;

/** The actor owning the metric tracker stage: starts its agent, reports the run's final metrics or its failure. */
final class MetricTracker extends AbstractBehavior<MetricTracker.Command>
{
    /** The tracker's protocol. */
    sealed interface Command permits Start, Finished, AgentFailed
    {
    }

    /** Start tracking. */
    record Start() implements Command
    {
    }

    /** The tracker wrote the final row and collected the last interval. */
    record Finished(TrackerAgent.Outcome outcome) implements Command
    {
    }

    /** The agent threw. */
    record AgentFailed(Throwable error) implements Command
    {
    }

    static Behavior<Command> create(final TrackerAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        return Behaviors.setup(ctx -> new MetricTracker(ctx, agent, thread, supervisor));
    }

    private final StageBinding<Command> stage;
    private final ActorRef<RunSupervisor.Command> supervisor;

    private MetricTracker(final ActorContext<Command> context, final TrackerAgent agent, final StageThread thread,
        final ActorRef<RunSupervisor.Command> supervisor)
    {
        super(context);
        this.supervisor = supervisor;
        this.stage = new StageBinding<>(context, agent, thread, 0, StageBinding.reportingTo(supervisor));
        // Set before Start attaches the agent: its thread is the only one that calls it.
        final ActorRef<Command> self = context.getSelf();
        agent.onFinished(outcome -> self.tell(new Finished(outcome)));
    }

    @Override
    public Receive<Command> createReceive()
    {
        return stage.lifecycle(newReceiveBuilder(), Start.class, AgentFailed.class, AgentFailed::new,
            AgentFailed::error).onMessage(Finished.class, this::onFinished).build();
    }

    private Behavior<Command> onFinished(final Finished finished)
    {
        supervisor.tell(new RunSupervisor.TrackerFinished(finished.outcome()));
        return this;
    }
}
