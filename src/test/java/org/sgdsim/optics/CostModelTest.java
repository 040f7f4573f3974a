package org.sgdsim.optics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.optics.CostModel.Schedule;

/** The §4 cost model: its worked example, crossovers equal to the closed forms, monotone tables. */
class CostModelTest
{
    private static CostModel model(final Readout readout, final double latency)
    {
        return new CostModel(CostModel.Parameters.defaults(),
            OpuParameters.builder().readout(readout).latency(latency).build());
    }

    /** §4: MLP L = 24, w = 4096, B = 256, d_e = 1000, F_v = 2: T_BP 6 ms, T_DFA 5 ms, T_OPU 341 ms, ODFA 345 ms. */
    @Test
    void workedExampleOfSection4()
    {
        final CostModel m = model(Readout.DIFF2, 0.0);
        final double p = 24.0 * 4096 * 4096;
        assertEquals(4096.0, m.width(p), 1e-9);
        assertEquals(6.0 * 256 * p / 1e14, m.step(Schedule.BP, p).seconds(), 1e-15);
        assertEquals(6.18e-3, m.step(Schedule.BP, p).seconds(), 0.01e-3);
        assertEquals(4.63e-3, m.step(Schedule.DFA_GPU, p).seconds(), 0.01e-3);
        assertEquals(256 * 2 / 1500.0, m.opuSeconds(p), 1e-15);
        assertEquals(0.3455, m.step(Schedule.ODFA, p).seconds(), 0.0001);
        assertEquals(m.opuSeconds(p), m.step(Schedule.ODFA_PIPELINED, p).seconds(), 1e-15, "OPU-bound when pipelined");
        final CostModel.StepCost odfa = m.step(Schedule.ODFA, p);
        assertEquals(400 * odfa.gpuBusy() + 60 * odfa.opuSeconds() + 30 * odfa.opuSeconds(), odfa.joules(), 1e-12);
    }

    /** The bisection finds the closed forms of §4 for every readout, with and without latency. */
    @ParameterizedTest(name = "{0}, latency {1} s")
    @CsvSource({"IDEAL, 0", "DIFF2, 0", "EXACT3, 0", "EXACT3, 0.000666667", "DIFF2, 0.05"})
    void crossoversEqualTheClosedForms(final Readout readout, final double latency)
    {
        final CostModel m = model(readout, latency);
        assertEquals(1.0, m.crossover(Schedule.ODFA, Schedule.BP) / m.analyticCrossoverNoOffload(), 1e-9);
        assertEquals(1.0, m.crossover(Schedule.ODFA_PIPELINED, Schedule.BP) / m.analyticCrossoverPipelined(), 1e-9);
        assertEquals(1.0, m.crossover(Schedule.ODFA_OFFLOAD, Schedule.BP_OFFLOAD) / m.analyticCrossoverOffload(), 1e-9);
        if (latency == 0.0)
        {
            // §4: P* = F_v·R/(2f), independent of B.
            final double fv = m.unit().framesPerVector();
            assertEquals(fv * 1e14 / (2 * 1500.0), m.crossover(Schedule.ODFA, Schedule.BP), 1e-9 * 1e11);
        }
    }

    @Test
    void section4NumbersOfTheCrossovers()
    {
        assertEquals(3.3e10, model(Readout.IDEAL, 0.0).crossover(Schedule.ODFA, Schedule.BP), 0.05e10);
        assertEquals(6.7e10, model(Readout.DIFF2, 0.0).crossover(Schedule.ODFA, Schedule.BP), 0.05e10);
        assertEquals(1.33e11, model(Readout.EXACT3, 0.0).crossover(Schedule.ODFA, Schedule.BP), 0.01e11);
        // Offload-bound approximation B·F_v·W/(s·f) = 2.13e9 for B = 256, F_v = 1; the full form adds 2B/R_gpu.
        final double offload = model(Readout.IDEAL, 0.0).crossover(Schedule.ODFA_OFFLOAD, Schedule.BP_OFFLOAD);
        assertEquals(256 * 25e9 / (2 * 1500.0) / (1 + 2 * 256 / 1e14 * 25e9 / 2), offload, 1e-6 * offload);
        assertEquals(2.0e9, offload, 0.1e9);
    }

    /** ODFA vs GPU DFA needs d_e·D_fb ≳ F_v·R/(2f); with d_e = 1e5 that happens inside one device tile. */
    @Test
    void gpuDfaCrossoverEqualsTheClosedForm()
    {
        final CostModel.Parameters d = CostModel.Parameters.defaults();
        final CostModel m = new CostModel(new CostModel.Parameters(d.gpu(),
            new CostModel.Workload(d.workload().bytesPerParameter(), d.workload().batch(), 100_000,
                d.workload().architecture(), d.workload().depth()), d.table()), OpuParameters.defaults());
        assertTrue(m.feedbackDim(m.analyticCrossoverGpuDfa()) < OpuParameters.DEFAULT_MAX_OUTPUTS);
        assertEquals(1.0, m.crossover(Schedule.ODFA, Schedule.DFA_GPU) / m.analyticCrossoverGpuDfa(), 1e-9);
        assertTrue(Double.isNaN(model(Readout.EXACT3, 0.0).crossover(Schedule.ODFA, Schedule.DFA_GPU)),
            "with d_e = 1000 the optics never beats GPU DFA below 1e13 parameters");
    }

    /** Every schedule's time per step grows with P; T_OPU is flat until D_fb exceeds one tile of pixels. */
    @Test
    void tableIsMonotoneAndOpuTimeFlatWithinATile()
    {
        final CostModel m = model(Readout.EXACT3, 1 / 1500.0);
        final double[] sizes = m.sizes();
        assertEquals(15, sizes.length, "1e6..1e13 at 2 per decade");
        for (final Schedule s : Schedule.values())
        {
            for (int i = 1; i < sizes.length; i++)
            {
                assertTrue(m.step(s, sizes[i]).seconds() >= m.step(s, sizes[i - 1]).seconds(), s + " at " + sizes[i]);
                assertTrue(m.step(s, sizes[i]).joules() >= m.step(s, sizes[i - 1]).joules(), s + " energy");
            }
        }
        for (final double p : sizes)
        {
            final boolean oneTile = m.feedbackDim(p) <= OpuParameters.DEFAULT_MAX_OUTPUTS;
            assertEquals(oneTile, m.opuSeconds(p) == m.opuSeconds(sizes[0]), "P = " + p);
        }
    }
}
