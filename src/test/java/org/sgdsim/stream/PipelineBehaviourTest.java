package org.sgdsim.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RiskEstimator;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.run.RunPlan;
import org.sgdsim.stream.plane.PipelineResult;
import org.sgdsim.stream.plane.PipelineSinks;
import org.sgdsim.stream.plane.StageFailedException;

/** Back-pressure, failures and the latency log of the pipeline. */
class PipelineBehaviourTest
{
    private static final String BASE = String.join("\n",
        "data { dim = 64, block-size = 8 }",
        "teacher.target = \"He2(z1)\"",
        "student { width = 2, activation = He2 }",
        "training { batch-size = 4, learning-rate = \"0.1/d\" }",
        "stop.max-steps = 400",
        "metrics { every = 50, progress = false, risk-samples = 10000 }");

    private static RunPlan plan(final String... overrides)
    {
        com.typesafe.config.Config user = ConfigFactory.parseString(BASE);
        for (final String o : overrides)
        {
            user = ExperimentConfig.parseOverride(o).withFallback(user);
        }
        final ExperimentSpec spec = ExperimentConfig.fromUserConfig(user);
        return RunModel.build(spec).plan();
    }

    /** The same plan with other risk estimators and threshold (tests inject slowness and failures through them). */
    private static RunPlan with(final RunPlan p, final RiskEstimator tracker, final RiskEstimator learner,
        final Threshold when, final long checkEvery)
    {
        final RunPlan.Monitoring m = p.monitoring();
        return new RunPlan(p.model(), p.samples(), new RunPlan.Monitoring(tracker, learner, m.rows(), when, checkEvery,
            m.progress()), p.budget(), p.checkpoints(), p.resume());
    }

    private static PipelineSinks quiet()
    {
        return new PipelineSinks(l -> { }, l -> { }, null, null);
    }

