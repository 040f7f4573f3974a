package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every user error: one line on stderr naming the key, exit code 2, and no run folder written. */
class ConfigErrorsTest
{
    private static final String VALID = String.join("\n",
        "experiment.name = t",
        "data.dim = 20",
        "teacher.target = \"He2(z1)\"",
        "student { width = 2, activation = He2 }",
        "training { batch-size = 2, learning-rate = \"0.5/d\" }",
        "stop.max-steps = 10",
        "metrics.progress = false");

    @TempDir
    Path tmp;

    static Stream<Arguments> errors()
    {
        return Stream.of(
            Arguments.of("unknown key", List.of("--set", "training.batchsize=3"), "sgdsim: --set: unknown key 'training.batchsize' (did you mean training.batch-size?)"),
            Arguments.of("wrong type", List.of("--set", "data.dim=abc"), "data.dim: expected an integer"),
            Arguments.of("out of range", List.of("--set", "data.dim=0"), "data.dim: expected an integer in [1, "),
            Arguments.of("fraction for integer", List.of("--set", "student.width=2.5"), "student.width: expected an integer"),
            Arguments.of("bad target", List.of("--set", "teacher.target=He3(z1"), "teacher.target: "),
            Arguments.of("unknown function", List.of("--set", "teacher.target=foo(z1)"), "teacher.target: unknown function 'foo'"),
            Arguments.of("target beyond d", List.of("--set", "teacher.target=z1+z30"), "teacher.target: expected at most data.dim = 20"),
            Arguments.of("bad activation", List.of("--set", "student.activation=sigmoid"), "student.activation: expected one of He1..He8"),
            Arguments.of("bad second layer", List.of("--set", "student.second-layer=[1, 2, 3]"), "student.second-layer: expected a list of student.width = 2 numbers"),
            Arguments.of("bad init", List.of("--set", "student.init=warm"), "student.init: expected random, zero"),
            Arguments.of("overlap out of range", List.of("--set", "student.init=1.5"), "student.init: expected an initial overlap m0 in [-1, 1]"),
            Arguments.of("init not PSD", List.of("--set", "student.init={M0=[[0.9],[0.9]], Q0=[[0.5,0],[0,0.5]]}"), "student.init: expected Q0 − M0·M0ᵀ positive semi-definite"),
            Arguments.of("bad rule", List.of("--set", "training.rule=adam"), "training.rule: expected sgd, displaced or gd"),
            Arguments.of("bad loss", List.of("--set", "training.loss=hinge"), "training.loss: expected square, correlation, exponential or adaptive"),
            Arguments.of("bad normalization", List.of("--set", "training.normalization=unit"), "training.normalization: expected none, projected or spherical"),
            Arguments.of("bad batch expression", List.of("--set", "training.batch-size=d^^2"), "training.batch-size: "),
            Arguments.of("unknown variable", List.of("--set", "training.learning-rate=0.1*n"), "training.learning-rate: unknown variable 'n'"),
            Arguments.of("negative learning rate", List.of("--set", "training.learning-rate=-0.1"), "training.learning-rate: expected a positive step size"),
            Arguments.of("gd without dataset", List.of("--set", "training.rule=gd"), "training.dataset-size: expected a finite dataset"),
            Arguments.of("gd with batch size", List.of("--set", "training.rule=gd", "--set", "training.dataset-size=3*d"), "training.batch-size: expected no batch size with rule gd"),
            Arguments.of("batch larger than dataset", List.of("--set", "training.dataset-size=1"), "training.batch-size: expected at most training.dataset-size = 1"),
            Arguments.of("bad sampler", List.of("--set", "data.sampler=fast"), "data.sampler: expected explicit or lowrank"),
            Arguments.of("lowrank with displaced", List.of("--set", "data.sampler=lowrank", "--set", "training.rule=displaced"), "data.sampler: expected explicit with training.rule = displaced"),
            Arguments.of("lowrank with dataset", List.of("--set", "data.sampler=lowrank", "--set", "training.dataset-size=3*d"), "data.sampler: expected explicit with a finite training.dataset-size"),
            Arguments.of("lowrank with repeats", List.of("--set", "data.sampler=lowrank", "--set", "training.repeats=2"), "data.sampler: expected explicit with training.repeats > 1"),
            Arguments.of("no budget", List.of("--set", "stop.max-steps=none"), "stop: set stop.max-steps or stop.max-samples"),
            Arguments.of("bad threshold metric", List.of("--set", "stop.when={metric=max-cos-3, above=0.5}"), "stop.when.metric: expected max-cos-R (R in 1..1)"),
            Arguments.of("threshold without side", List.of("--set", "stop.when={metric=risk}"), "stop.when: expected none or { metric"),
            Arguments.of("bad every", List.of("--set", "metrics.every=often"), "metrics.every: expected log or a positive number of steps"),
            Arguments.of("too few risk samples", List.of("--set", "metrics.risk-samples=100"), "metrics.risk-samples: expected an integer in [10000"),
            Arguments.of("bad name", List.of("--set", "experiment.name=a/b"), "experiment.name: expected letters, digits"),
            Arguments.of("malformed --set", List.of("--set", "training.rule"), "--set expects key=value"),
            Arguments.of("null value", List.of("--set", "stop.when=null"), "'stop.when' is null"),
            Arguments.of("nb in a gd dataset size", List.of("--set", "training.rule=gd", "--set", "training.dataset-size=3*nb"), "training.dataset-size: unknown variable 'nb'"),
            Arguments.of("fractional count", List.of("--set", "training.batch-size=\"0.5\""), "training.batch-size: expected a count in [1, 2147483647], got '0.5' = 0.5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void userErrorExitsTwoWithOneLineAndWritesNothing(final String name, final List<String> extra, final String expected)
        throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, VALID);
        final Path out = tmp.resolve("out");
        final List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", out.toString()));
        args.addAll(extra);
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        final String message = err.toString().strip();
        assertEquals(2, code, message);
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
        assertFalse(Files.exists(out), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileErrors")
    void fileErrorsExitTwo(final String name, final String content, final String expected) throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        if (content != null)
        {
            Files.writeString(file, content);
        }
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err))
            .execute("run", file.toString(), "--out", tmp.resolve("out").toString());
        final String message = err.toString().strip();
        assertEquals(2, code, message);
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    static Stream<Arguments> fileErrors()
    {
        return Stream.of(
            Arguments.of("missing file", null, "does not exist"),
            Arguments.of("syntax error", "data { dim = 3 ", "exp.conf"),
            Arguments.of("unknown key with line", VALID + "\nstudnt.width = 3\n", "exp.conf:8: unknown key 'studnt.width'"));
    }

    @org.junit.jupiter.api.Test
    void nonEmptyOutFolderIsRefusedAndKept() throws IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, VALID);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "precious");
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err)).execute("run", file.toString(), "--out", out.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("is not empty"), err.toString());
        assertEquals("precious", Files.readString(out.resolve("keep.txt")));
        assertEquals(1, Files.list(out).count());
    }
}
