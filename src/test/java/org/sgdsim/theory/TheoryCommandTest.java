package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.cli.Main;
import org.sgdsim.metrics.RowSchedule;

/** {@code sgdsim theory}: theory.csv has the run's columns and rows; user errors exit 2 with one line. */
class TheoryCommandTest
{
    private static final String EXPERIMENT = String.join("\n",
        "experiment.name = th",
        "data.dim = 200",
        "teacher.target = \"He2(z1)\"",
        "student { width = 2, activation = He2, init = random }",
        "training { batch-size = 1, learning-rate = \"0.5/d\", normalization = projected }",
        "stop.max-steps = 3000",
        "metrics { every = log, progress = false, risk-samples = 10000 }");

    @TempDir
    Path tmp;

    /** Exit code, stdout and stderr of one command line. */
    private record Outcome(int code, String out, String err)
    {
    }

    private static Outcome sgdsim(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            final int code = Main.execute(args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path experiment() throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, EXPERIMENT);
        return file;
    }

    private static List<String[]> csv(final Path file) throws IOException
    {
        final List<String[]> rows = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            rows.add(line.split(","));
        }
        return rows;
    }

    @Test
    void theoryCsvHasTheColumnsAndRowsOfMetricsCsv() throws IOException
    {
        final Path file = experiment();
        final Path runDir = tmp.resolve("run");
        final Path theoryDir = tmp.resolve("theory");
        assertEquals(0, sgdsim("run", file.toString(), "--reference", "-q", "--out", runDir.toString()).code());
        final Outcome theory = sgdsim("theory", file.toString(), "--out", theoryDir.toString());
        assertEquals(0, theory.code(), theory.err());
        assertTrue(theory.out().startsWith("theory: ode (n_b = 1"), theory.out());

        final List<String[]> run = csv(runDir.resolve("metrics.csv"));
        final List<String[]> predicted = csv(theoryDir.resolve("theory.csv"));
        assertEquals(String.join(",", run.get(0)), String.join(",", predicted.get(0)), "same header");
        assertEquals(run.size(), predicted.size(), "same rows");
        for (int i = 1; i < run.size(); i++)
        {
            assertEquals(run.get(i)[0], predicted.get(i)[0], "step of row " + i);
            assertEquals(run.get(i)[1], predicted.get(i)[1], "samples of row " + i);
            assertEquals("0.0", predicted.get(i)[2], "wall_s");
        }
        // Row 0 starts from the run's own W0: the same M and Q, bit for bit, and the same exact risk.
        final String[] first = predicted.get(1);
        final String[] simulated = run.get(1);
        for (int c = 3; c < first.length; c++)
        {
            if (c == 4)
            {
                assertEquals(Double.parseDouble(simulated[c]), Double.parseDouble(first[c]), 1e-12, "risk at step 0");
            }
            else
            {
                assertEquals(simulated[c], first[c], "column " + run.get(0)[c] + " at step 0");
            }
        }
        final String json = Files.readString(theoryDir.resolve("theory.json"));
        assertTrue(json.contains("\"method\": \"ode\""), json);
        assertTrue(json.contains("gauss-hermite-exact"), json);
        assertTrue(json.contains("Dormand-Prince"), json);
    }

    @Test
    void largeBatchesUseTheOneStepRecursion() throws IOException
    {
        final Path out = tmp.resolve("rec");
        final Outcome o = sgdsim("theory", experiment().toString(), "--set", "training.batch-size=100",
            "--set", "stop.max-steps=50", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("theory: recursion (n_b = 100 > 1"), o.out());
        assertTrue(Files.readString(out.resolve("theory.json")).contains("one-step recursion"));
        final List<Long> expected = new ArrayList<>();
        final RowSchedule schedule = RowSchedule.logSpaced(20);
        for (long step = 0; step < 50; step = schedule.nextAfter(step))
        {
            expected.add(step);
        }
        expected.add(50L);
        final List<Long> steps = new ArrayList<>();
        final List<String[]> rows = csv(out.resolve("theory.csv"));
        assertEquals(expected.size() + 1, rows.size(), "header and one row per scheduled step");
        for (final String[] row : rows.subList(1, rows.size()))
        {
            steps.add(Long.parseLong(row[0]));
            assertEquals(Long.parseLong(row[0]) * 100, Long.parseLong(row[1]), "samples = steps * n_b");
        }
        assertEquals(expected, steps, "the run's row schedule, then its last step");
    }

    @Test
    void thresholdsArePrinted()
    {
        final Outcome o = sgdsim("theory", "--thresholds", "z1^2");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("alpha_c(z1^2) = 0.5000  [finite]"), o.out());
        final Outcome parity = sgdsim("theory", "--thresholds", "sign(z1*z2*z3)");
        assertTrue(parity.out().startsWith("alpha_c(sign(z1*z2*z3)) = infinity  [hard]"), parity.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "displaced rule; --set training.rule=displaced; training.rule: the theory covers rule sgd",
        "repeats; --set training.repeats=2; training.repeats: the theory covers one step per fresh batch",
        "finite dataset; --set training.dataset-size=1000; training.dataset-size: the theory covers online training",
        "bad integrator; --integrator=rk45; --integrator: expected auto, ode or recursion",
        "bad initial; --initial=warm; --initial: expected seed or ideal",
        "bad key; --set training.batchsize=3; unknown key 'training.batchsize'"})
    void userErrorsExitTwoWithOneLineAndWriteNothing(final String name, final String option, final String expected)
        throws IOException
    {
        final Path out = tmp.resolve("out");
        final List<String> args = new ArrayList<>(List.of("theory", experiment().toString(), "--out", out.toString()));
        args.addAll(List.of(option.split(" ")));
        final Outcome o = sgdsim(args.toArray(String[]::new));
        final String message = o.err().strip();
        assertEquals(2, o.code(), message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains(expected), message);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void thresholdErrorsExitTwo() throws IOException
    {
        for (final String[] args : List.of(
            new String[] {"theory"},
            new String[] {"theory", "--thresholds", "z1 +"},
            new String[] {"theory", "--thresholds", "3"},
            new String[] {"theory", experiment().toString(), "--thresholds", "z1^2"}))
        {
            final Outcome o = sgdsim(args);
            assertEquals(2, o.code(), String.join(" ", args) + ": " + o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
        }
    }
}
