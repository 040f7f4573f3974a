package org.sgdsim.optics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.math.GaussianStream;

/** The optical unit's readout algebra, ideal matrix, determinism and allocation (dfa-optics.md §2, §6 E1). */
class OpticalProcessingUnitTest
{
    private static final int K = 10;
    private static final int M = 64;

    /** E1(b) and its siblings: with an ideal camera every exact readout returns A_norm e (relative error < 1e-10). */
    @ParameterizedTest
    @CsvSource({"EXACT3, TERNARY, GLOBAL", "EXACT3, TERNARY, PER_PIXEL", "EXACT3, BIT_PLANES, GLOBAL",
        "EXACT3, BIT_PLANES, PER_PIXEL", "IDEAL, TERNARY, GLOBAL", "IDEAL, BIT_PLANES, PER_PIXEL",
        "LIGHTONML, TERNARY, GLOBAL", "LIGHTONML, BIT_PLANES, GLOBAL"})
    void exactReadoutsEqualTheIdealProjectionWithAnIdealCamera(final Readout readout, final Encoding encoding,
        final ReferenceNormalisation normalisation)
    {
        // A deep camera so that per-pixel normalisation never reaches its max(D̄_r, 1) floor.
        final OpuParameters p = OpuParameters.builder().readout(readout).encoding(encoding)
            .normalisation(normalisation).bitDepth(32).idealCamera().build();
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(p, K, M, 3);
        final int batch = 50;
        final double[] e = encoding == Encoding.TERNARY ? FidelitySetup.sparseTernary(batch, K, 5) : representable(batch);
        final double[] out = new double[batch * M];
        final double[] ideal = new double[batch * M];
        unit.project(e, batch, out);
        unit.idealProject(e, batch, ideal);
        assertTrue(relativeError(out, ideal) < 1e-10, "relative error " + relativeError(out, ideal));
        if (readout == Readout.EXACT3 && encoding == Encoding.TERNARY)
        {
            assertEquals(4L * batch + 1, unit.frames(), "E1(b): 4 frames per vector + 1 calibration");
        }
    }

