package org.sgdsim.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.IdleStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What every run supervisor keeps alike, held by each rather than inherited: the stage threads it owns, the run's
 * first failure, and whether the run is ending; in the supervisor's PostStop it closes the threads before the result
 * completes, so whoever waits on the result may safely close the run's files.
 */
final class StageThreads
{
    private final List<StageThread> threads = new ArrayList<>();
    private StageProtocol.Failure failure;
    private boolean ending;

    /** Starts a stage thread that {@link #close} ends. */
    StageThread start(final String name, final int slots, final IdleStrategy idle)
    {
        final StageThread thread = StageThread.start(name, slots, idle);
        threads.add(thread);
        return thread;
    }

    /** A stage's agent failed: the first failure is the run's. */
    void failed(final StageProtocol.Failure failed)
    {
        if (failure == null)
        {
            failure = failed;
        }
    }

    /** A stage actor stopped: expected once the run is ending, a failure of that stage before. */
    void childStopped(final String stage)
    {
        if (!ending && failure == null)
        {
            failure = new StageProtocol.Failure(stage, new IllegalStateException("the stage actor stopped"));
        }
    }

    /**
     * The supervisor's behaviour once the run ends: stopped (its children stop first, then its PostStop closes the
     * threads); stage actors stopping from now on are expected.
     */
    <C> Behavior<C> end()
    {
        ending = true;
        return Behaviors.stopped();
    }

    /**
     * For the PostStop: ends the stage threads (children have stopped and detached their agents); if a stage failed,
     * completes {@code result} with it and returns true.
     */
    boolean close(final CompletableFuture<?> result)
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
