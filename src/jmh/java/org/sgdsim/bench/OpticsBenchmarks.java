package org.sgdsim.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.optics.Encoding;
import org.sgdsim.optics.OpticalProcessingUnit;
import org.sgdsim.optics.OpuParameters;
import org.sgdsim.optics.Readout;

/** JMH: one batch of DFA errors through the simulated optical unit, the cost a DFA step pays for its feedback. */
// Not final, nor is the state: JMH generates subclasses of both.
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
    "-XX:CompileCommandFile=conf/hotspot_compiler"})
public class OpticsBenchmarks
{
    /** A unit and a batch of sparse ternary errors (bit planes: the same values, sent as 2p planes). */
    @State(Scope.Thread)
    public static class Unit
    {
        /** Readout mode. */
        @Param({"IDEAL", "DIFF2", "EXACT3"})
        public String readout;

        /** Input encoding. */
        @Param({"TERNARY", "BIT_PLANES"})
        public String encoding;

        /** Camera pixels M (outputs). */
        @Param("256")
        public int m;

        /** Errors per batch. */
        @Param("32")
        public int batch;

        OpticalProcessingUnit unit;
        double[] errors;
        double[] out;

        /** Builds the unit with default noise and draws the errors. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final int k = 10;
            unit = new OpticalProcessingUnit(OpuParameters.builder().readout(Readout.valueOf(readout))
                .encoding(Encoding.valueOf(encoding)).build(), k, m, 1L);
            final GaussianStream random = new GaussianStream(2L, 0L);
            errors = new double[batch * k];
            for (int j = 0; j < errors.length; j++)
            {
                if (random.nextDouble() < 0.3)
                {
                    errors[j] = random.nextDouble() < 0.5 ? -1.0 : 1.0;
                }
            }
            out = new double[batch * m];
        }
    }

    /** One {@code project} of {@code batch} K = 10 errors onto M pixels. */
    @Benchmark
    public double project(final Unit s)
    {
        s.unit.project(s.errors, s.batch, s.out);
        return s.out[0];
    }
}
