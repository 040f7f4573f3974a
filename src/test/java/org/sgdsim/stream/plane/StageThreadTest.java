package org.sgdsim.stream.plane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

/** Stage threads run their agents under their own name, end when closed, and hand their Java thread to the next. */
class StageThreadTest
{
    /** An agent that records the thread it ran on, once. */
    private static final class Probe implements Agent
    {
        final CountDownLatch ran = new CountDownLatch(1);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicReference<String> name = new AtomicReference<>();
        final boolean interrupt;
        volatile boolean interruptedAtStart;

        Probe(final boolean interrupt)
        {
            this.interrupt = interrupt;
        }

        @Override
        public void onStart()
        {
            interruptedAtStart = Thread.currentThread().isInterrupted();
        }

        @Override
        public int doWork()
        {
            if (thread.compareAndSet(null, Thread.currentThread()))
            {
                name.set(Thread.currentThread().getName());
                if (interrupt)
                {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            }
            return 0;
        }

        @Override
        public String roleName()
        {
            return "probe";
        }
    }

    private static Probe runOnce(final String name, final boolean interrupt) throws InterruptedException
    {
        final StageThread stage = StageThread.start(name, 1, new BackoffIdleStrategy(1, 1, 1_000, 100_000));
        final Probe probe = new Probe(interrupt);
        stage.attach(0, probe, error -> { });
        assertTrue(probe.ran.await(10, TimeUnit.SECONDS), "the agent ran");
        stage.close();
        return probe;
    }

    @Test
    void agentsRunUnderTheStageNameAndTheJavaThreadIsReused() throws InterruptedException
    {
        final Probe first = runOnce("learner", false);
        assertEquals("learner", first.name.get());
        final Probe second = runOnce("metric-tracker", false);
        assertEquals("metric-tracker", second.name.get());
        assertSame(first.thread.get(), second.thread.get(), "the second stage ran on the first one's thread");
        assertTrue(first.thread.get().isDaemon(), "a waiting carrier does not keep the JVM alive");
    }

    @Test
    void anInterruptDoesNotReachTheNextStage() throws InterruptedException
    {
        final Probe first = runOnce("generator-0", true);
        final Probe second = runOnce("generator-0", false);
        assertSame(first.thread.get(), second.thread.get());
        assertFalse(second.interruptedAtStart, "the next stage starts without the last one's interrupt");
    }

    @Test
    void manyRunsUseABoundedSetOfThreads() throws InterruptedException
    {
        final Set<Thread> carriers = new HashSet<>();
        for (int run = 0; run < 200; run++)
        {
            // a run's three stage threads side by side, as a supervisor starts them
            final StageThread[] stages = new StageThread[3];
            final Probe[] probes = new Probe[3];
            for (int i = 0; i < 3; i++)
            {
                stages[i] = StageThread.start("stage-" + i, 1, new BackoffIdleStrategy(1, 1, 1_000, 100_000));
                probes[i] = new Probe(false);
                stages[i].attach(0, probes[i], error -> { });
            }
            for (int i = 0; i < 3; i++)
            {
                assertTrue(probes[i].ran.await(10, TimeUnit.SECONDS));
                carriers.add(probes[i].thread.get());
            }
            for (final StageThread stage : stages)
            {
                stage.end();
            }
            for (final StageThread stage : stages)
            {
                stage.close();
            }
        }
        assertTrue(carriers.size() <= 3 + 16, "200 runs of 3 stage threads used " + carriers.size() + " Java threads");
    }
}
