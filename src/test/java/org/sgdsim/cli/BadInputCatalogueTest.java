package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

/**
 * The catalogue of bad inputs — command lines, expressions, config values, files and run folders — each with the
 * exact one-line message the user sees, exit code 2, and nothing written under the output folder.
 */
class BadInputCatalogueTest
{
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

    static Stream<Arguments> catalogue()
    {
        return Stream.of(
            // command line
            Arguments.of(List.of("run"), "sgdsim: Missing required parameter: 'FILE' (see 'sgdsim help run')"),
            Arguments.of(List.of("run", "@base", "extra"), "sgdsim: Unmatched argument at index 2: 'extra' (see 'sgdsim help run')"),
            Arguments.of(List.of("run", "@base", "--bogus"), "sgdsim: Unknown option: '--bogus' (see 'sgdsim help run')"),
            Arguments.of(List.of("fly"), "sgdsim: Unmatched argument at index 0: 'fly' (see 'sgdsim --help')"),
            Arguments.of(List.of("bench", "--batch", "x"), "sgdsim: Invalid value for option '--batch': 'x' is not an int (see 'sgdsim help bench')"),
            Arguments.of(List.of("bench", "--batch", "0"), "sgdsim: bench: --dim, --width, --batch must be ≥ 1, --seconds > 0 and --warmup ≥ 0"),
            Arguments.of(List.of("resume"), "sgdsim: Missing required parameter: 'RUN_DIR' (see 'sgdsim help resume')"),
            Arguments.of(List.of("resume", "@tmp/nothing"), "sgdsim: run folder @tmp/nothing does not exist"),
            Arguments.of(List.of("resume", "@tmp"), "sgdsim: @tmp is not a run folder: it has no config.conf"),
            Arguments.of(List.of("run", "@tmp/missing.conf"), "sgdsim: experiment file @tmp/missing.conf does not exist or is not a file"),
            Arguments.of(List.of("run", "@base", "--set", "=3"), "sgdsim: --set expects key=value, got '=3'"),
            // expressions
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=z1+"), "sgdsim: --set: teacher.target: missing operand at column 4 in \"z1+\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=He9(z1)"), "sgdsim: --set: teacher.target: He9 is not supported (He0..He8) at column 1 in \"He9(z1)\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=z0"), "sgdsim: --set: teacher.target: target variable 'z0' is not allowed at column 1 in \"z0\"; variables are numbered from z1, without leading zeros"),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=2*z1)"), "sgdsim: --set: teacher.target: unexpected ')' at column 5 in \"2*z1)\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=max(z1)"), "sgdsim: --set: teacher.target: function 'max' takes 2 arguments but got 1 at column 1 in \"max(z1)\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=3"), "sgdsim: --set: teacher.target: expected a string, got 3"),
            Arguments.of(List.of("run", "@base", "--set", "training.learning-rate=1/0"), "sgdsim: --set: training.learning-rate: expected a finite value, got '1/0' = Infinity"),
            Arguments.of(List.of("run", "@base", "--set", "training.learning-rate=d^^2"), "sgdsim: --set: training.learning-rate: missing operand before '^' at column 3 in \"d^^2\""),
            // values
            Arguments.of(List.of("run", "@base", "--set", "stop.max-samples=-5"), "sgdsim: --set: stop.max-samples: expected a count in [0, 9223372036854775806], got -5"),
            Arguments.of(List.of("run", "@base", "--set", "student.second-layer=[1, x]"), "sgdsim: --set: student.second-layer: expected a list of numbers, got [1, x]"),
            Arguments.of(List.of("run", "@base", "--set", "student.init={M0=[[0.1]]}"), "sgdsim: --set: student.init: expected an object with both M0 (p × k) and Q0 (p × p), got {M0=[[0.1]]}"),
            Arguments.of(List.of("run", "@base", "--set", "student.init={M0=[[0.1],[0.2]], Q0=[[1,0]]}"), "sgdsim: --set: student.init.Q0: expected a 2 × 2 matrix as a list of rows, e.g. [[0.1, 0.2], ...], got [[1, 0]]"),
            Arguments.of(List.of("run", "@base", "--set", "data.noise=-1"), "sgdsim: --set: data.noise: expected a number in [0.0, 1.7976931348623157E308], got -1.0"),
            Arguments.of(List.of("run", "@base", "--set", "data.block-size=0"), "sgdsim: --set: data.block-size: expected an integer in [1, 1048576], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "metrics.per-decade=0"), "sgdsim: --set: metrics.per-decade: expected an integer in [1, 1000], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "checkpoint.keep=0"), "sgdsim: --set: checkpoint.keep: expected an integer in [1, 1000], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "checkpoint.every-seconds=soon"), "sgdsim: --set: checkpoint.every-seconds: expected none or a positive integer, got 'soon'"),
            Arguments.of(List.of("run", "@base", "--set", "pipeline.generators=0"), "sgdsim: --set: pipeline.generators: expected an integer in [1, 256], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "training.displacement=abc"), "sgdsim: --set: training.displacement: expected a number in [-1000000.0, 1000000.0], got 'abc'"),
            Arguments.of(List.of("run", "@base", "--set", "experiment.seed=1.5"), "sgdsim: --set: experiment.seed: expected an integer in [-9223372036854775808, 9223372036854775807], got 1.5"),
            Arguments.of(List.of("run", "@base", "--set", "optics.readout=holography"), "sgdsim: --set: optics.readout: expected ideal, diff2, exact3 or lightonml, got 'holography'"),
            Arguments.of(List.of("optics-cost", "--set", "optics.cost.batch=0", "--plot", "@tmp/runs/cost.png"), "sgdsim: --set: optics.cost.batch: expected an integer in [1, 2147483647], got 0"),
            Arguments.of(List.of("optics-cost", "--set", "data.dim=3", "--plot", "@tmp/runs/cost.png"), "sgdsim: --set: 'data.dim': expected an optics.* key (this command reads only the optics section)"),
            Arguments.of(List.of("optics-cost", "--plot", "@tmp/runs/cost.png"), "sgdsim: --plot: folder @tmp/runs does not exist"),
            // files
            Arguments.of(List.of("run", "@syntax"), "sgdsim: @tmp/syntax.conf: 1: Expecting close brace } or a comma, got end of file"),
            Arguments.of(List.of("run", "@base", "--out", "@base"), "sgdsim: --out @base exists and is not a directory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void exactOneLineExitTwoNothingWritten(final List<String> args, final String expected) throws IOException
    {
        final Path base = tmp.resolve("base.conf");
        Files.writeString(base, BASE);
        Files.writeString(tmp.resolve("syntax.conf"), "data { dim = 3 ");
        final Path runs = tmp.resolve("runs");
        final List<String> actual = new ArrayList<>();
        for (final String a : args)
        {
            actual.add(a.replace("@base", base.toString()).replace("@syntax", tmp.resolve("syntax.conf").toString())
                .replace("@tmp", tmp.toString()));
        }
        if ("run".equals(actual.get(0)) && actual.size() > 1)
        {
            actual.add("--set");
            actual.add("output.dir=" + runs);
        }
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
            .execute(actual.toArray(String[]::new));
        assertEquals(2, code, err.toString());
        assertEquals(expected.replace("@base", base.toString()).replace("@tmp", tmp.toString()), err.toString().strip());
        assertFalse(Files.exists(runs), "nothing written");
    }
}
