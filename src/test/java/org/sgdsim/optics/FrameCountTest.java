package org.sgdsim.optics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frames, device seconds and joules follow the rules of dfa-optics.md §2.4 and §4. */
class FrameCountTest
{
    /**
     * Expected frames per vector are written out here from §2.4, not taken from the code: ternary IDEAL 1, DIFF2 2,
     * EXACT3 4; bit planes 2p × (IDEAL 1, DIFF2 1, EXACT3 2); LIGHTONML 1. Calibration: 1 frame per output tile for
     * DIFF2 and EXACT3. Small device tiles exercise the ⌈K/N_in⌉·⌈M/N_out⌉ passes.
     */
    @ParameterizedTest(name = "{0} {1} p={2} K={3} M={4} batches {5}x{6} tile {7}x{8} -> {9} per vector")
    @CsvSource({
        "IDEAL,     TERNARY,    6, 10, 256, 3, 32, 1039680, 2219520, 1",
        "DIFF2,     TERNARY,    6, 10, 256, 3, 32, 1039680, 2219520, 2",
        "EXACT3,    TERNARY,    6, 10, 256, 3, 32, 1039680, 2219520, 4",
        "IDEAL,     BIT_PLANES, 6, 10, 256, 2, 5,  1039680, 2219520, 12",
        "DIFF2,     BIT_PLANES, 6, 10, 256, 2, 5,  1039680, 2219520, 12",
        "EXACT3,    BIT_PLANES, 6, 10, 256, 2, 5,  1039680, 2219520, 24",
        "EXACT3,    BIT_PLANES, 3, 7,  33,  4, 1,  1039680, 2219520, 12",
        "LIGHTONML, BIT_PLANES, 6, 10, 256, 2, 5,  1039680, 2219520, 1",
        "EXACT3,    TERNARY,    6, 10, 100, 2, 7,  4,       30,      48",
        "DIFF2,     TERNARY,    6, 25, 61,  1, 3,  10,      61,      6",
        "IDEAL,     TERNARY,    6, 9,  61,  5, 2,  3,       20,      12",
        "EXACT3,    BIT_PLANES, 2, 5,  17,  1, 9,  2,       8,       72",
    })
    void framesFollowTheSection24Rules(final Readout readout, final Encoding encoding, final int p, final int k,
        final int m, final int calls, final int batch, final int maxIn, final int maxOut, final long perVector)
    {
        final OpuParameters params = OpuParameters.builder().readout(readout).encoding(encoding).bitPlanes(p)
            .maxInputs(maxIn).maxOutputs(maxOut).frameRate(1000.0).latency(0.002).power(25.0).build();
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(params, k, m, 7);
        final long calibration = readout == Readout.DIFF2 || readout == Readout.EXACT3 ? (m + maxOut - 1) / maxOut : 0;
        assertEquals(calibration, unit.frames(), "calibration at start");
        final double[] e = FidelitySetup.sparseTernary(batch, k, 1);
        for (int c = 0; c < calls; c++)
        {
            unit.project(e, batch, new double[batch * m]);
        }
        final long expected = calibration + (long)calls * batch * perVector;
        assertEquals(expected, unit.frames());
        assertEquals((long)calls * batch, unit.vectors());
        assertEquals(expected / 1000.0 + calls * 0.002, unit.deviceSeconds(), 1e-12);
        assertEquals(25.0 * unit.deviceSeconds(), unit.energyJoules(), 1e-12);
    }

    /** Zero vectors are exposed too, and an empty batch costs nothing, not even latency. */
    @Test
    void zeroVectorsCountAndEmptyBatchesDoNot()
    {
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(OpuParameters.defaults(), 10, 32, 1);
        unit.project(new double[40], 4, new double[4 * 32]);
        unit.project(new double[0], 0, new double[0]);
        assertEquals(1 + 4 * 4, unit.frames());
        assertEquals(1, unit.projectCalls());
        assertEquals(17 / 1500.0 + 1 / 1500.0, unit.deviceSeconds(), 1e-15, "default latency is one frame");
        assertEquals(30.0 * unit.deviceSeconds(), unit.energyJoules(), 1e-15);
    }

    /** §4 digits count: 60 epochs × 1347 samples in EXACT3 = 323,281 frames, 215.5 s at 1.5 kHz. */
    @Test
    void digitsTrainingFrameBudget()
    {
        final OpuParameters p = OpuParameters.builder().latency(0.0).build();
        // Few pixels keep it fast: the count does not depend on M below the device tile.
        final OpticalProcessingUnit exact = new OpticalProcessingUnit(p, 10, 4, 1);
        final OpticalProcessingUnit diff = new OpticalProcessingUnit(p.toBuilder().readout(Readout.DIFF2).build(), 10,
            4, 1);
        final double[] e = FidelitySetup.sparseTernary(1347, 10, 3);
        final double[] out = new double[1347 * 4];
        for (int epoch = 0; epoch < 60; epoch++)
        {
            exact.project(e, 1347, out);
            diff.project(e, 1347, out);
        }
        assertEquals(323_281, exact.frames());
        assertEquals(161_641, diff.frames());
        assertEquals(215.5, exact.deviceSeconds(), 0.05);
        assertEquals(107.8, diff.deviceSeconds(), 0.05);
    }

    /** Recalibration every 8 frames: a calibration frame before the vector that starts ≥ 8 frames after the last. */
    @Test
    void recalibrationSpendsOneFrameEachTime()
    {
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(
            OpuParameters.builder().recalibrateEvery(8).build(), 10, 16, 1);
        unit.project(FidelitySetup.sparseTernary(10, 10, 1), 10, new double[160]);
        // Start 1 frame; vectors of 4 frames; a calibration before vectors 3, 5, 7 and 9: 1 + 40 + 4.
        assertEquals(45, unit.frames());
        assertEquals(5, unit.calibrations());
    }
}
