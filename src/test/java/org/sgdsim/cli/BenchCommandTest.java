package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code sgdsim bench}: one JSON line whose rates agree with the run's sizes, and a plausible efficiency. */
@Tag("slow")
class BenchCommandTest
{
    @Test
    void calibratedBenchReportsTheEfficiencyOfItsOwnRates()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("bench",
            "--dim", "200", "--width", "2", "--batch", "32", "--seconds", "3", "--warmup", "1", "--generators", "1",
            "--calibrate");
        assertEquals(0, code, err.toString());
        final Config line = ConfigFactory.parseString(out.toString().strip());
        final double samples = line.getDouble("samples_per_s");
        final double before = line.getDouble("single_thread_gaussians_per_s_before");
        final double after = line.getDouble("single_thread_gaussians_per_s_after");
        assertTrue(samples > 0 && before > 1e6 && after > 1e6, out.toString());
        // Every explicit sample is d = 200 Gaussians and one for its label noise; every step takes one batch of 32.
        assertEquals(201.0, line.getDouble("gaussians_per_s") / samples, 1e-6, out.toString());
        assertEquals(32.0, samples / line.getDouble("steps_per_s"), 1e-6, out.toString());
        assertTrue(line.getDouble("generation_efficiency") > 0.05, out.toString());
        // A generator cannot beat the fill it is made of by more than the machine's noise.
        assertTrue(line.getDouble("generation_efficiency") < 1.5, out.toString());
        assertTrue(line.getDouble("generation_p50_us_per_sample") > 0, out.toString());
        assertEquals(1, line.getInt("generators"));
    }
}
