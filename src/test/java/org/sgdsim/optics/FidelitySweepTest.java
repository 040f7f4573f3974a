package org.sgdsim.optics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The table of docs/optics.md: projection fidelity against camera bit depth and read noise at a typical DFA size
 * (§2.5 setup: K = 10, M = 256, R = 64, 2000 sparse ternary errors, seed 0, other noise at its defaults), for
 * EXACT3 and DIFF2. Prints the table; asserts the trends (more bits never hurt, more read noise never helps) with
 * a slack of 0.005 for the seed-level scatter. Run: {@code mvn -B -o test -Pslow -Dtest=FidelitySweepTest}.
 */
@Tag("slow")
class FidelitySweepTest
{
    private static final int[] BITS = {4, 6, 8, 10, 12, 16};
    private static final double[] READ_NOISE = {0.0, 0.5, 2.0, 8.0, 32.0};

    @Test
    void fidelityAgainstBitDepthAndReadNoise()
    {
        for (final Readout readout : new Readout[] {Readout.EXACT3, Readout.DIFF2})
        {
            final double[][] f = new double[BITS.length][READ_NOISE.length];
            final StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-8s %6s", readout.configName(), "bits"));
            for (final double r : READ_NOISE)
            {
                head.append(String.format(Locale.ROOT, "  sr=%-5s", r));
            }
            System.out.println(head);
            for (int i = 0; i < BITS.length; i++)
            {
                final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8s %6d", "", BITS[i]));
                for (int j = 0; j < READ_NOISE.length; j++)
                {
                    f[i][j] = FidelitySetup.fidelity(OpuParameters.builder().readout(readout).bitDepth(BITS[i])
                        .readNoise(READ_NOISE[j]).build(), 0);
                    row.append(String.format(Locale.ROOT, "  %8.4f", f[i][j]));
                }
                System.out.println(row);
            }
            for (int i = 0; i < BITS.length; i++)
            {
                for (int j = 0; j < READ_NOISE.length; j++)
                {
                    if (i > 0)
                    {
                        assertTrue(f[i][j] >= f[i - 1][j] - 0.005, readout + ": bits " + BITS[i] + ", sr " + READ_NOISE[j]);
                    }
                    if (j > 0)
                    {
                        assertTrue(f[i][j] <= f[i][j - 1] + 0.005, readout + ": bits " + BITS[i] + ", sr " + READ_NOISE[j]);
                    }
                }
            }
        }
    }
}
