package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep runs skip their per-run PNG/SVG plots unless {@code output.plots = true}; single runs keep them. */
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
}
