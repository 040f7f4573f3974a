package org.sgdsim.stream.plane;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * A data-plane thread that runs the agents attached to it, in slot order, one duty cycle after the other. On
 * 2 cores the thread count matters more than anything: the batcher, whose work per slice is tiny, shares the
 * learner's thread instead of taking a core from the generators. Stage actors attach their agent when they
 * start and detach it when they stop; the supervisor owns the thread. An agent that throws is detached and its
 * error goes to the owner it was attached with (errors cross threads as messages, never as exceptions).
 * <p>
 * The Java threads themselves outlive their runs: a stage thread runs on a {@link Carrier} that waits for the next
 * stage thread once this one has ended. A sweep starts three stage threads a run, and on a virtual machine starting
 * and joining a thread costs 0.2-0.5 ms (2026-12-07), more than a short run's learning.
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
    private final IdleStrategy idle;
    private volatile boolean ending;
    private volatile boolean ended;
    // The thread running the duty cycle, and the one waiting in close() for it to end.
    private volatile Thread runner;
    private volatile Thread closer;

    private StageThread(final String name, final int capacity, final IdleStrategy idle)
    {
        this.name = name;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.idle = idle;
    }

    /** Starts a thread named {@code name} with room for {@code capacity} agents. */
    static StageThread start(final String name, final int capacity, final IdleStrategy idle)
    {
        final StageThread thread = new StageThread(name, capacity, idle);
        Carrier.take().run(thread);
        return thread;
    }

    /** The duty cycle, on {@code carrier}, until {@link #end}. */
    private void runOn(final Thread carrier)
    {
        runner = carrier;
        idle.reset();
        try
        {
            while (!ending)
            {
                idle.idle(doWork());
            }
        }
        finally
        {
            runner = null;
        }
    }

    /** The carrier is free again: wakes whoever waits in {@link #close}. */
    private void ended()
    {
        ended = true;
        final Thread waiting = closer;
        if (waiting != null)
        {
            LockSupport.unpark(waiting);
        }
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
        wake();
    }

    /** Wakes the thread from its idle strategy's park (any thread). */
    public void wake()
    {
        final Thread thread = runner;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public int doWork()
    {
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
        // Named before asking, so that either the carrier sees who waits or this thread sees that it has ended.
        closer = Thread.currentThread();
        end();
        while (!ended)
        {
            LockSupport.parkNanos(this, 1_000_000L);
        }
        closer = null;
    }

    /**
     * A Java thread that runs one stage thread after another. At most {@link #KEPT} wait for work at once (the stage
     * threads of a few runs side by side); one more ends when its stage thread does, so a process never holds more.
     */
    private static final class Carrier implements Runnable
    {
        private static final int KEPT = 16;
        private static final ConcurrentLinkedDeque<Carrier> WAITING = new ConcurrentLinkedDeque<>();

        private final Thread thread;
        private volatile StageThread next;

        private Carrier()
        {
            thread = new Thread(this, "stage");
            // Waiting carriers must not keep the JVM alive; a running stage ends with its run, which the command waits for.
            thread.setDaemon(true);
        }

        /** A waiting carrier, or a new one. */
        static Carrier take()
        {
            final Carrier waiting = WAITING.pollFirst();
            return waiting != null ? waiting : new Carrier();
        }

        void run(final StageThread stage)
        {
            next = stage;
            if (thread.getState() == Thread.State.NEW)
            {
                thread.start();
            }
            else
            {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run()
        {
            while (true)
            {
                StageThread stage;
                while ((stage = next) == null)
                {
                    LockSupport.park(this);
                }
                next = null;
                thread.setName(stage.name);
                boolean kept = false;
                try
                {
                    stage.runOn(thread);
                }
                finally
                {
                    thread.setName("stage");
                    Thread.interrupted(); // a stage's interrupt must neither reach the next one nor end the wait in park
                    // Back in the queue before the stage counts as ended, so the next run's stages find this thread.
                    if (WAITING.size() < KEPT)
                    {
                        WAITING.addFirst(this);
                        kept = true;
                    }
                    stage.ended();
                }
                if (!kept)
                {
                    return;
                }
            }
        }
    }
}
