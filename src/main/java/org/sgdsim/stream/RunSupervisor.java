package org.sgdsim.stream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.run.RunPlan;
import org.sgdsim.stream.plane.LearnerAgent;
import org.sgdsim.stream.plane.Pipeline;
import org.sgdsim.stream.plane.PipelineResult;
import org.sgdsim.stream.plane.PipelineSinks;
import org.sgdsim.stream.plane.StageFailedException;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;
import org.sgdsim.stream.plane.TrackerAgent;

/**
 * The root of one run: wires the data plane, spawns and starts every stage actor, relays stop requests, and ends
 * the run when both the learner and the metric tracker are done — or at once when any stage fails. It completes
 * the result only in its PostStop, after every child (and so every agent thread) has stopped, so whoever waits
 * on the result may safely close the run's files.
 */
public final class RunSupervisor extends AbstractBehavior<RunSupervisor.Command>
{
    /** The supervisor's protocol. */
    public sealed interface Command permits RequestStop, StageFailed, LearnerFinished, TrackerFinished, ChildStopped
    {
    }

    /** Drain: stop after the current batch and write the summary (Ctrl-C, SIGTERM). */
    public record RequestStop() implements Command
    {
    }

    /** A stage's agent failed. */
    record StageFailed(StageFailure failure) implements Command
    {
    }

    /** The learner ended its run. */
    record LearnerFinished(LearnerAgent.Outcome outcome) implements Command
    {
    }

    /** The tracker wrote everything. */
    record TrackerFinished(TrackerAgent.Outcome outcome) implements Command
    {
    }

    /** A stage actor stopped (expected at the end, a failure before it). */
    record ChildStopped(String stage) implements Command
    {
    }

    private final SupervisorBinding<Command> run = new SupervisorBinding<>();
    private final CompletableFuture<PipelineResult> result;
    private LearnerAgent.Outcome learnerOutcome;
    private TrackerAgent.Outcome trackerOutcome;
    private final long startNs;

    /**
     * A supervisor running {@code plan} with {@code generators} generator stages; {@code result} completes when
     * the run has ended and every stage thread has stopped.
     */
    public static Behavior<Command> create(final RunPlan plan, final int generators, final PipelineSinks sinks,
        final CompletableFuture<PipelineResult> result)
    {
        return Behaviors.setup(ctx -> new RunSupervisor(ctx, plan, generators, sinks, result));
    }

