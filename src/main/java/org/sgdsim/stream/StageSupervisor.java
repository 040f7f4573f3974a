package org.sgdsim.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.IdleStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What every run's root actor does alike: owns the stage threads, keeps the first failure, stops itself when the
 * run ends or a stage fails or stops early, and in its PostStop closes the threads before the result completes.
 */
abstract class StageSupervisor<C> extends AbstractBehavior<C>
{
    private final List<StageThread> threads = new ArrayList<>();
    private StageProtocol.Failure failure;
    private boolean ending;

    StageSupervisor(final ActorContext<C> context)
    {
        super(context);
    }

    /** Starts a stage thread this supervisor closes when it stops. */
    final StageThread thread(final String name, final int slots, final IdleStrategy idle)
    {
        final StageThread thread = StageThread.start(name, slots, idle);
        threads.add(thread);
        return thread;
    }

    /** A stage's agent failed: the first failure is the run's, and the run ends. */
    final Behavior<C> stageFailed(final StageProtocol.Failure failed)
    {
        if (failure == null)
        {
            failure = failed;
        }
        return end();
    }

    /** A stage actor stopped: expected once the run is ending, a failure of that stage before. */
    final Behavior<C> childStopped(final String stage)
    {
        if (!ending && failure == null)
        {
            failure = new StageProtocol.Failure(stage, new IllegalStateException("the stage actor stopped"));
        }
        return end();
    }

    /** Stops this supervisor (its children stop first, then {@link #closeThreads} runs in its PostStop). */
    final Behavior<C> end()
    {
        ending = true;
        return Behaviors.stopped();
    }

    /**
     * For the PostStop: ends the stage threads (children have stopped and detached their agents) before anyone
     * closes the run's files; if a stage failed, completes {@code result} with it and returns true.
     */
    final boolean closeThreads(final CompletableFuture<?> result)
    {
        for (final StageThread thread : threads)
        {
            thread.close();
        }
        if (failure != null)
        {
            result.completeExceptionally(new StageFailedException(failure.describe(), failure.error()));
            return true;
        }
        return false;
    }
}
