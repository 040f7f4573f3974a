package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sgdsim optics-cost}: the table, the crossovers, the chart, and one-line errors. */
class OpticsCostCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void printsTheTableAndCrossoversAndWritesTheChart() throws IOException
    {
        final Path png = tmp.resolve("cost.png");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute("optics-cost", "--set", "optics.latency=0", "--set", "optics.readout=diff2", "--plot", png.toString());
        assertEquals(0, code, err.toString());
        final String text = out.toString();
        assertTrue(text.contains("F_v = 2 frames per vector"), text);
        // 1e6..1e13 at 2 per decade: 15 rows after the column header.
        final String[] lines = text.split("\n");
        final int header = Arrays.asList(lines).indexOf(Arrays.stream(lines).filter(l -> l.trim().startsWith("P "))
            .findFirst().orElseThrow());
        assertTrue(lines[header + 1].trim().startsWith("1.00e+06"), lines[header + 1]);
        assertTrue(lines[header + 15].trim().startsWith("1.00e+13"), lines[header + 15]);
        // DIFF2 with no latency: P* = F_v·R/(2f) = 2e14/3000.
        assertTrue(text.contains("ODFA                   faster than BP         from P* = 6.667e+10"), text);
        assertTrue(text.contains("plot: " + png), text);
        final byte[] magic = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, magic);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "optics.cost.batch=0 | sgdsim: --set: optics.cost.batch: expected an integer in [1, 2147483647], got 0",
        "optics.cost.architecture=rnn | optics.cost.architecture: expected mlp or transformer, got 'rnn'",
        "optics.frame-rate=fast | optics.frame-rate: expected a number in [0.0",
        "data.dim=10 | sgdsim: --set: 'data.dim': expected an optics.* key (this command reads only the optics section)",
        "optics.cost.gpuflops=1 | unknown key 'optics.cost.gpuflops' (did you mean optics.cost.gpu-flops?)",
        "optics.cost | --set expects key=value",
    })
    void badSetIsOneLineExitTwo(final String set, final String expected)
    {
        final Path png = tmp.resolve("never.png");
        final StringWriter err = new StringWriter();
        final int code = MainAccess.execute(new PrintWriter(err), "optics-cost", "--set", set, "--plot", png.toString());
        final String message = err.toString().strip();
        assertEquals(2, code, message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains(expected), message);
        assertTrue(!Files.exists(png), "nothing written");
    }

    @Test
    void missingPlotFolderIsAUserError()
    {
        final StringWriter err = new StringWriter();
        final int code = MainAccess.execute(new PrintWriter(err), "optics-cost", "--plot",
            tmp.resolve("no/such/cost.png").toString());
        assertEquals(2, code);
        assertTrue(err.toString().strip().startsWith("sgdsim: --plot: folder "), err.toString());
    }
}
