package org.sgdsim.stream.plane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.IdleStrategy;

/**
 * What every run supervisor keeps alike, held by each rather than inherited: the stage threads it owns, the run's
 * first failure, and whether the run is ending; in the supervisor's PostStop it closes the threads before the result
 * completes, so whoever waits on the result may safely close the run's files.
 */
public final class StageThreads
{
    private final List<StageThread> threads = new ArrayList<>();
    private StageFailure failure;
    private boolean ending;

    /** Starts a stage thread that {@link #close} ends. */
    public StageThread start(final String name, final int slots, final IdleStrategy idle)
    {
        final StageThread thread = StageThread.start(name, slots, idle);
        threads.add(thread);
        return thread;
    }

    /** A stage's agent failed: the first failure is the run's. */
    public void failed(final StageFailure failed)
    {
        if (failure == null)
        {
            failure = failed;
        }
    }

    /** A stage actor stopped: expected once the run is ending, a failure of that stage before. */
    public void childStopped(final String stage)
    {
        if (!ending && failure == null)
        {
            failure = new StageFailure(stage, new IllegalStateException("the stage actor stopped"));
        }
    }

    /**
     * The run is ending (the supervisor stops: its children stop first, then its PostStop closes the threads); stage
     * actors stopping from now on are expected.
     */
    public void end()
    {
        ending = true;
    }

    /**
     * For the PostStop: ends the stage threads (children have stopped and detached their agents); if a stage failed,
     * completes {@code result} with it and returns true.
     */
    public boolean close(final CompletableFuture<?> result)
    {
        // All asked to end first, then waited for: none waits out its park while another is being closed.
        for (final StageThread thread : threads)
        {
            thread.end();
        }
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
