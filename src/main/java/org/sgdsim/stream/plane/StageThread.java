package org.sgdsim.stream.plane;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;

/**
 * A data-plane thread that runs the agents attached to it, in slot order, one duty cycle after the other. On
 * 2 cores the thread count matters more than anything: the batcher, whose work per slice is tiny, shares the
 * learner's thread instead of taking a core from the generators. Stage actors attach their agent when they
 * start and detach it when they stop; the supervisor owns the thread. An agent that throws is detached and its
 * error goes to the owner it was attached with (errors cross threads as messages, never as exceptions).
 */
public final class StageThread implements Agent, AutoCloseable
{
    /** An attached agent and where its failure goes. */
    private static final class Slot
    {
        final Agent agent;
        final Consumer<Throwable> onError;
        boolean started;

        Slot(final Agent agent, final Consumer<Throwable> onError)
        {
            this.agent = agent;
            this.onError = onError;
        }
    }

    private final String name;
    private final AtomicReferenceArray<Slot> slots;
    private final AgentRunner runner;
    private volatile boolean ending;

    private StageThread(final String name, final int capacity, final IdleStrategy idle)
    {
        this.name = name;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.runner = new AgentRunner(idle, error -> { }, null, this);
    }

    /** Starts a thread named {@code name} with room for {@code capacity} agents. */
    static StageThread start(final String name, final int capacity, final IdleStrategy idle)
    {
        final StageThread thread = new StageThread(name, capacity, idle);
        AgentRunner.startOnThread(thread.runner);
        return thread;
    }

    /** Runs {@code agent} in slot {@code index} from the next duty cycle on (its onStart first, on this thread). */
    public void attach(final int index, final Agent agent, final Consumer<Throwable> onError)
    {
        if (!slots.compareAndSet(index, null, new Slot(agent, onError)))
        {
            throw new IllegalStateException("slot " + index + " of " + name + " is taken");
        }
    }

    /** Stops running the agent in slot {@code index} (it finishes the duty cycle it may be in). */
    public void detach(final int index)
    {
        slots.set(index, null);
    }

    /**
     * Asks the thread to end and wakes it from its idle strategy's park (up to a millisecond for the tracker's): it
     * leaves its loop at its next duty cycle, so a run's threads end together and {@link #close} only waits for that.
     */
    void end()
    {
        ending = true;
        final Thread thread = runner.thread();
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public int doWork()
    {
        if (ending)
        {
            throw new AgentTerminationException(true);
        }
        int work = 0;
        for (int i = 0; i < slots.length(); i++)
        {
            final Slot slot = slots.get(i);
            if (slot == null)
            {
                continue;
            }
            try
            {
                if (!slot.started)
                {
                    slot.started = true;
                    slot.agent.onStart();
                }
                work += slot.agent.doWork();
            }
            catch (final Throwable error)
            {
                slots.compareAndSet(i, slot, null);
                slot.onError.accept(error);
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return name;
    }

    /** Stops the thread and waits for it to end. */
    @Override
    public void close()
    {
        runner.close();
    }
}