    @Test
    @Timeout(30)
    void aSlowLearnerKeepsThePoolBoundedAndTheGeneratorsIdle()
    {
        final RunPlan base = plan("stop.max-steps=300");
        // A risk threshold checked at every step, whose estimator takes 2 ms, makes a learner of ~500 steps/s.
        final RiskEstimator slow = new RiskEstimator()
        {
            @Override
            public double risk(final OrderParameters op)
            {
                try
                {
                    Thread.sleep(2);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
                return 1.0;
            }

            @Override
            public String method()
            {
                return "slow";
            }
        };
        final RunPlan slowPlan = with(base, base.monitoring().trackerRisk(), slow,
            new Threshold("risk", Threshold.Kind.RISK, 0, 0, false, -1.0), 1);
        final PipelineResult r;
        try (PipelineRun run = PipelineRun.start(slowPlan, 2, quiet(), ConfigFactory.empty()))
        {
            r = run.await();
        }
        final long generated = ((Number)r.pipeline().get("blocks_generated")).longValue();
        final long pool = ((Number)r.pipeline().get("pool_blocks")).longValue();
        final long consumedBlocks = r.run().samples() / base.samples().blockSize();
        assertEquals(300, r.run().steps());
        assertTrue(generated <= consumedBlocks + pool + 1,
            "generators ran at most one pool ahead: generated " + generated + ", consumed " + consumedBlocks + ", pool " + pool);
        assertTrue(((Number)r.pipeline().get("generator_idle_fraction")).doubleValue() > 0.8,
            "generators idle while the learner is slow: " + r.pipeline());
    }

    @Test
    @Timeout(30)
    void aFailingStageEndsTheRunWithItsName()
    {
        final RunPlan base = plan("stop.max-steps=1000000");
        final AtomicLong calls = new AtomicLong();
        final RiskEstimator failing = new RiskEstimator()
        {
            @Override
            public double risk(final OrderParameters op)
            {
                if (calls.incrementAndGet() > 3)
                {
                    throw new IllegalStateException("risk exploded");
                }
                return 1.0;
            }

            @Override
            public String method()
            {
                return "failing";
            }
        };
        final List<String> rows = Collections.synchronizedList(new ArrayList<>());
        try (PipelineRun run = PipelineRun.start(with(base, failing, base.monitoring().learnerRisk(), null, 0), 1,
            new PipelineSinks(l -> rows.add(l.toString()), l -> { }, null, null), ConfigFactory.empty()))
        {
            final StageFailedException ex = assertThrows(StageFailedException.class, run::await);
            assertEquals("stage metric-tracker failed: IllegalStateException: risk exploded", ex.getMessage());
        }
        assertEquals(4, rows.size(), "the header and the three rows written before the failure are kept");
        assertEquals(4, calls.get(), "the tracker stopped at its failure: no row was attempted after it");
    }

    @Test
    @Timeout(30)
    void aFailingLearnerIsNamed()
    {
        final RunPlan base = plan("stop.max-steps=1000000");
        final RiskEstimator failing = new RiskEstimator()
        {
            @Override
            public double risk(final OrderParameters op)
            {
                throw new ArithmeticException("diverged");
            }

            @Override
            public String method()
            {
                return "failing";
            }
        };
        try (PipelineRun run = PipelineRun.start(with(base, base.monitoring().trackerRisk(), failing,
            new Threshold("risk", Threshold.Kind.RISK, 0, 0, false, 0.5), 1), 2, quiet(), ConfigFactory.empty()))
        {
            final StageFailedException ex = assertThrows(StageFailedException.class, run::await);
            assertEquals("stage learner failed: ArithmeticException: diverged", ex.getMessage());
        }
    }

    @Test
    @Timeout(30)
    void stopRequestDrainsAndReportsInterrupted() throws InterruptedException
    {
        final RunPlan p = plan("stop.max-steps=none", "stop.max-samples=1000000000000");
        final PipelineResult r;
        try (PipelineRun run = PipelineRun.start(p, 1, quiet(), ConfigFactory.empty()))
        {
            Thread.sleep(300);
            run.requestStop();
            r = run.await();
        }
        assertEquals(org.sgdsim.metrics.RunResult.StopReason.INTERRUPTED, r.run().stopReason());
        assertTrue(r.run().steps() > 0);
    }

    @Test
    @Timeout(30)
    void latencyLogReadsBack()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PipelineResult r;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            PipelineRun run = PipelineRun.start(plan("stop.max-steps=2000"), 2,
                new PipelineSinks(l -> { }, l -> { }, null, new org.sgdsim.metrics.LatencyLog(out)), ConfigFactory.empty()))
        {
            r = run.await();
        }
        final HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(bytes.toByteArray()));
        final Map<String, Histogram> byTag = new HashMap<>();
        EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null)
        {
            byTag.computeIfAbsent(h.getTag(), t -> new Histogram(3)).add((Histogram)h);
        }
        assertNotNull(byTag.get("learner-iteration"), byTag.keySet().toString());
        assertEquals(r.run().steps(), byTag.get("learner-iteration").getTotalCount(), "one value per step");
        // Generators claim blocks dynamically: on a loaded machine one of the two may fill every block.
        final long generated = byTag.entrySet().stream().filter(e -> e.getKey().startsWith("block-generation-"))
            .peek(e -> assertTrue(e.getKey().matches("block-generation-[01]"), e.getKey()))
            .mapToLong(e -> e.getValue().getTotalCount()).sum();
        assertTrue(generated > 0, byTag.keySet().toString());
        assertTrue(byTag.containsKey("block-queue-wait") && byTag.containsKey("slice-queue-wait"));
        @SuppressWarnings("unchecked")
        final Map<String, Object> iteration = (Map<String, Object>)r.latency().get("learner-iteration");
        assertEquals(r.run().steps(), ((Number)iteration.get("count")).longValue());
        for (final String key : new String[] {"p50_us", "p90_us", "p99_us", "p99_9_us", "max_us"})
        {
            assertTrue(((Number)iteration.get(key)).doubleValue() > 0.0, key);
        }
    }

    @Test
    @Timeout(30)
    void aShortRunAllocatesOnlyTheBlocksItReads()
    {
        // 40 samples are 5 blocks of 8: a pool of 5 + 2 blocks a generator instead of 16.
        final PipelineResult shortRun;
        try (PipelineRun run = PipelineRun.start(plan("stop.max-steps=none", "stop.max-samples=40"), 2, quiet(),
            ConfigFactory.empty()))
        {
            shortRun = run.await();
        }
        assertEquals(10, shortRun.run().steps());
        assertEquals(14L, ((Number)shortRun.pipeline().get("pool_blocks")).longValue());
        // A batch larger than the budget takes no step, and the pool keeps its floor of 4 blocks.
        final PipelineResult noStep;
        try (PipelineRun run = PipelineRun.start(plan("stop.max-steps=none", "stop.max-samples=40",
            "training.batch-size=4096"), 2, quiet(), ConfigFactory.empty()))
        {
            noStep = run.await();
        }
        assertEquals(0, noStep.run().steps());
        assertEquals(8L, ((Number)noStep.pipeline().get("pool_blocks")).longValue());
        // A long run keeps the full pool.
        final PipelineResult longRun;
        try (PipelineRun run = PipelineRun.start(plan(), 2, quiet(), ConfigFactory.empty()))
        {
            longRun = run.await();
        }
        assertEquals(32L, ((Number)longRun.pipeline().get("pool_blocks")).longValue());
    }

    @Test
    void plannedBatchesFollowTheBudgets()
    {
        assertEquals(400, plan().plannedBatches());
        assertEquals(200, plan("training.repeats=2").plannedBatches());
        assertEquals(25, plan("stop.max-samples=101").plannedBatches());
        assertEquals(250_000_000_000_000_000L, plan("stop.max-steps=none", "stop.max-samples=1e18").plannedBatches());
    }
}
