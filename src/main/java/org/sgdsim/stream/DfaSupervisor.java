package org.sgdsim.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.optics.Projector;
import org.sgdsim.run.DfaPlan;
import org.sgdsim.stream.plane.DfaLearnerAgent;
import org.sgdsim.stream.plane.OpticalUnitAgent;
import org.sgdsim.stream.plane.StageFailedException;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;

/**
 * The root of a DFA run: one or more learners and the optical units they send their errors to, each stage on a
 * thread of its own (a learner and its unit work at the same time). Ends when every learner has finished, or at
 * once when a stage fails; completes the result in its PostStop, after every thread has stopped.
 */
public final class DfaSupervisor extends AbstractBehavior<DfaSupervisor.Command>
{
    /** The supervisor's protocol. */
    public sealed interface Command permits RequestStop, LearnerFinished, StageFailed, ChildStopped
    {
    }

    /** Drain: every learner stops at the end of its current epoch. */
    public record RequestStop() implements Command
    {
    }

    /** A learner ended. */
    record LearnerFinished(DfaLearnerAgent.Outcome outcome) implements Command
    {
    }

    /** A stage's agent failed. */
    record StageFailed(StageFailure failure) implements Command
    {
    }

    /** A stage actor stopped (expected at the end, a failure before it). */
    record ChildStopped(String stage) implements Command
    {
    }

    /** How a run ended: per learner, whether it was interrupted, epochs and steps done, its training time. */
    public record Outcome(String name, boolean interrupted, int epochs, long steps, double trainingSeconds,
        long projectedVectors, double projectionBusySeconds)
    {
    }

    private final SupervisorBinding<Command> run = new SupervisorBinding<>();
    private final CompletableFuture<List<Outcome>> result;
    private final OpticalUnitAgent[] units;
    private final int[] unitOf;
    private final DfaLearnerAgent.Outcome[] outcomes;
    private int finishedCount;

    /**
     * @param plans    one per learner.
     * @param units    the projectors, one per optical unit.
     * @param unitOf   for each learner, the index of its unit, or −1 for rules that do not project.
     * @param result   completes with one outcome per learner once every thread has stopped.
     */
    public static Behavior<Command> create(final List<DfaPlan> plans, final List<Projector> units, final int[] unitOf,
        final CompletableFuture<List<Outcome>> result)
    {
        return Behaviors.setup(ctx -> new DfaSupervisor(ctx, plans, units, unitOf, result));
    }

    private DfaSupervisor(final ActorContext<Command> context, final List<DfaPlan> plans, final List<Projector> units,
        final int[] unitOf, final CompletableFuture<List<Outcome>> result)
    {
        super(context);
        this.result = result;
        this.unitOf = unitOf.clone();
        this.outcomes = new DfaLearnerAgent.Outcome[plans.size()];
        final ActorRef<Command> self = context.getSelf();
        this.units = new OpticalUnitAgent[units.size()];
        final int[] slots = new int[units.size()];
        for (final int u : unitOf)
        {
            if (u >= 0)
            {
                slots[u]++;
            }
        }
        for (int u = 0; u < units.size(); u++)
        {
            this.units[u] = new OpticalUnitAgent(units.get(u), slots[u]);
            final StageThread thread = thread("optical-unit-" + u);
            final String name = "optical-unit-" + u;
            final ActorRef<OpticalUnit.Command> unit = context.spawn(OpticalUnit.create(this.units[u], thread,
                failure -> self.tell(new StageFailed(failure))), name);
            context.watchWith(unit, new ChildStopped(name));
            unit.tell(new OpticalUnit.Start());
        }
        final int[] nextSlot = new int[units.size()];
        final List<ActorRef<Learner.Command>> learners = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++)
        {
            final int u = unitOf[i];
            final DfaLearnerAgent agent = new DfaLearnerAgent(i, plans.get(i), u >= 0 ? this.units[u] : null,
                u >= 0 ? nextSlot[u]++ : -1);
            final String name = "dfa-learner-" + i;
            final ActorRef<Learner.Command> learner = context.spawn(Learner.create(agent, thread(name), 0,
                failure -> self.tell(new StageFailed(failure)), outcome -> self.tell(new LearnerFinished(outcome))),
                name);
            context.watchWith(learner, new ChildStopped(name));
            learners.add(run.learner(learner));
        }
        for (final ActorRef<Learner.Command> learner : learners)
        {
            learner.tell(new Learner.Start());
        }
    }

    private StageThread thread(final String name)
    {
        // A learner waiting for its projection backs off to short parks: the unit answers within microseconds to
        // milliseconds, and on 2 cores a spinning waiter would take the unit's core.
        return run.start(name, 1, new BackoffIdleStrategy(10, 10, 1_000, 100_000));
    }

    @Override
    public Receive<Command> createReceive()
    {
        return run.lifecycle(newReceiveBuilder(), RequestStop.class, StageFailed.class, StageFailed::failure,
                ChildStopped.class, ChildStopped::stage, result, this::complete)
            .onMessage(LearnerFinished.class, this::onLearnerFinished)
            .build();
    }

    private Behavior<Command> onLearnerFinished(final LearnerFinished finished)
    {
        final int i = finished.outcome().learner();
        if (outcomes[i] == null)
        {
            outcomes[i] = finished.outcome();
            finishedCount++;
        }
        return finishedCount == outcomes.length ? run.end() : this;
    }

    /** Every thread stopped without a stage failing: one outcome per learner, or a failure if one stopped early. */
    private void complete()
    {
        if (finishedCount < outcomes.length)
        {
            result.completeExceptionally(new StageFailedException("the run stopped before it finished", null));
            return;
        }
        final List<Outcome> list = new ArrayList<>();
        for (final DfaLearnerAgent.Outcome o : outcomes)
        {
            list.add(new Outcome(o.name(), o.interrupted(), o.epochs(), o.steps(), o.trainingSeconds(), 0, 0.0));
        }
        // Per-unit counters go to the learners of that unit (shared units report the same totals).
        for (int i = 0; i < list.size(); i++)
        {
            final int u = unitOf[i];
            if (u >= 0)
            {
                final Outcome o = list.get(i);
                list.set(i, new Outcome(o.name(), o.interrupted(), o.epochs(), o.steps(), o.trainingSeconds(),
                    units[u].vectors(), units[u].busyNs() * 1e-9));
            }
        }
        result.complete(list);
    }
}
