package org.sgdsim.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.run.ReferenceTrainer;
import org.sgdsim.stream.plane.PipelineResult;
import org.sgdsim.stream.plane.PipelineSinks;

/** The pipeline writes the same rows as the single-threaded reference loop, bit for bit, for G = 1, 2, 4. */
class PipelineBitIdentityTest
{
    private static final String BASE = String.join("\n",
        "data { dim = 48, block-size = 16 }",
        "teacher.target = \"z1 + He3(z2)\"",
        "student { width = 3, activation = relu, second-layer = rademacher }",
        "training { batch-size = 5, learning-rate = \"0.2*nb/d\" }",
        "stop.max-steps = 240",
        "metrics { every = 7, progress = false, risk-samples = 10000 }");

    static Stream<Arguments> rulesAndGenerators()
    {
        final List<String[]> rules = List.of(
            new String[] {"training.rule=sgd"},
            new String[] {"training.repeats=2"},
            new String[] {"training.rule=displaced"},
            new String[] {"training.rule=gd", "training.dataset-size=100", "--no-batch"},
            new String[] {"training.dataset-size=37"},
            new String[] {"training.loss=correlation", "training.normalization=spherical", "training.batch-size=40"},
            new String[] {"stop.when={metric=max-cos-1, above=0.3}", "stop.max-steps=100000"},
            new String[] {"stop.max-steps=none", "stop.max-samples=333"},
            // budgets of a few blocks, and one below a batch: the block pool is cut to what the run reads
            new String[] {"stop.max-steps=none", "stop.max-samples=23"},
            new String[] {"stop.max-steps=none", "stop.max-samples=150", "training.batch-size=200"},
            new String[] {"data.sampler=lowrank", "stop.max-steps=3"},
            new String[] {"training.learning-rate=40", "stop.max-steps=100000", "metrics.every=3"},
            new String[] {"student.activation=\"tanh(x) + 0.1*x^3\""},
            new String[] {"training.loss=exponential", "training.second-layer=sgd"},
            new String[] {"training.loss=adaptive", "training.switch-when={metric=risk, below=0.9}"},
            new String[] {"training.loss=adaptive", "training.switch-when={metric=max-cos-1, above=0.2}",
                "stop.when={metric=max-cos-1, above=0.6}", "stop.max-steps=100000"},
            new String[] {"training.second-layer=sgd", "training.second-layer-rate=\"3*lr\""},
            new String[] {"training.second-layer=sgd", "training.repeats=2", "student.activation=\"x*erf(x)\""},
            new String[] {"training.second-layer=sgd", "training.rule=displaced", "training.batch-size=1"},
            new String[] {"training.second-layer=sgd", "training.rule=gd", "training.dataset-size=100", "--no-batch"},
            new String[] {"training.second-layer=sgd", "stop.when={metric=risk, below=0.5}", "stop.max-steps=100000"},
            new String[] {"data.sampler=lowrank"},
            new String[] {"data.sampler=lowrank", "training.loss=correlation", "training.normalization=projected",
                "training.batch-size=200"},
            // batches large enough for the generators to reduce the pieces (a round trip per step)
            new String[] {"data.sampler=lowrank", "training.batch-size=9500", "data.block-size=1000",
                "stop.max-steps=40"},
            new String[] {"data.sampler=lowrank", "training.batch-size=9500", "data.block-size=700",
                "stop.max-steps=40", "student.width=1", "teacher.target=\"He3(z1)\"", "training.loss=correlation",
                "data.noise=0.3"},
            new String[] {"data.sampler=lowrank", "training.second-layer=sgd"},
            new String[] {"data.sampler=lowrank", "training.loss=adaptive",
                "training.switch-when={metric=max-cos-1, above=0.3}"},
            // the generators reduce a's sums and take the switched loss with the step's map (the switch at step 7)
            new String[] {"data.sampler=lowrank", "training.batch-size=9500", "data.block-size=1000",
                "stop.max-steps=40", "training.normalization=projected", "training.second-layer=sgd",
                "training.second-layer-rate=\"0.001*lr\"", "training.loss=adaptive",
                "training.switch-when={metric=max-cos-1, above=0.5}"},
            // a low-rank run that diverges stops as diverged in both, not with a failed eigensolver
            new String[] {"data.sampler=lowrank", "training.batch-size=9500", "data.block-size=1000",
                "training.learning-rate=1e4", "stop.max-steps=100000"});
        final List<Arguments> all = new ArrayList<>();
        for (final String[] rule : rules)
        {
            for (final int g : new int[] {1, 2, 4})
            {
                all.add(Arguments.of(String.join(" | ", rule), g));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, G = {1}")
    @MethodSource("rulesAndGenerators")
    @Timeout(60)
    void pipelineMatchesReference(final String variant, final int generators)
    {
        final ExperimentSpec spec = spec(variant);
        final List<String> reference = new ArrayList<>();
        final RunResult expected = new ReferenceTrainer(RunModel.build(spec).plan(), l -> reference.add(l.toString()), null).run();

        final List<String> rows = Collections.synchronizedList(new ArrayList<>());
        final PipelineResult actual;
        try (PipelineRun run = PipelineRun.start(RunModel.build(spec).plan(), generators,
            new PipelineSinks(l -> rows.add(l.toString()), l -> { }, null, null), ConfigFactory.empty()))
        {
            actual = run.await();
        }
        assertEquals(withoutWallTime(reference), withoutWallTime(rows));
        assertEquals(expected.steps(), actual.run().steps());
        assertEquals(expected.samples(), actual.run().samples());
        assertEquals(expected.stopReason(), actual.run().stopReason());
        assertEquals(expected.reached(), actual.run().reached());
        assertEquals(expected.stepsToThreshold(), actual.run().stepsToThreshold());
        assertEquals(expected.finalRisk(), actual.run().finalRisk());
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aDivergingStudentStopsAtTheFirstNonFiniteRow()
    {
        final ExperimentSpec spec = spec("training.learning-rate=40 | stop.max-steps=100000 | metrics.every=3");
        final List<String> rows = new ArrayList<>();
        final RunResult r = new ReferenceTrainer(RunModel.build(spec).plan(), l -> rows.add(l.toString()), null).run();
        assertEquals(RunResult.StopReason.DIVERGED, r.stopReason());
        org.junit.jupiter.api.Assertions.assertTrue(r.steps() < 1000 && r.steps() % 3 == 0, "stopped at " + r.steps());
        final String last = rows.get(rows.size() - 1);
        final String before = rows.get(rows.size() - 2);
        org.junit.jupiter.api.Assertions.assertFalse(Double.isFinite(Double.parseDouble(last.substring(last.lastIndexOf(',') + 1))), last);
        org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(Double.parseDouble(before.substring(before.lastIndexOf(',') + 1))), before);
    }

    /**
     * The adaptive loss trains exactly like the correlation loss up to the first row where its condition holds, and
     * differently after it (the square loss from the next step on).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"data.sampler=explicit", "data.sampler=lowrank"})
    @Timeout(60)
    void adaptiveLossSwitchesAtTheFirstRowWhereItsConditionHolds(final String sampler)
    {
        final List<String> correlation = new ArrayList<>();
        new ReferenceTrainer(RunModel.build(spec(sampler + " | training.loss=correlation")).plan(),
            l -> correlation.add(l.toString()), null).run();
        final List<String> c = withoutWallTime(correlation);
        final int riskColumn = List.of(c.get(0).split(",")).indexOf("risk");
        final double r0 = Double.parseDouble(c.get(1).split(",")[riskColumn]);
        int first = -1;
        double limit = Double.NaN;
        for (int i = 2; i < c.size() && first < 0; i++)
        {
            final double r = Double.parseDouble(c.get(i).split(",")[riskColumn]);
            if (r < r0)
            {
                limit = 0.5 * (r + r0);
                first = i;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(first > 1, "the correlation run's risk never falls: " + c);
        // the first row whose risk is below limit
        int switchRow = -1;
        for (int i = 1; i < c.size() && switchRow < 0; i++)
        {
            if (Double.parseDouble(c.get(i).split(",")[riskColumn]) < limit)
            {
                switchRow = i;
            }
        }
        final List<String> adaptive = new ArrayList<>();
        new ReferenceTrainer(RunModel.build(spec(sampler + " | training.loss=adaptive | training.switch-when={metric=risk, "
            + "below=" + limit + "}")).plan(), l -> adaptive.add(l.toString()), null).run();
        final List<String> a = withoutWallTime(adaptive);
        assertEquals(c.subList(0, switchRow + 1), a.subList(0, switchRow + 1));
        org.junit.jupiter.api.Assertions.assertNotEquals(c.get(switchRow + 1), a.get(switchRow + 1));
    }

    /** Rows gain a_1..a_p exactly when a is trained, and the trained a moves. */
    @org.junit.jupiter.api.Test
    @Timeout(60)
    void secondLayerColumnsOnlyWhenTrained()
    {
        final List<String> fixed = new ArrayList<>();
        new ReferenceTrainer(RunModel.build(spec("training.rule=sgd")).plan(), l -> fixed.add(l.toString()), null).run();
        org.junit.jupiter.api.Assertions.assertFalse(fixed.get(0).contains("a_1"), fixed.get(0));
        final List<String> trained = new ArrayList<>();
        new ReferenceTrainer(RunModel.build(spec("training.second-layer=sgd")).plan(), l -> trained.add(l.toString()),
            null).run();
        org.junit.jupiter.api.Assertions.assertTrue(trained.get(0).endsWith(",a_1,a_2,a_3"), trained.get(0));
        final String[] first = trained.get(1).split(",");
        final String[] last = trained.get(trained.size() - 1).split(",");
        // rademacher a starts at ±1 and moves under SGD
        org.junit.jupiter.api.Assertions.assertEquals(1.0, Math.abs(Double.parseDouble(first[first.length - 1])));
        org.junit.jupiter.api.Assertions.assertNotEquals(first[first.length - 1], last[last.length - 1]);
    }

    static ExperimentSpec spec(final String variant)
    {
        String hocon = BASE;
        Config user = null;
        final List<String> overrides = new ArrayList<>();
        for (final String o : variant.split(" \\| "))
        {
            if ("--no-batch".equals(o))
            {
                hocon = hocon.replace("batch-size = 5, ", "");
            }
            else
            {
                overrides.add(o);
            }
        }
        user = ConfigFactory.parseString(hocon);
        for (final String o : overrides)
        {
            user = ExperimentConfig.parseOverride(o).withFallback(user);
        }
        return ExperimentConfig.fromUserConfig(user);
    }

    static List<String> withoutWallTime(final List<String> lines)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : lines)
        {
            out.add(line.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1"));
        }
        return out;
    }
}