    private RunSupervisor(final ActorContext<Command> context, final RunPlan plan, final int generatorCount,
        final PipelineSinks sinks, final CompletableFuture<PipelineResult> result)
    {
        super(context);
        this.result = result;
        this.startNs = System.nanoTime();
        final Pipeline pipeline = Pipeline.build(plan, generatorCount, sinks, startNs);
        final ActorRef<Command> self = context.getSelf();

        // Threads: one per generator, one shared by the batcher and the learner, one for the tracker. The tracker
        // parks for up to 10 ms: on 2 cores each wake of a third thread preempts a stage (quick-start model at
        // d = 1000, 12 alternated pairs against parking for up to 1 ms: faster in 9, median -0.2 s of 12-14 s); the
        // learner wakes it for the last row and when half the rows' pool is waiting.
        final StageThread trackerThread =
            run.start("metric-tracker", 1, new BackoffIdleStrategy(1, 1, 10_000, 10_000_000));
        pipeline.learner.wakeTrackerWith(trackerThread::wake);
        // Generators beyond cores − 1 would only preempt each other: they share the learner's thread instead.
        final int dedicated = Pipeline.dedicated(generatorCount);
        // Low-rank steps are a round trip every ~0.5 ms (map posted, pieces reduced, sums back): a thread that
        // parks for up to 100–200 µs while waiting for its half would stall every step, so those threads yield
        // for about a millisecond before they park, and park briefly.
        final boolean roundTrips = Pipeline.reducedByGenerators(plan);
        final StageThread learnerThread = run.start("learner", 2 + generatorCount - dedicated, roundTrips
            ? new BackoffIdleStrategy(100, 1_000, 1_000, 20_000) : new BackoffIdleStrategy(1, 10, 1_000, 200_000));

        final ActorRef<MetricTracker.Command> tracker =
            context.spawn(MetricTracker.create(pipeline.tracker, trackerThread, self), "metric-tracker");
        context.watchWith(tracker, new ChildStopped("metric-tracker"));
        final ActorRef<Learner.Command> learner = run.learner(context.spawn(Learner.create(pipeline.learner,
            learnerThread, Pipeline.LEARNER_SLOT, StageBinding.reportingTo(self),
            outcome -> self.tell(new LearnerFinished(outcome))), "learner"));
        context.watchWith(learner, new ChildStopped("learner"));
        final ActorRef<Batcher.Command> batcher =
            context.spawn(Batcher.create(pipeline.batcher, learnerThread, self), "batcher");
        context.watchWith(batcher, new ChildStopped("batcher"));

        tracker.tell(new MetricTracker.Start());
        learner.tell(new Learner.Start());
        batcher.tell(new Batcher.Start());
        for (int g = 0; g < generatorCount; g++)
        {
            final String name = pipeline.generators[g].roleName();
            final boolean own = g < dedicated;
            final StageThread generatorThread = own
                ? run.start(name, 1, roundTrips ? new BackoffIdleStrategy(100, 1_000, 1_000, 20_000)
                    : new BackoffIdleStrategy(1, 10, 1_000, 100_000)) : learnerThread;
            final int slot = own ? 0 : Pipeline.LEARNER_SLOT + 1 + g - dedicated;
            if (!own && !roundTrips && plan.samples().batchSize() < Pipeline.EAGER_HELP_BATCH)
            {
                // A learner taking a few samples a step pays the forward pass, the update and the projection over
                // all of W for each of them: it is the bottleneck, so the generator on its thread only fills its idle
                // time (quick-start model at d = 1000: 1.42x the reference loop against 0.92x claiming eagerly).
                // With larger batches the learner's share per sample drops below the generation's, and that
                // generator claims blocks like the others (bench, alternating: n_b = 1024 at 698k and 684k samples/s
                // eager against 703k and 518k helping only when idle; n_b = 32 at 698k, 685k against 676k, 537k).
                pipeline.generators[g].helpOnlyWhen(() -> pipeline.learnerStarved(dedicated));
            }
            final ActorRef<DataGenerator.Command> generator =
                context.spawn(DataGenerator.create(pipeline.generators[g], generatorThread, slot, self), name);
            context.watchWith(generator, new ChildStopped(name));
            generator.tell(new DataGenerator.Start());
        }
    }

    @Override
    public Receive<Command> createReceive()
    {
        return run.lifecycle(newReceiveBuilder(), RequestStop.class, StageFailed.class, StageFailed::failure,
                ChildStopped.class, ChildStopped::stage, result, this::complete)
            .onMessage(LearnerFinished.class, this::onLearnerFinished)
            .onMessage(TrackerFinished.class, this::onTrackerFinished)
            .build();
    }

    private Behavior<Command> onLearnerFinished(final LearnerFinished finished)
    {
        learnerOutcome = finished.outcome();
        return trackerOutcome != null ? run.end() : this;
    }

    private Behavior<Command> onTrackerFinished(final TrackerFinished finished)
    {
        trackerOutcome = finished.outcome();
        return learnerOutcome != null ? run.end() : this;
    }

    /** Every thread stopped without a stage failing: the result, or a failure if the run stopped early. */
    private void complete()
    {
        if (learnerOutcome != null && trackerOutcome != null)
        {
            final LearnerAgent.Outcome l = learnerOutcome;
            final RunResult ended = new RunResult(l.steps(), l.samples(), (System.nanoTime() - startNs) * 1e-9,
                l.reached(), l.stepsToThreshold(), l.samplesToThreshold(), l.reason(), trackerOutcome.finalOverlaps(),
                trackerOutcome.finalRisk());
            final Map<String, Object> pipeline = new LinkedHashMap<>(trackerOutcome.pipeline());
            result.complete(new PipelineResult(ended, trackerOutcome.latency(), pipeline));
        }
        else
        {
            result.completeExceptionally(new StageFailedException("the run stopped before it finished", null));
        }
    }
}
