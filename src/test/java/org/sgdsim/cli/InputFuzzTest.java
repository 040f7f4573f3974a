package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.Footprint;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.sweep.SweepFile;
import org.sgdsim.experiment.sweep.SweepPlan;

/**
 * Mutated experiment and sweep files and {@code --set} lines ({@link InputFuzzer}): every case ends in a valid
 * experiment (or a successful run) or in one line, exit 2 and nothing written — never a stack trace, a hang or a
 * half-written folder. A failure names its seed; {@code -Dfuzz.replay=SEED} runs that one case again.
 */
class InputFuzzTest
{
    private static final Path CONF = Path.of("conf");
    private static final String BASE = String.join("\n",
        "experiment.name = t",
        "data.dim = 20",
        "teacher.target = \"He2(z1)\"",
        "student { width = 2, activation = He2 }",
        "training { batch-size = 2, learning-rate = \"0.5/d\" }",
        "stop.max-steps = 10",
        "metrics.progress = false");

    @TempDir
    Path tmp;

    static LongStream fastSeeds()
    {
        // -Dfuzz.first=S -Dfuzz.count=N explores other seeds in-process (the suite runs 1..40)
        final long first = Long.getLong("fuzz.first", 1);
        return LongStream.range(first, first + Integer.getInteger("fuzz.count", 40));
    }

    /** In-process validation, as run, sweep and theory do it before anything is written. */
    @ParameterizedTest(name = "experiment seed {0}")
    @MethodSource("fastSeeds")
    void aFuzzedExperimentValidatesOrFailsInOneLine(final long seed) throws IOException
    {
        validate(new InputFuzzer(seed).experiment(CONF));
    }

    @ParameterizedTest(name = "sweep seed {0}")
    @MethodSource("fastSeeds")
    void aFuzzedSweepPlansOrFailsInOneLine(final long seed) throws IOException
    {
        if (seed % 3 == 0 || Long.getLong("fuzz.first") != null) // sweeps cost more to plan: a third of the seeds in the suite
        {
            validate(new InputFuzzer(seed).sweep());
        }
    }

    /** Cases the fuzzer found, fixed, kept by name (see {@link #found()}). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("found")
    void foundCasesEndInOneLineExitTwoNothingWritten(final String name, final List<String> sets, final String expected)
        throws IOException
    {
        final Path file = tmp.resolve("base.conf");
        Files.writeString(file, BASE);
        final List<String> args = new ArrayList<>(List.of("run", file.toString()));
        for (final String set : sets)
        {
            args.add("--set");
            args.add(set);
        }
        final Path runs = tmp.resolve("runs");
        args.addAll(List.of("--set", "output.dir=" + runs, "-q"));
        final StringWriter err = new StringWriter();
        assertEquals(2, MainAccess.execute(new PrintWriter(err), args.toArray(String[]::new)), err.toString());
        assertEquals("sgdsim: " + expected, err.toString().strip());
        assertFalse(Files.exists(runs));
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> found()
    {
        final String forty = "(".repeat(40);
        return Stream.of(
            // fuzz seed 1004: StackOverflowError in Parser.expression (5,000 nested parentheses)
            org.junit.jupiter.params.provider.Arguments.of("deeply nested parentheses (fuzz seed 1004)",
                List.of("training.learning-rate=\"" + "(".repeat(5000) + "d" + ")".repeat(5000) + "\""),
                "--set: training.learning-rate: nested deeper than 200 levels (parentheses, calls, signs or powers) at "
                    + "column 201 in \"" + forty + "…\" (10001 characters)"),
            // fuzz seed 1925: StackOverflowError through Parser.unary (a long run of signs)
            org.junit.jupiter.params.provider.Arguments.of("a long run of signs (fuzz seed 1925)",
                List.of("stop.max-steps=\"" + "-".repeat(20000) + "d\""),
                "--set: stop.max-steps: nested deeper than 200 levels (parentheses, calls, signs or powers) at "
                    + "column 201 in \"" + "-".repeat(40) + "…\" (20001 characters)"),
            // fuzz seed 1009354: 1/frame-rate overflowed to an infinite latency, refused by the unit mid-run (exit 1)
            org.junit.jupiter.params.provider.Arguments.of("a frame rate whose frame time overflows (fuzz seed 1009354)",
                List.of("optics.frame-rate=1e-320"),
                "--set: optics.frame-rate: expected a number > 0 whose frame time 1/rate is finite, got 1.0E-320"),
            // fuzz seed 2936 and 60 more: the whole 20,000-character value echoed in the "one line"
            org.junit.jupiter.params.provider.Arguments.of("a 20,000-character value is cut (fuzz seed 2936)",
                List.of("data.sampler=" + "x".repeat(20000)),
                "--set: data.sampler: expected explicit or lowrank, got '" + "x".repeat(40) + "…' (20000 characters)"));
    }

    /** Fuzz seeds 1000223, 1000343, 1000373: a grid label longer than a file name left a half-written sweep. */
    @Test
    @Tag("slow")
    void aGridValueTooLongForAFolderNameRunsUnderAShortenedName() throws IOException
    {
        Files.writeString(tmp.resolve("base.conf"), BASE);
        final Path sweep = tmp.resolve("long.conf");
        Files.writeString(sweep, "experiment = \"base.conf\"\ngrid { \"dfa.momentum\" = [\"" + "-".repeat(3000)
            + "d\"] }\nseeds = 1\n");
        final Path out = tmp.resolve("sweep");
        final StringWriter err = new StringWriter();
        assertEquals(0, MainAccess.execute(new PrintWriter(err), "sweep", sweep.toString(), "--out", out.toString(),
            "--set", "stop.max-steps=3", "--parallel", "1", "-q"), err.toString());
        try (Stream<Path> runs = Files.list(out.resolve("runs")))
        {
            final List<Path> folders = runs.toList();
            assertEquals(1, folders.size());
            assertTrue(folders.get(0).getFileName().toString().length() <= 140, folders.toString());
            assertTrue(Files.isRegularFile(folders.get(0).resolve("summary.json")));
        }
    }