    /** DIFF2 is not exact: it carries (|Te⁺|² − |Te⁻|²)/2 (ternary) or |Tb|²/2 per bit plane (§2.2). */
    @ParameterizedTest
    @CsvSource({"TERNARY, GLOBAL", "TERNARY, PER_PIXEL", "BIT_PLANES, GLOBAL"})
    void diff2CarriesExactlyItsQuadraticTerm(final Encoding encoding, final ReferenceNormalisation normalisation)
    {
        final OpuParameters p = OpuParameters.builder().readout(Readout.DIFF2).encoding(encoding)
            .normalisation(normalisation).bitDepth(32).idealCamera().build();
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(p, K, M, 4);
        final int batch = 20;
        final double[] e = encoding == Encoding.TERNARY ? FidelitySetup.sparseTernary(batch, K, 6) : representable(batch);
        final double[] out = new double[batch * M];
        final double[] expected = new double[batch * M];
        unit.project(e, batch, out);
        unit.idealProject(e, batch, expected);

        final double[] re = new double[M * K];
        final double[] im = new double[M * K];
        final double[] fr = new double[M];
        final double[] fi = new double[M];
        unit.copyTransmission(re, im, fr, fi);
        final double[] scale = new double[M];
        double meanPower = 0.0;
        for (int i = 0; i < M; i++)
        {
            meanPower += (fr[i] * fr[i] + fi[i] * fi[i]) / M;
        }
        for (int i = 0; i < M; i++)
        {
            scale[i] = normalisation == ReferenceNormalisation.GLOBAL ? Math.sqrt(meanPower) : Math.hypot(fr[i], fi[i]);
        }
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < M; i++)
            {
                double quadratic = 0.0;
                if (encoding == Encoding.TERNARY)
                {
                    quadratic = (intensity(re, im, i, e, b, 1.0) - intensity(re, im, i, e, b, -1.0)) / 2.0;
                }
                else
                {
                    // representable(): levels ±q with weights m/63; each plane adds weight·2^bit·|T b|²/2.
                    for (int sign = 0; sign < 2; sign++)
                    {
                        final double max = maxOf(e, b, sign == 0 ? 1.0 : -1.0);
                        for (int bit = 0; bit < 6; bit++)
                        {
                            double sr = 0.0;
                            double si = 0.0;
                            for (int k = 0; k < K; k++)
                            {
                                final double v = (sign == 0 ? 1.0 : -1.0) * e[b * K + k];
                                final int q = v > 0.0 ? (int)Math.rint(63.0 * v / max) : 0;
                                if (((q >>> bit) & 1) != 0)
                                {
                                    sr += re[i * K + k];
                                    si += im[i * K + k];
                                }
                            }
                            quadratic += (sign == 0 ? 1.0 : -1.0) * max / 63.0 * (1 << bit) * (sr * sr + si * si) / 2.0;
                        }
                    }
                }
                expected[b * M + i] += quadratic / scale[i];
            }
        }
        assertTrue(relativeError(out, expected) < 1e-10, "relative error " + relativeError(out, expected));
    }

    /** The ideal matrix is A_norm,ij = Re(conj((Tr)_i) T_ij)/S of §2.3, from the true T. */
    @Test
    void idealMatrixFollowsTheDefinition()
    {
        for (final ReferenceNormalisation n : ReferenceNormalisation.values())
        {
            final OpticalProcessingUnit unit = new OpticalProcessingUnit(
                OpuParameters.builder().normalisation(n).build(), K, M, 8);
            final double[] re = new double[M * K];
            final double[] im = new double[M * K];
            final double[] fr = new double[M];
            final double[] fi = new double[M];
            unit.copyTransmission(re, im, fr, fi);
            double meanPower = 0.0;
            for (int i = 0; i < M; i++)
            {
                meanPower += (fr[i] * fr[i] + fi[i] * fi[i]) / M;
            }
            final double[] a = new double[M * K];
            unit.copyIdealMatrix(a);
            for (int i = 0; i < M; i++)
            {
                final double s = n == ReferenceNormalisation.GLOBAL ? Math.sqrt(meanPower) : Math.hypot(fr[i], fi[i]);
                for (int k = 0; k < K; k++)
                {
                    assertEquals((fr[i] * re[i * K + k] + fi[i] * im[i * K + k]) / s, a[i * K + k], 1e-12);
                }
            }
        }
    }

    /** E1(c): entries of A_norm over an M = 20000 × K = 10 draw with R = 64. */
    @Test
    void idealMatrixStatisticsMatchSection25()
    {
        for (final ReferenceNormalisation n : ReferenceNormalisation.values())
        {
            final OpticalProcessingUnit unit = new OpticalProcessingUnit(
                OpuParameters.builder().readout(Readout.IDEAL).normalisation(n).build(), 10, 20_000, 0);
            final double[] a = new double[200_000];
            unit.copyIdealMatrix(a);
            final double[] m = moments(a);
            System.out.printf(java.util.Locale.ROOT, "A_norm %s: mean %.4f, variance %.4f, kurtosis %.3f%n",
                n.configName(), m[0], m[1], m[2]);
            assertTrue(Math.abs(m[0]) < 0.01, n + " mean " + m[0]);
            assertEquals(0.50, m[1], 0.02, n + " variance");
            if (n == ReferenceNormalisation.GLOBAL)
            {
                assertEquals(6.1, m[2], 0.3, "global kurtosis (Rayleigh row scale)");
            }
            else
            {
                assertEquals(3.0, m[2], 0.1, "per-pixel kurtosis (Gaussian)");
            }
        }
    }

    /** √2 rescale (§1.5): entries of variance 1, like the software N(0, 1) feedback. */
    @Test
    void sqrt2RescaleDoublesTheVariance()
    {
        final OpticalProcessingUnit plain = new OpticalProcessingUnit(
            OpuParameters.builder().readout(Readout.IDEAL).build(), 10, 2000, 1);
        final OpticalProcessingUnit scaled = new OpticalProcessingUnit(
            OpuParameters.builder().readout(Readout.IDEAL).rescaleSqrt2(true).build(), 10, 2000, 1);
        final double[] a = new double[20_000];
        final double[] b = new double[20_000];
        plain.copyIdealMatrix(a);
        scaled.copyIdealMatrix(b);
        for (int j = 0; j < a.length; j++)
        {
            assertEquals(Math.sqrt(2.0) * a[j], b[j], 1e-12);
        }
    }

    /** E1(d): lightonml mode, E[Re(Tx)_i²] = ‖x‖₀/n_features within 2 % over 2·10⁵ (pixel, vector) pairs. */
    @Test
    void lightonmlModeHasItsOwnScale()
    {
        final int k = 50;
        final int m = 1000;
        final int batch = 200;
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(
            OpuParameters.builder().readout(Readout.LIGHTONML).build(), k, m, 2);
        final GaussianStream random = new GaussianStream(9, 1);
        final double[] x = new double[batch * k];
        double expected = 0.0;
        for (int b = 0; b < batch; b++)
        {
            final double density = 0.1 + 0.8 * random.nextDouble();
            int nnz = 0;
            for (int c = 0; c < k; c++)
            {
                if (random.nextDouble() < density)
                {
                    x[b * k + c] = 1.0;
                    nnz++;
                }
            }
            expected += (double)nnz / k * m;
        }
        final double[] y = new double[batch * m];
        unit.project(x, batch, y);
        double sum = 0.0;
        for (final double v : y)
        {
            sum += v * v;
        }
        assertEquals(1.0, sum / expected, 0.02, "E[Re(Tx)²] / (‖x‖₀/n_features)");
        final double[] ideal = new double[batch * m];
        unit.idealProject(x, batch, ideal);
        assertArrayEquals(ideal, y, "lightonml's simulated linear transform has no noise");
        assertEquals(batch, unit.frames(), "1 frame per vector, no calibration");
    }

    @Test
    void sameSeedGivesBitIdenticalOutputsAndNoiseNeverMovesTheMatrix()
    {
        final double[] e = FidelitySetup.sparseTernary(100, K, 1);
        final double[] first = run(OpuParameters.defaults(), 42, e);
        final double[] second = run(OpuParameters.defaults(), 42, e);
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, run(OpuParameters.defaults(), 43, e)), "another seed, another device");

        final double[] a = new double[M * K];
        final double[] b = new double[M * K];
        new OpticalProcessingUnit(OpuParameters.defaults(), K, M, 42).copyIdealMatrix(a);
        new OpticalProcessingUnit(OpuParameters.builder().readout(Readout.DIFF2).idealCamera().readNoise(3).build(),
            K, M, 42).copyIdealMatrix(b);
        assertArrayEquals(a, b, "T comes from its own stream, whatever the camera settings");
    }

    /** Replaying the batch sizes with zero vectors reproduces the unit's state bit for bit (draws and counters). */
    @ParameterizedTest
    @CsvSource({"EXACT3, TERNARY", "DIFF2, BIT_PLANES", "IDEAL, TERNARY"})
    void replayingZerosOfTheSameBatchSizesReproducesTheState(final Readout readout, final Encoding encoding)
    {
        final OpuParameters p = OpuParameters.builder().readout(readout).encoding(encoding).driftTime(2.0)
            .recalibrateEvery(50).normalisation(ReferenceNormalisation.PER_PIXEL).build();
        final OpticalProcessingUnit original = new OpticalProcessingUnit(p, K, M, 9);
        final OpticalProcessingUnit replayed = new OpticalProcessingUnit(p, K, M, 9);
        final int[] batches = {7, 32, 1, 19};
        final double[] errors = encoding == Encoding.TERNARY ? FidelitySetup.sparseTernary(32, K, 4) : representable(32);
        for (final int b : batches)
        {
            original.project(errors, b, new double[b * M]);
            replayed.project(new double[b * K], b, new double[b * M]);
        }
        assertEquals(original.frames(), replayed.frames());
        assertEquals(original.calibrations(), replayed.calibrations());
        assertEquals(original.deviceSeconds(), replayed.deviceSeconds());
        final double[] a = new double[10 * M];
        final double[] b = new double[10 * M];
        original.project(errors, 10, a);
        replayed.project(errors, 10, b);
        assertArrayEquals(a, b);
    }

    /**
     * τ_TM drift: A_t and A_0 are bilinear in (Tr, T), each of field correlation e^{−t/(2τ)}, so their cosine is
     * e^{−t/τ}; the tolerance is about 5 standard deviations of the estimate over M = 4000 rows (0.004 at M = 10⁴, measured over 4 seeds).
     */
    @Test
    void driftDecorrelatesTheMatrixAtTheConfiguredRate()
    {
        final int m = 4_000;
        final double tau = 0.1;
        for (long seed = 0; seed < 2; seed++)
        {
            final OpticalProcessingUnit unit = new OpticalProcessingUnit(
                OpuParameters.builder().readout(Readout.IDEAL).driftTime(tau).build(), K, m, seed);
            final double[] a0 = new double[m * K];
            unit.copyIdealMatrix(a0);
            final double[] e = FidelitySetup.sparseTernary(151, K, 2);
            // 150 frames, then one more vector so that the drift of those frames is applied.
            unit.project(e, 151, new double[151 * m]);
            final double[] at = new double[m * K];
            unit.copyIdealMatrix(at);
            final double t = (unit.frames() - 1) / 1500.0;
            assertEquals(Math.exp(-t / tau), cosine(a0, at), 0.03, "t = " + t + " s");
        }
    }

    /**
     * With drift, per-pixel normalisation by a stale I(r) distorts the projection; recalibrating often restores it.
     * (With ternary EXACT3 the stale D̄_r cancels between ℓ̂(e⁺) and ℓ̂(e⁻), and a stale global s only scales, so
     * the per-pixel case is the one that shows the drift.)
     */
    @Test
    void recalibrationTracksDrift()
    {
        final OpuParameters drifting = OpuParameters.builder().idealCamera().bitDepth(32).driftTime(10.0)
            .normalisation(ReferenceNormalisation.PER_PIXEL).build();
        final double stale = FidelitySetup.fidelity(drifting, 0);
        final double fresh = FidelitySetup.fidelity(drifting.toBuilder().recalibrateEvery(20).build(), 0);
        assertTrue(fresh > 0.99 && stale < fresh - 0.05, "stale " + stale + ", recalibrated " + fresh);
    }

    @Test
    void projectAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (final OpuParameters p : new OpuParameters[] {OpuParameters.defaults(),
            OpuParameters.builder().encoding(Encoding.BIT_PLANES).readout(Readout.DIFF2).driftTime(5).build()})
        {
            final OpticalProcessingUnit unit = new OpticalProcessingUnit(p, K, M, 1);
            final Encoding encoding = p.projection().encoding();
            final double[] e = encoding == Encoding.TERNARY ? FidelitySetup.sparseTernary(8, K, 1) : representable(8);
            final double[] out = new double[8 * M];
            for (int i = 0; i < 300; i++)
            {
                unit.project(e, 8, out);
            }
            final long id = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100; i++)
            {
                unit.project(e, 8, out);
            }
            final long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(allocated < 1024, p.projection().readout() + "/" + encoding + ": " + allocated
                + " bytes over 100 calls");
        }
    }

    @Test
    void badInputsAreRejectedWithTheirName()
    {
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(OpuParameters.defaults(), K, M, 1);
        final double[] e = new double[K];
        e[3] = 0.5;
        final IllegalArgumentException notTernary = assertThrows(IllegalArgumentException.class,
            () -> unit.project(e, 1, new double[M]));
        assertTrue(notTernary.getMessage().contains("ternary encoding expects entries in {-1, 0, 1}")
            && notTernary.getMessage().contains("entry 3"), notTernary.getMessage());
        assertEquals(1, unit.frames(), "a rejected batch is not counted");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> unit.project(new double[K], 2, new double[2 * M]))
            .getMessage().contains("batch 2"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new OpticalProcessingUnit(OpuParameters.defaults(), 0, M, 1)).getMessage().contains("K = 0"));
        final double[] nan = {Double.NaN};
        final OpticalProcessingUnit planes = new OpticalProcessingUnit(
            OpuParameters.builder().encoding(Encoding.BIT_PLANES).build(), 1, M, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> planes.project(nan, 1, new double[M]))
            .getMessage().contains("finite"));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Inputs the 6-bit encoder represents exactly: integers in [−63, 63] with both signs reaching 63. */
    static double[] representable(final int batch)
    {
        final GaussianStream random = new GaussianStream(11, 3);
        final double[] x = new double[batch * K];
        for (int b = 0; b < batch; b++)
        {
            for (int k = 0; k < K; k++)
            {
                x[b * K + k] = Math.floor(random.nextDouble() * 127.0) - 63.0;
            }
            x[b * K] = 63.0;
            x[b * K + 1] = -63.0;
        }
        // A common scale keeps the levels exact: q = 63·x/m with m = 63·s.
        for (int j = 0; j < x.length; j++)
        {
            x[j] *= 0.37;
        }
        return x;
    }

    private static double maxOf(final double[] e, final int b, final double sign)
    {
        double max = 0.0;
        for (int k = 0; k < K; k++)
        {
            max = Math.max(max, sign * e[b * K + k]);
        }
        return max;
    }

    private static double intensity(final double[] re, final double[] im, final int i, final double[] e, final int b,
        final double sign)
    {
        double sr = 0.0;
        double si = 0.0;
        for (int k = 0; k < K; k++)
        {
            if (e[b * K + k] == sign)
            {
                sr += re[i * K + k];
                si += im[i * K + k];
            }
        }
        return sr * sr + si * si;
    }

    private static double[] run(final OpuParameters p, final long seed, final double[] e)
    {
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(p, K, M, seed);
        final int batch = e.length / K;
        final double[] out = new double[batch * M];
        unit.project(e, batch, out);
        return out;
    }

    static double relativeError(final double[] got, final double[] want)
    {
        double diff = 0.0;
        double norm = 0.0;
        for (int j = 0; j < want.length; j++)
        {
            diff += (got[j] - want[j]) * (got[j] - want[j]);
            norm += want[j] * want[j];
        }
        return Math.sqrt(diff / norm);
    }

    private static double cosine(final double[] a, final double[] b)
    {
        double dot = 0.0;
        double aa = 0.0;
        double bb = 0.0;
        for (int j = 0; j < a.length; j++)
        {
            dot += a[j] * b[j];
            aa += a[j] * a[j];
            bb += b[j] * b[j];
        }
        return dot / Math.sqrt(aa * bb);
    }

    /** Mean, variance and kurtosis (fourth standardised moment). */
    private static double[] moments(final double[] a)
    {
        double mean = 0.0;
        for (final double v : a)
        {
            mean += v / a.length;
        }
        double m2 = 0.0;
        double m4 = 0.0;
        for (final double v : a)
        {
            final double d = (v - mean) * (v - mean);
            m2 += d / a.length;
            m4 += d * d / a.length;
        }
        return new double[] {mean, m2, m4 / (m2 * m2)};
    }
}
