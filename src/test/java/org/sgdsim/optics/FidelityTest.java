package org.sgdsim.optics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Projection fidelity against the measured numbers of dfa-optics.md §2.5 (K = 10, M = 256, R = 64, sparse ternary
 * errors, 2000 vectors, seed 0). §2.5 quotes a seed spread of about ±0.01 at ≥ 8 bit and ±0.05 at ≤ 4 bit; the
 * tolerances below are those, widened where the quantity itself is small or steep (read-noise sweep, DIFF2 with a
 * very bright reference), and each is stated in its row.
 */
class FidelityTest
{
    @ParameterizedTest(name = "{0}: expected {6} ± {7}")
    @CsvSource({
        // case,                     readout, bits, quantise, noise, readNoise, expected, tolerance, reference
        "exact3 quantised only 8 bit, EXACT3, 8,  true,  false, 0.5, 0.997, 0.01, 64",
        "exact3 quantised only 6 bit, EXACT3, 6,  true,  false, 0.5, 0.968, 0.02, 64",
        "exact3 quantised only 4 bit, EXACT3, 4,  true,  false, 0.5, 0.747, 0.05, 64",
        "exact3 quantised only 2 bit, EXACT3, 2,  true,  false, 0.5, 0.437, 0.07, 64",
        "diff2 unquantised R 10,      DIFF2,  32, false, false, 0.5, 0.933, 0.015, 10",
        "diff2 unquantised R 64,      DIFF2,  32, false, false, 0.5, 0.990, 0.01, 64",
        "diff2 unquantised R 1000,    DIFF2,  32, false, false, 0.5, 0.9993, 0.001, 1000",
        "diff2 unquantised R 1e5,     DIFF2,  32, false, false, 0.5, 1.0000, 0.0001, 100000",
        "diff2 8 bit R 10,            DIFF2,  8,  true,  false, 0.5, 0.932, 0.015, 10",
        "diff2 8 bit R 64,            DIFF2,  8,  true,  false, 0.5, 0.988, 0.01, 64",
        "diff2 8 bit R 1000,          DIFF2,  8,  true,  false, 0.5, 0.986, 0.01, 1000",
        "diff2 8 bit R 1e4,           DIFF2,  8,  true,  false, 0.5, 0.879, 0.03, 10000",
        "diff2 8 bit R 1e5,           DIFF2,  8,  true,  false, 0.5, 0.567, 0.05, 100000",
        "default noise exact3,        EXACT3, 8,  true,  true,  0.5, 0.976, 0.01, 64",
        "default noise diff2,         DIFF2,  8,  true,  true,  0.5, 0.969, 0.01, 64",
        "default noise 10 bit,        EXACT3, 10, true,  true,  0.5, 0.995, 0.005, 64",
        "default noise 12 bit,        EXACT3, 12, true,  true,  0.5, 0.999, 0.003, 64",
        "read noise 2 DN,             EXACT3, 8,  true,  true,  2,   0.894, 0.02, 64",
        "read noise 8 DN,             EXACT3, 8,  true,  true,  8,   0.507, 0.04, 64",
        "read noise 32 DN,            EXACT3, 8,  true,  true,  32,  0.147, 0.03, 64",
    })
    void fidelityMatchesTheMeasuredTable(final String name, final Readout readout, final int bits,
        final boolean quantise, final boolean noise, final double readNoise, final double expected,
        final double tolerance, final int reference)
    {
        final OpuParameters p = OpuParameters.builder().readout(readout).bitDepth(bits).quantise(quantise).noise(noise)
            .readNoise(readNoise).referenceSize(reference).build();
        final double measured = FidelitySetup.fidelity(p, 0);
        System.out.printf(java.util.Locale.ROOT, "fidelity %-30s %.4f (section 2.5: %s ± %s)%n", name, measured, expected,
            tolerance);
        assertEquals(expected, measured, tolerance, name);
    }
}