    /** 10,000 cases through the command line, runs capped to a few steps. */
    @Test
    @Tag("slow")
    void tenThousandCasesThroughTheCommandLine() throws IOException
    {
        final long first = Long.getLong("fuzz.seed", 1_000_000L);
        final int cases = Integer.getInteger("fuzz.cases", 10_000);
        final List<String> failures = new ArrayList<>();
        for (long seed = first; seed < first + cases; seed++)
        {
            final String failure = commandLine(seed);
            if (failure != null)
            {
                failures.add(failure);
                System.err.println(failure);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failing cases; replay one with -Dfuzz.replay=SEED:\n"
            + String.join("\n", failures));
    }

    @Test
    void replay() throws IOException
    {
        final Long seed = Long.getLong("fuzz.replay");
        assumeTrue(seed != null, "-Dfuzz.replay=SEED replays one case");
        validate(seed % 2 == 0 ? new InputFuzzer(seed).experiment(CONF) : new InputFuzzer(seed).sweep());
        final String failure = commandLine(seed);
        assertTrue(failure == null, failure);
    }

    /** Runs one case through the command line; null when it ended well, else what went wrong. */
    private String commandLine(final long seed) throws IOException
    {
        final InputFuzzer.Case c = seed % 2 == 0 ? new InputFuzzer(seed).experiment(CONF) : new InputFuzzer(seed).sweep();
        final Path dir = Files.createTempDirectory(tmp, "case");
        Files.writeString(dir.resolve("base.conf"), BASE);
        final Path file = dir.resolve("case.conf");
        Files.write(file, c.file());
        final Path runs = dir.resolve("runs");
        final boolean sweep = "sweep".equals(c.kind());
        final List<String> args = new ArrayList<>(List.of(sweep ? "sweep" : "run", file.toString()));
        args.addAll(c.args());
        // the caps: a few steps (or one epoch), the output where it can be checked
        // (and samples: a few steps of a 2^31-sample batch are hours of work, not a hang; fuzz seeds 1005787, 1008762)
        args.addAll(List.of("--set", "stop.max-steps=3", "--set", "stop.max-samples=100000", "--set", "dfa.epochs=1",
            "--set", "output.dir=" + runs, "-q"));
        if (sweep)
        {
            args.addAll(List.of("--out", runs.resolve("sweep").toString(), "--parallel", "1"));
        }
        final StringWriter err = new StringWriter();
        final int[] code = new int[1];
        try
        {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> code[0] = MainAccess.execute(new PrintWriter(err), args.toArray(String[]::new)));
        }
        catch (final Throwable t)
        {
            return c.describe() + ": " + t;
        }
        final String text = err.toString().strip();
        try
        {
            if (code[0] == 2)
            {
                assertTrue(text.startsWith("sgdsim: ") && !text.contains("\n") && !text.contains("Exception"), text);
                assertFalse(Files.exists(runs), "nothing written");
            }
            else
            {
                assertEquals(0, code[0], text);
                try (Stream<Path> written = Files.walk(runs))
                {
                    assertTrue(written.anyMatch(p -> p.getFileName().toString().matches("summary\\.(json|csv)")),
                        "a finished run leaves its summary");
                }
            }
            return null;
        }
        catch (final AssertionError | IOException ex)
        {
            return c.describe() + ": exit " + code[0] + ", " + ex.getMessage();
        }
    }

    /** Validates a case in-process: a spec, or a one-line UserError; anything else fails with the case's seed. */
    private void validate(final InputFuzzer.Case c) throws IOException
    {
        Files.writeString(tmp.resolve("base.conf"), BASE);
        final Path file = tmp.resolve("case.conf");
        Files.write(file, c.file());
        final List<String> sets = new ArrayList<>();
        for (int i = 1; i < c.args().size(); i += 2)
        {
            sets.add(c.args().get(i));
        }
        try
        {
            if ("sweep".equals(c.kind()))
            {
                final SweepPlan plan = SweepPlan.expand(SweepFile.load(file, sets), null, 1);
                plan.checkMemory(1);
            }
            else
            {
                final Experiment e = ExperimentConfig.loadAny(file, sets, null);
                Footprint.of(e).check(1);
            }
        }
        catch (final UserError ex)
        {
            final String m = ex.getMessage();
            assertTrue(m != null && !m.isBlank() && !m.contains("\n") && m.length() < 2000,
                c.describe() + " gave a message that is not one short line: " + m);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            final StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            fail(c.describe() + " threw " + trace.toString().lines().limit(8).reduce("", (a, b) -> a + "\n" + b));
        }
    }
}
