package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.cli.Main;
import org.sgdsim.experiment.UserError;

/** Grid expansion: every combination and seed, in order, validated by the experiment's rules before anything runs. */
class SweepPlanTest
{
    static final String EXPERIMENT = String.join("\n",
        "experiment { name = tiny, seed = 5 }",
        "data.dim = 256",
        "teacher.target = \"He3(z1)\"",
        "student { width = 1, activation = He3 }",
        "training { loss = correlation, batch-size = 16, learning-rate = \"0.01*nb*d^-1.5\", normalization = projected }",
        "stop { max-samples = \"4*d\", when = { metric = max-cos-1, above = 0.5 } }");

    @TempDir
    Path tmp;

    @Test
    void expandsEveryCombinationAndSeedInOrder() throws IOException
    {
        final Path file = sweep(String.join("\n",
            "grid {",
            "  \"training.loss\" = [correlation, square]",
            "  training { batch-size = [16, \"d^1.5\", 4096] }",
            "}",
            "seeds = 2"));
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, List.of()), null, 1);
        assertEquals(List.of("training.loss", "training.batch-size"),
            plan.definition().axes().stream().map(Axis::key).toList());
        assertEquals(6, plan.points().size());
        assertEquals(12, plan.runs().size());
        assertEquals(List.of("correlation", "d^1.5"), plan.points().get(1).labels());
        assertEquals("loss-correlation_batch-size-d_1.5", plan.points().get(1).id());
        // "d^1.5" at d = 256 is exactly 4096, and the learning rate follows n_b
        assertEquals(4096, plan.points().get(1).spec().training().batchSize());
        assertEquals(0.01, plan.points().get(1).spec().training().learningRate(), 1e-15);
        assertEquals(List.of("square", "4096"), plan.points().get(5).labels());
        // seeds count up from the experiment's seed
        assertEquals(5, plan.runs().get(0).seed());
        assertEquals(6, plan.runs().get(1).seed());
        assertEquals(6, plan.runs().get(1).spec().seed());
        assertEquals("loss-square_batch-size-4096-seed6", plan.runs().get(11).folder());
        // every run gets one generator unless the experiment sets it
        assertEquals(1, plan.runs().get(0).spec().execution().generators());
    }

    @Test
    void bundleAxesSetSeveralKeysAndSeedListsAreTakenAsGiven() throws IOException
    {
        final Path file = sweep(String.join("\n",
            "grid {",
            "  variant = [{ name = plain }, { name = twice, training.repeats = 2, training.learning-rate = 0.001 }]",
            "}",
            "seeds = [11, 3]",
            "set { training.batch-size = 8 }"));
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, List.of("data.dim=128")), null, 1);
        assertTrue(plan.definition().axes().get(0).bundle());
        assertEquals(1, plan.points().get(0).spec().training().repeats());
        assertEquals(2, plan.points().get(1).spec().training().repeats());
        assertEquals(0.001, plan.points().get(1).spec().training().learningRate(), 0.0);
        assertEquals(8, plan.points().get(1).spec().training().batchSize());
        assertEquals(128, plan.points().get(1).spec().data().dim());
        assertEquals(List.of(11L, 3L), plan.runs().subList(0, 2).stream().map(SweepPlan.Run::seed).toList());
        assertEquals("variant-twice-seed3", plan.runs().get(3).folder());
    }

    @Test
    void fingerprintChangesWithThePlanButNotWithTheThreads() throws IOException
    {
        final Path file = sweep("grid { \"training.batch-size\" = [16, 32] }\nseeds = 2");
        final SweepDefinition d = SweepFile.load(file, List.of());
        final String one = SweepPlan.expand(d, null, 1).fingerprint();
        assertEquals(one, SweepPlan.expand(d, null, 3).fingerprint());
        assertFalse(one.equals(SweepPlan.expand(SweepFile.load(file, List.of("seeds=3")), null, 1).fingerprint()));
        assertFalse(one.equals(SweepPlan.expand(SweepFile.load(file, List.of("data.dim=128")), null, 1).fingerprint()));
    }

    /**
     * Resuming needs the very fingerprint an earlier version wrote: each run's line hashes its own resolved user
     * settings, even though the plan now settles a point once and only sets each run's seed.
     */
    @ParameterizedTest
    @CsvSource({"'[7, 3, 11]', tiny",
        // a name holding the number the plan renders in place of a seed: each run is then rendered on its own
        "'[7, -9223372036854751763]', run-9223372036854751763"})
    void fingerprintHashesEachRunsOwnResolvedSettings(final String seeds, final String name) throws IOException
    {
        final Path file = sweep("grid { \"training.batch-size\" = [16, 32], \"training.loss\" = [correlation, square] }"
            + "\nseeds = " + seeds + "\nset { experiment.name = " + name + " }");
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, List.of()), null, 1);
        final String[] lines = plan.fingerprint().split("\n");
        assertEquals(1 + plan.runs().size(), lines.length);
        assertEquals(4 * seeds.split(",").length, plan.runs().size());
        for (int i = 0; i < plan.runs().size(); i++)
        {
            final SweepPlan.Run run = plan.runs().get(i);
            final com.typesafe.config.Config c = run.user().resolve().withoutPath("pipeline").withoutPath("output")
                .withoutPath("metrics.progress").withoutPath("cluster").withoutPath("stop.max-wall")
                .withoutPath("data.gaussian");
            final String rendered =
                c.root().render(com.typesafe.config.ConfigRenderOptions.concise().setFormatted(false));
            assertTrue(rendered.contains("\"seed\":" + run.seed()), rendered);
            final String hash;
            try
            {
                hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            catch (final java.security.NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException(ex);
            }
            assertTrue(lines[1 + i].startsWith(run.folder() + " " + hash + " "), lines[1 + i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad grid key      | grid { \"training.batchsize\" = [16, 32] }\\nseeds = 2 | grid point training.batchsize=16: sweep.conf:2: unknown key 'training.batchsize' (did you mean training.batch-size?)",
        "bad grid value    | grid { \"training.batch-size\" = [16, 0] }\\nseeds = 2 | grid point training.batch-size=0: sweep.conf:2: training.batch-size: expected a count",
        "bad expression    | grid { \"training.batch-size\" = [\"d^^2\"] }\\nseeds = 2 | training.batch-size: ",
        "empty grid        | grid { }\\nseeds = 2 | grid: expected at least one key with a non-empty list of values, got an empty grid",
        "no grid           | seeds = 2 | grid: expected an object of keys with lists of values",
        "empty list        | grid { \"data.dim\" = [] }\\nseeds = 2 | grid.data.dim: expected a non-empty list of values, got []",
        "scalar axis       | grid { \"data.dim\" = 64 }\\nseeds = 2 | grid.data.dim: expected a non-empty list of values, got 64",
        "duplicate value   | grid { \"data.dim\" = [64, 64] }\\nseeds = 2 | grid.data.dim: value '64' appears twice",
        "bundle w/o name   | grid { variant = [{ training.repeats = 2 }] }\\nseeds = 2 | each override set needs name",
        "zero seeds        | grid { \"data.dim\" = [64] }\\nseeds = 0 | seeds: expected a count in [1, 10000]",
        "fractional seeds  | grid { \"data.dim\" = [64] }\\nseeds = 2.5 | seeds: expected a count in [1, 10000]",
        "repeated seeds    | grid { \"data.dim\" = [64] }\\nseeds = [1, 1] | seeds: expected a count in [1, 10000] or a non-empty list of distinct integer seeds",
        "empty seed list   | grid { \"data.dim\" = [64] }\\nseeds = [] | seeds: expected",
        "no seeds          | grid { \"data.dim\" = [64] } | seeds: expected",
        "unknown sweep key | grid { \"data.dim\" = [64] }\\nseeds = 1\\nseed = 3 | unknown sweep key 'seed'",
        "set hits grid     | grid { \"data.dim\" = [64] }\\nseeds = 1\\nset { data.dim = 32 } | set: data.dim is set by the grid",
        "missing metric    | grid { \"data.dim\" = [64] }\\nseeds = 1\\ncurves.metrics = [max-cos-2] | curves.metrics: expected max-cos-R (R in 1..1)",
        "bad curve x       | grid { \"data.dim\" = [64] }\\nseeds = 1\\ncurves.x = time | curves.x: expected steps, samples, steps/d or samples/d",
        "bad series        | grid { \"data.dim\" = [64] }\\nseeds = 1\\ncurves.series = [dim] | curves.series: expected grid keys (data.dim)",
        "bad workers       | grid { \"data.dim\" = [64] }\\nseeds = 1\\ntime-model.workers = 0 | time-model.workers: expected an integer in [1,",
        "bad rate          | grid { \"data.dim\" = [64] }\\nseeds = 1\\ntime-model.rate = -1 | time-model.rate: expected measured or a rate"})
    void userErrorsNameTheKeyAndWriteNothing(final String name, final String body, final String expected)
        throws IOException
    {
        final Path file = sweep(body.replace("\\n", "\n"));
        final UserError e = assertThrows(UserError.class,
            () -> SweepPlan.expand(SweepFile.load(file, List.of()), null, 1));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");

        // Through the command line: exit code 2, one line, and no sweep folder.
        final Path out = tmp.resolve("out-" + name.replace(' ', '-'));
        final StringWriter err = new StringWriter();
        final int code = cli(err, "sweep", file.toString(), "--out", out.toString(), "-q");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("sgdsim: ") && err.toString().strip().lines().count() == 1, err.toString());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void commandLineOverridesThatFightTheGridAreRejected() throws IOException
    {
        final Path file = sweep("grid { \"data.dim\" = [64, 128] }\nseeds = 1");
        final UserError e = assertThrows(UserError.class, () -> SweepFile.load(file, List.of("data.dim=32")));
        assertTrue(e.getMessage().contains("--set: data.dim is set by the grid"), e.getMessage());
        // but the grid itself can be changed from the command line
        final SweepDefinition d = SweepFile.load(file, List.of("grid.\"data.dim\"=[32]", "seeds=3"));
        assertEquals(1, d.axes().get(0).levels().size());
        assertEquals(3, d.seeds().count());
    }

    @Test
    void badCommandLineOptionsAreUserErrors() throws IOException
    {
        final Path file = sweep("grid { \"data.dim\" = [64] }\nseeds = 1");
        for (final String[] args : new String[][] {{"--parallel", "0"}, {"--workers", "0"}, {"--rate", "0"},
            {"--latency", "-1"}})
        {
            final Path out = tmp.resolve("out");
            final StringWriter err = new StringWriter();
            final int code = cli(err, "sweep", file.toString(), "--out", out.toString(), args[0], args[1]);
            assertEquals(2, code, err.toString());
            assertTrue(err.toString().contains(args[0]), err.toString());
            assertFalse(Files.exists(out));
        }
    }

    /** Runs the command line with stderr captured (stdout discarded); returns the exit code. */
    static int cli(final StringWriter err, final String... args)
    {
        final java.io.PrintStream oldErr = System.err;
        final java.io.PrintStream oldOut = System.out;
        final java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
        try
        {
            System.setErr(new java.io.PrintStream(errBytes, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            return Main.execute(args);
        }
        finally
        {
            System.setErr(oldErr);
            System.setOut(oldOut);
            err.write(errBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRunIsItsPointWithItsOwnSeed() throws IOException
    {
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(sweep("grid { \"training.batch-size\" = [16, 64] }"
            + "\nseeds = 3"), List.of()), null, 1);
        for (final SweepPlan.Run run : plan.runs())
        {
            assertEquals(run.seed(), run.spec().seed());
            assertEquals(run.seed(), run.spec().resolved().getLong("experiment.seed"));
            assertEquals(run.point().spec().training().batchSize(), run.spec().training().batchSize());
            assertEquals(run.point().spec().resolved().withoutPath("experiment.seed"),
                run.spec().resolved().withoutPath("experiment.seed"));
        }
    }

    @Test
    void aRunRecordFromTheSummaryMapEqualsTheOneReadBackFromSummaryJson() throws IOException
    {
        final SweepPlan plan = SweepPlan.expand(SweepFile.load(sweep("grid { \"training.batch-size\" = [16] }\nseeds = 1"),
            List.of()), null, 1);
        final SweepPlan.Run run = plan.runs().get(0);
        // Awkward doubles (no short decimal form, tiny, integral), nulls where the run did not reach or measure
        final java.util.Map<String, Object> finalFigures = new java.util.LinkedHashMap<>();
        finalFigures.put("max_cos_1", 0.1 + 0.2);
        finalFigures.put("risk", Double.NaN);
        final java.util.Map<String, Object> iteration = new java.util.LinkedHashMap<>();
        iteration.put("count", 3L);
        iteration.put("p50_us", 1.0 / 3.0);
        for (final boolean reached : new boolean[] {true, false})
        {
            final java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
            summary.put("steps", 1032L);
            summary.put("samples", 16512L);
            summary.put("wall_seconds", 2.3542864800000002e-7);
            summary.put("reached", reached);
            summary.put("steps_to_threshold", reached ? 1000L : null);
            summary.put("samples_to_threshold", reached ? 16000L : null);
            summary.put("stop_reason", reached ? "threshold" : "max-samples");
            summary.put("final", finalFigures);
            summary.put("latency", java.util.Map.of("learner-iteration", iteration));
            final Path dir = tmp.resolve("run-" + reached);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(RunRecord.SUMMARY), org.sgdsim.metrics.Json.write(summary));
            final RunRecord fromMap = RunRecord.of(run, summary);
            final RunRecord fromFile = RunRecord.read(run, dir);
            assertEquals(List.of(fromFile.reached(), fromFile.stepsToThreshold(), fromFile.samplesToThreshold(),
                fromFile.steps(), fromFile.samples(), fromFile.stopReason()), List.of(fromMap.reached(),
                fromMap.stepsToThreshold(), fromMap.samplesToThreshold(), fromMap.steps(), fromMap.samples(),
                fromMap.stopReason()));
            assertTrue(java.util.Arrays.equals(fromFile.finalMaxCos(), fromMap.finalMaxCos()));
            assertEquals(Double.doubleToLongBits(fromFile.wallSeconds()), Double.doubleToLongBits(fromMap.wallSeconds()));
            assertEquals(Double.doubleToLongBits(fromFile.learnerP50Micros()),
                Double.doubleToLongBits(fromMap.learnerP50Micros()));
            assertEquals(Double.doubleToLongBits(fromFile.finalMaxCos()[0]), Double.doubleToLongBits(0.1 + 0.2));
            assertEquals(reached ? 1000L : -1L, fromMap.stepsToThreshold());
            assertEquals(reached ? 16000L : -1L, fromFile.samplesToThreshold());
        }
    }

    private Path sweep(final String body) throws IOException
    {
        final Path dir = tmp.resolve("conf");
        Files.createDirectories(dir.resolve("experiments"));
        Files.writeString(dir.resolve("experiments/tiny.conf"), EXPERIMENT);
        final Path file = dir.resolve("sweep.conf");
        Files.writeString(file, "experiment = \"experiments/tiny.conf\"\n" + body + "\n");
        return file;
    }
}
