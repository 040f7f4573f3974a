package org.sgdsim.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.agrona.concurrent.IdleStrategy;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.sgdsim.stream.plane.StageFailure;
import org.sgdsim.stream.plane.StageThread;
import org.sgdsim.stream.plane.StageThreads;

/**
 * What every run supervisor does with the stage threads of its run, held by each supervisor rather than inherited
 * (as {@link StageBinding} is by each stage actor): a drain request goes to the learners, a stage failure or a
 * child stopping early ends the run, and
 * the result completes only in PostStop, once every thread has stopped, so whoever waits on it may close the run's
 * files. Each supervisor keeps its own protocol and adds its own messages.
 *
 * @param <C> the supervisor's protocol.
 */
final class SupervisorBinding<C>
{
    private final StageThreads threads = new StageThreads();
    private final List<ActorRef<Learner.Command>> learners = new ArrayList<>();

    /** Starts a stage thread of the run (see {@link StageThreads#start}). */
    StageThread start(final String name, final int slots, final IdleStrategy idle)
    {
        return threads.start(name, slots, idle);
    }

    /** A learner of the run: a drain request is relayed to it. */
    ActorRef<Learner.Command> learner(final ActorRef<Learner.Command> learner)
    {
        learners.add(learner);
        return learner;
    }

    /**
     * Adds the supervisor's lifecycle to its receive: {@code drain} is relayed to every learner (each stops at its
     * next checkpointable point), {@code failed} and {@code stopped} end the run (a stage failed, or a child
     * stopped), and PostStop completes {@code result} exceptionally when a stage failed, else runs {@code complete},
     * which completes it from what the run reported.
     */
    <D extends C, F extends C, S extends C> ReceiveBuilder<C> lifecycle(final ReceiveBuilder<C> receive,
        final Class<D> drain, final Class<F> failed, final Function<F, StageFailure> failure, final Class<S> stopped,
        final Function<S, String> stage, final CompletableFuture<?> result, final Runnable complete)
    {
        return receive
            .onMessage(drain, message ->
            {
                learners.forEach(learner -> learner.tell(new Learner.Stop()));
                return Behaviors.same();
            })
            .onMessage(failed, message ->
            {
                threads.failed(failure.apply(message));
                return end();
            })
            .onMessage(stopped, message ->
            {
                threads.childStopped(stage.apply(message));
                return end();
            })
            .onSignal(PostStop.class, signal ->
            {
                if (!threads.close(result))
                {
                    complete.run();
                }
                return Behaviors.same();
            });
    }

    /** Ends the run: the children stop first, then PostStop closes the threads; stages stopping now are expected. */
    Behavior<C> end()
    {
        threads.end();
        return Behaviors.stopped();
    }
}
