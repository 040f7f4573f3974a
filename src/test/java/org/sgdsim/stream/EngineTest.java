package org.sgdsim.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.run.RunPlan;
import org.sgdsim.stream.plane.PipelineSinks;

/** Runs share the process's one actor system and leave nothing behind in it. */
class EngineTest
{
    private static RunPlan plan(final long steps)
    {
        Config user = ConfigFactory.parseString("data { dim = 32, block-size = 8 }\nteacher.target = \"He2(z1)\"\n"
            + "student { width = 1, activation = He2 }\ntraining { batch-size = 4, learning-rate = \"0.1/d\" }\n"
            + "metrics { every = 50, progress = false, risk-samples = 10000 }");
        user = ExperimentConfig.parseOverride("stop.max-steps=" + steps).withFallback(user);
        return RunModel.build(ExperimentConfig.fromUserConfig(user)).plan();
    }

    private static long run(final RunPlan plan, final int generators)
    {
        try (PipelineRun run = PipelineRun.start(plan, generators, new PipelineSinks(l -> { }, l -> { }, null, null),
            ConfigFactory.empty()))
        {
            return run.await().run().steps();
        }
    }

    @Test
    void consecutiveRunsShareOneActorSystem()
    {
        assertEquals(100, run(plan(100), 1));
        final var first = Engine.current();
        assertNotNull(first);
        assertEquals(100, run(plan(100), 2));
        assertSame(first, Engine.current());
    }

    @Test
    void aRunWithAnotherPekkoSectionIsRefused()
    {
        run(plan(10), 1);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> PipelineRun.start(
            plan(10), 1, new PipelineSinks(l -> { }, l -> { }, null, null),
            ConfigFactory.parseString("pekko.loglevel = DEBUG")));
        assertTrue(ex.getMessage().contains("same pekko section"), ex.getMessage());
    }

    /** A system started ahead of the first run is the one the run spawns into; nothing else is started. */
    @Test
    void theFirstRunSpawnsIntoThePrestartedSystem()
    {
        Engine.shutdown();
        Engine.prestart(ConfigFactory.empty());
        Engine.prestart(ConfigFactory.empty()); // a second call while it starts changes nothing
        assertEquals(null, Engine.current(), "not taken over before a run needs it");
        assertEquals(10, run(plan(10), 1));
        final var first = Engine.current();
        assertNotNull(first);
        assertEquals("sgdsim", first.name());
        assertEquals(10, run(plan(10), 1));
        assertSame(first, Engine.current());
    }

    /** Started ahead with another pekko section than the first run's: replaced, not refused (no run used it). */
    @Test
    void aPrestartedSystemWithAnotherSectionIsReplacedBeforeAnyRun()
    {
        Engine.shutdown();
        Engine.prestart(ConfigFactory.empty());
        final Config debug = ConfigFactory.parseString("pekko { loglevel = WARNING, log-dead-letters = 1 }");
        try (PipelineRun run = PipelineRun.start(plan(10), 1, new PipelineSinks(l -> { }, l -> { }, null, null), debug))
        {
            assertEquals(10, run.await().run().steps());
        }
        assertEquals(1, Engine.current().settings().config().getInt("pekko.log-dead-letters"));
        // once a run used it, a run with yet another section is refused as before
        assertThrows(IllegalArgumentException.class, () -> PipelineRun.start(plan(10), 1,
            new PipelineSinks(l -> { }, l -> { }, null, null), ConfigFactory.empty()));
        Engine.shutdown();
    }

    /** 10,000 runs leave the thread count and the retained heap where they were after the first hundred. */
    @Test
    @Tag("slow")
    void tenThousandRunsLeaveNothingBehind()
    {
        final RunPlan plan = plan(20);
        for (int i = 0; i < 100; i++)
        {
            run(plan, 1 + i % 2);
        }
        final int threads = Thread.activeCount();
        final long heap = retainedHeap();
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(20, run(plan, 1 + i % 2));
        }
        assertTrue(Thread.activeCount() <= threads + 2, "threads " + threads + " -> " + Thread.activeCount());
        final long grown = retainedHeap() - heap;
        assertTrue(grown < 16L << 20, "retained heap grew by " + grown + " bytes over 10,000 runs");
    }

    private static long retainedHeap()
    {
        final Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
