package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweep runs skip their per-run PNG/SVG plots unless {@code output.plots = true}, and a run whose files a crash tore
 * (they are not forced to disk) is redone when the sweep is run again.
 */
class SweepRunPlotsTest
{
    @TempDir
    Path tmp;

    private List<String> pictures(final String... extra) throws IOException
    {
        final Path out = tmp.resolve("sweep" + extra.length);
        final List<String> args = new java.util.ArrayList<>(List.of("sweep", "conf/sweeps/he2-batch-size.conf",
            "--out", out.toString(), "-q", "--set", "seeds=1", "--set", "data.dim=32", "--set", "stop.max-steps=50",
            "--set", "grid.\"training.batch-size\"=[4]", "--set", "grid.\"training.loss\"=[square]"));
        args.addAll(List.of(extra));
        final StringWriter err = new StringWriter();
        assertEquals(0, Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
            .execute(args.toArray(String[]::new)), err.toString());
        try (Stream<Path> files = Files.walk(out.resolve("runs")))
        {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".png") || f.endsWith(".svg"))
                .sorted().toList();
        }
    }

    @Test
    void sweepRunsSkipTheirPlotsUnlessAsked() throws IOException
    {
        assertEquals(List.of(), pictures());
        assertEquals(List.of("overlaps.png", "overlaps.svg", "risk.png", "risk.svg"),
            pictures("--set", "output.plots=true"));
    }

    @Test
    void aSweepRunWithATornMetricsFileIsRedone() throws IOException
    {
        pictures();
        final Path out = tmp.resolve("sweep0");
        final Path run;
        try (Stream<Path> dirs = Files.list(out.resolve("runs")))
        {
            run = dirs.findFirst().orElseThrow();
        }
        final Path metrics = run.resolve("metrics.csv");
        final List<String> whole = Files.readAllLines(metrics);
        // What a crash can leave of a file written without fsync: the last row lost, summary.json kept.
        Files.write(metrics, whole.subList(0, whole.size() - 1));
        final StringWriter stdout = new StringWriter();
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(stdout)).setErr(new PrintWriter(new StringWriter()))
            .execute("sweep", "conf/sweeps/he2-batch-size.conf", "--out", out.toString(), "-q", "--set", "seeds=1",
                "--set", "data.dim=32", "--set", "stop.max-steps=50", "--set", "grid.\"training.batch-size\"=[4]",
                "--set", "grid.\"training.loss\"=[square]"));
        assertEquals(withoutWall(whole), withoutWall(Files.readAllLines(metrics)), "the run was redone to its end");
        assertTrue(stdout.toString().contains("(0 from before, 1 now)"), stdout.toString());
    }

    private static List<String> withoutWall(final List<String> rows)
    {
        return rows.stream().map(r -> r.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1")).toList();
    }

    @Test
    void aShortRunDrawsPlotsOnlyWhenAsked() throws IOException
    {
        for (final String value : new String[] {"auto", "true"})
        {
            final Path out = tmp.resolve("run-" + value);
            assertEquals(0, Main.commandLine().setOut(new PrintWriter(new StringWriter())).execute("run",
                "conf/experiments/quickstart.conf", "--out", out.toString(), "-q", "--set", "data.dim=32", "--set",
                "stop.max-steps=20", "--set", "output.plots=" + value));
            try (Stream<Path> files = Files.list(out))
            {
                final long pictures = files.filter(f -> f.toString().endsWith(".png") || f.toString().endsWith(".svg"))
                    .count();
                // auto: a run of well under 2 s is not worth the second that drawing costs a fresh JVM.
                assertEquals("auto".equals(value) ? 0 : 4, pictures, value);
            }
        }
        final StringWriter err = new StringWriter();
        final Path bad = tmp.resolve("bad");
        assertEquals(2, Main.commandLine().setErr(new PrintWriter(err)).execute("run",
            "conf/experiments/quickstart.conf", "--out", bad.toString(), "--set", "output.plots=sometimes"));
        assertTrue(err.toString().contains("output.plots: expected true, false or auto, got 'sometimes'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(Files.notExists(bad));
    }
}
