package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sgdsim run} writes the resolved config, the metrics rows and the summary, and prints one line. */
class RunCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void runWritesItsFolder() throws IOException
    {
        final Path out = tmp.resolve("run");
        final StringWriter stdout = new StringWriter();
        final int code = Main.commandLine().setOut(new PrintWriter(stdout)).execute("run",
            "conf/experiments/quickstart.conf", "--out", out.toString(), "-q",
            "--set", "data.dim=100", "--set", "stop.max-samples=300", "--set", "metrics.every=100");
        assertEquals(0, code);
        assertTrue(stdout.toString().strip().startsWith(out + ": 300 steps, 300 samples"), stdout.toString());

        final List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("step,samples,wall_s,max_cos_1,risk,m_1_1,m_2_1,m_3_1,m_4_1,q_1_1,q_1_2,q_1_3,q_1_4,q_2_2,"
            + "q_2_3,q_2_4,q_3_3,q_3_4,q_4_4", rows.get(0));
        assertEquals(List.of("0", "100", "200", "300"), rows.stream().skip(1).map(r -> r.split(",")[0]).toList());

        final String summary = Files.readString(out.resolve("summary.json"));
        for (final String field : new String[] {"\"steps\": 300", "\"samples\": 300", "\"wall_seconds\"",
            "\"reached\": false", "\"steps_to_threshold\": null", "\"samples_to_threshold\": null",
            "\"stop_reason\": \"max-samples\"", "\"risk_method\": \"gauss-hermite-exact", "\"max_cos_1\"",
            "\"convention\""})
        {
            assertTrue(summary.contains(field), field + " in " + summary);
        }
        final String config = Files.readString(out.resolve("config.conf"));
        assertTrue(config.contains("dim = 100") || config.contains("dim=100"), config);
        assertTrue(config.contains("nb = 1"), config);
        // The resolved config is itself a valid experiment: it runs again to the same rows.
        final Path again = tmp.resolve("again");
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(new StringWriter()))
            .execute("run", out.resolve("config.conf").toString(), "--out", again.toString(), "-q"));
        assertEquals(withoutWall(rows), withoutWall(Files.readAllLines(again.resolve("metrics.csv"))));
    }

    @Test
    void versionAndHelp()
    {
        final StringWriter stdout = new StringWriter();
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(stdout)).execute("version"));
        assertTrue(stdout.toString().startsWith("sgdsim "), stdout.toString());
        final StringWriter help = new StringWriter();
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(help)).execute("help", "run"));
        assertTrue(help.toString().contains("--set"), help.toString());
    }

    @Test
    void unknownSubcommandIsAUsageError()
    {
        assertEquals(2, Main.commandLine().setErr(new PrintWriter(new StringWriter())).execute("fly"));
    }

    private static List<String> withoutWall(final List<String> rows)
    {
        return rows.stream().map(r -> r.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1")).toList();
    }

    @Test
    void aFailedStageExitsOneWithOneLine()
    {
        final StringWriter err = new StringWriter();
        final picocli.CommandLine cl = Main.commandLine();
        cl.addSubcommand("fail", new FailingCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(1, cl.execute("fail"));
        assertEquals("sgdsim: stage learner failed: ArithmeticException: diverged", err.toString().strip());
    }

    /** A command whose run fails the way a pipeline stage does. */
    @picocli.CommandLine.Command(name = "fail")
    static final class FailingCommand implements java.util.concurrent.Callable<Integer>
    {
        @Override
        public Integer call()
        {
            throw new org.sgdsim.stream.plane.StageFailedException("stage learner failed: ArithmeticException: diverged",
                new ArithmeticException("diverged"));
        }
    }
}
