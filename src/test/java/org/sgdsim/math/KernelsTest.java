package org.sgdsim.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The vector and scalar dot products perform the same roundings: equal bits at every length and offset. */
class KernelsTest
{
    @Test
    void vectorPathIsActiveInTests()
    {
        assertTrue(Kernels.VECTOR, "Surefire adds jdk.incubator.vector; the vector path must be the one under test");
    }

    @Test
    void vectorAndScalarDotAgreeBitForBit()
    {
        final GaussianStream g = new GaussianStream(3, 4);
        final double[] a = new double[2100];
        final double[] b = new double[2100];
        g.fill(a, 0, a.length);
        g.fill(b, 0, b.length);
        for (int n = 0; n <= 2050; n += (n < 40 ? 1 : 97))
        {
            for (final int off : new int[] {0, 1, 5, 13})
            {
                final double v = Kernels.dot(a, off, b, 2 * off, n);
                final double s = Kernels.scalarDot(a, off, b, 2 * off, n);
                assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(v), "n = " + n + ", off = " + off);
            }
        }
    }

    @Test
    void rankUpdateIsOneFmaChainPerEntryOnBothPaths()
    {
        final GaussianStream g = new GaussianStream(7, 8);
        for (final int rows : new int[] {1, 3, 4, 8, 13, 64, 67, 150})
        {
            for (final int samples : new int[] {1, 5, 32})
            {
                final int panelCount = (rows + Kernels.PANEL - 1) / Kernels.PANEL;
                final double[] panels = new double[panelCount * Kernels.PANEL * samples];
                g.fill(panels, 0, panels.length);
                final double[] start = new double[rows * rows];
                g.fill(start, 0, start.length);
                final double[] vector = start.clone();
                final double[] scalar = start.clone();
                Kernels.lowerRankUpdate(panels, samples, vector, rows);
                Kernels.scalarLowerRankUpdate(panels, samples, scalar, rows);
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < rows; j++)
                    {
                        double expected = start[i * rows + j];
                        if (j <= i)
                        {
                            for (int k = 0; k < samples; k++)
                            {
                                expected = Math.fma(feature(panels, samples, k, i), feature(panels, samples, k, j),
                                    expected);
                            }
                        }
                        final String at = rows + "x" + samples + " (" + i + "," + j + ")";
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(vector[i * rows + j]),
                            "vector " + at);
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(scalar[i * rows + j]),
                            "scalar " + at);
                    }
                }
            }
        }
    }

    private static double feature(final double[] panels, final int samples, final int k, final int j)
    {
        return panels[(j / Kernels.PANEL) * Kernels.PANEL * samples + Kernels.PANEL * k + j % Kernels.PANEL];
    }

    @Test
    void fusedUpdateAndNormEqualAxpyThenNormBitForBit()
    {
        final GaussianStream g = new GaussianStream(5, 6);
        final double[] x = new double[2100];
        final double[] w = new double[2100];
        g.fill(x, 0, x.length);
        g.fill(w, 0, w.length);
        for (int n = 0; n <= 2050; n += (n < 40 ? 1 : 97))
        {
            for (final int off : new int[] {0, 3, 8})
            {
                final double[] fused = w.clone();
                final double[] plain = w.clone();
                final double alpha = -0.37 / (n + 1);
                final double norm = Kernels.axpySquaredNorm(alpha, x, 2 * off, fused, off, n);
                Kernels.axpy(alpha, x, 2 * off, plain, off, n);
                assertEquals(Double.doubleToRawLongBits(Kernels.scalarDot(plain, off, plain, off, n)),
                    Double.doubleToRawLongBits(norm), "n = " + n + ", off = " + off);
                assertTrue(java.util.Arrays.equals(plain, fused), "n = " + n + ", off = " + off);
            }
        }
    }

    @Test
    void dotIsAccurate()
    {
        final double[] a = new double[1001];
        final double[] b = new double[1001];
        double exact = 0.0;
        for (int i = 0; i < a.length; i++)
        {
            a[i] = i % 7 - 3;
            b[i] = i % 5 - 2;
            exact += a[i] * b[i];
        }
        assertEquals(exact, Kernels.dot(a, 0, b, 0, a.length), 0.0);
    }

    @Test
    void vectorAxpyAndAddMatchScalarLoops()
    {
        final GaussianStream g = new GaussianStream(8, 8);
        final double[] x = new double[1100];
        final double[] y = new double[1100];
        g.fill(x, 0, x.length);
        g.fill(y, 0, y.length);
        for (final int n : new int[] {0, 1, 3, 4, 7, 1000, 1003})
        {
            final double[] v = y.clone();
            final double[] s = y.clone();
            Kernels.axpy(0.37, x, 3, v, 11, n);
            Kernels.add(x, 5, v, 20, n);
            for (int i = 0; i < n; i++)
            {
                s[11 + i] += 0.37 * x[3 + i];
            }
            for (int i = 0; i < n; i++)
            {
                s[20 + i] += x[5 + i];
            }
            for (int i = 0; i < v.length; i++)
            {
                assertEquals(Double.doubleToRawLongBits(s[i]), Double.doubleToRawLongBits(v[i]), "n = " + n + ", i = " + i);
            }
        }
    }

    @Test
    void fusedAxpy4EqualsFourAxpysBitForBit()
    {
        final GaussianStream g = new GaussianStream(9, 9);
        final double[] x = new double[4 * 1003 + 7];
        final double[] y = new double[1100];
        g.fill(x, 0, x.length);
        g.fill(y, 0, y.length);
        for (final int n : new int[] {0, 1, 3, 4, 7, 1000, 1003})
        {
            final double[] fused = y.clone();
            final double[] separate = y.clone();
            final double[] scalar = y.clone();
            final int[] off = {2, 1005, 2010, 3015};
            final double[] c = {0.37, -1.5e-3, 2.25, -0.8};
            Kernels.axpy4(c[0], off[0], c[1], off[1], c[2], off[2], c[3], off[3], x, fused, 13, n);
            for (int s = 0; s < 4; s++)
            {
                Kernels.axpy(c[s], x, off[s], separate, 13, n);
                for (int i = 0; i < n; i++)
                {
                    scalar[13 + i] += c[s] * x[off[s] + i];
                }
            }
            for (int i = 0; i < y.length; i++)
            {
                assertEquals(Double.doubleToRawLongBits(separate[i]), Double.doubleToRawLongBits(fused[i]), "n = " + n + ", i = " + i);
                assertEquals(Double.doubleToRawLongBits(scalar[i]), Double.doubleToRawLongBits(fused[i]), "n = " + n + ", i = " + i);
            }
        }
    }

    @Test
    void scaledGemvEqualsScaleThenScalarDotsBitForBit()
    {
        final GaussianStream g = new GaussianStream(11, 2);
        for (final int rows : new int[] {1, 3, 4, 5, 8, 9})
        {
            for (final int n : new int[] {1, 7, 8, 13, 1000})
            {
                final double[] m = new double[rows * n];
                final double[] x = new double[n + 3];
                final double[] factors = new double[rows];
                g.fill(m, 0, m.length);
                g.fill(x, 0, x.length);
                for (int j = 0; j < rows; j++)
                {
                    factors[j] = 1.0 / Math.sqrt(Kernels.scalarDot(m, j * n, m, j * n, n) + 0.3 * j);
                }
                final double[] unscaled = m.clone();
                final double[] out = new double[rows];
                Kernels.scaledGemv(factors, m, rows, n, x, 3, out);
                assertTrue(java.util.Arrays.equals(unscaled, m), "m is not written");
                final double[] scaled = m.clone();
                for (int j = 0; j < rows; j++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        scaled[j * n + i] *= factors[j];
                    }
                    final long expected = Double.doubleToRawLongBits(Kernels.scalarDot(scaled, j * n, x, 3, n));
                    assertEquals(expected, Double.doubleToRawLongBits(out[j]), rows + " rows, n = " + n + ", row " + j);
                    assertEquals(expected, Double.doubleToRawLongBits(
                        Kernels.scalarScaledDot(factors[j], m, j * n, x, 3, n)), "scalar, n = " + n + ", row " + j);
                }
            }
        }
    }

    @Test
    void scaledUpdateAndNormEqualScaleAxpyThenNormBitForBit()
    {
        final GaussianStream g = new GaussianStream(13, 7);
        final double[] x = new double[2100];
        final double[] w = new double[2100];
        g.fill(x, 0, x.length);
        g.fill(w, 0, w.length);
        for (int n = 0; n <= 2050; n += (n < 40 ? 1 : 97))
        {
            for (final int off : new int[] {0, 3, 8})
            {
                final double[] fused = w.clone();
                final double[] plain = w.clone();
                final double factor = 1.0 / Math.sqrt(n + 0.7);
                final double alpha = -0.37 / (n + 1);
                final double norm = Kernels.scaleAxpySquaredNorm(factor, alpha, x, 2 * off, fused, off, n);
                for (int i = 0; i < n; i++)
                {
                    plain[off + i] *= factor;
                }
                for (int i = 0; i < n; i++)
                {
                    plain[off + i] += alpha * x[2 * off + i];
                }
                assertEquals(Double.doubleToRawLongBits(Kernels.scalarDot(plain, off, plain, off, n)),
                    Double.doubleToRawLongBits(norm), "n = " + n + ", off = " + off);
                assertTrue(java.util.Arrays.equals(plain, fused), "n = " + n + ", off = " + off);
            }
        }
    }

    @Test
    void gemvRowsEqualSeparateDots()
    {
        final GaussianStream g = new GaussianStream(9, 1);
        for (final int rows : new int[] {1, 3, 4, 5, 8, 9})
        {
            for (final int n : new int[] {1, 7, 8, 13, 1000})
            {
                final double[] m = new double[rows * n];
                final double[] x = new double[n + 3];
                g.fill(m, 0, m.length);
                g.fill(x, 0, x.length);
                final double[] out = new double[rows];
                Kernels.gemv(m, rows, n, x, 3, out);
                for (int j = 0; j < rows; j++)
                {
                    assertEquals(Double.doubleToRawLongBits(Kernels.scalarDot(m, j * n, x, 3, n)),
                        Double.doubleToRawLongBits(out[j]), rows + " rows, n = " + n + ", row " + j);
                }
            }
        }
    }

    @Test
    void dot3EqualsThreeDotsAndTheScalarPath()
    {
        final double[] x = new double[90];
        final double[] b = new double[300];
        final GaussianStream g = new GaussianStream(5, 9);
        g.fill(x, 0, x.length);
        g.fill(b, 0, b.length);
        final double[] out = new double[5];
        for (int n = 0; n <= 80; n++)
        {
            Kernels.dot3(x, 3, b, 1, b, 150, x, 3, n, out, 2);
            assertEquals(Double.doubleToRawLongBits(Kernels.dot(x, 3, b, 1, n)), Double.doubleToRawLongBits(out[2]));
            assertEquals(Double.doubleToRawLongBits(Kernels.dot(x, 3, b, 150, n)), Double.doubleToRawLongBits(out[3]));
            assertEquals(Double.doubleToRawLongBits(Kernels.scalarDot(x, 3, x, 3, n)),
                Double.doubleToRawLongBits(out[4]));
        }
    }

    @Test
    void hermiteUnitSumsVectorAndScalarPathsAgreeBitForBit()
    {
        final double[] z = new double[300];
        final double[] y = new double[150];
        final GaussianStream g = new GaussianStream(8, 1);
        g.fill(z, 0, z.length);
        g.fill(y, 0, y.length);
        for (final int degree : new int[] {1, 2, 3, 5})
        {
            for (final boolean square : new boolean[] {true, false})
            {
                for (int n = 0; n <= 41; n++)
                {
                    final double[] vector = {0.5, -1.0, 2.0};
                    final double[] scalar = vector.clone();
                    VectorKernels.hermiteUnitSums(degree, 0.7, square, 0.3, -0.9, z, 3, 151, y, 2, n, vector);
                    Kernels.scalarHermiteUnitSums(degree, 0.7, square, 0.3, -0.9, z, 3, 151, y, 2, n, scalar);
                    for (int s = 0; s < 3; s++)
                    {
                        assertEquals(Double.doubleToRawLongBits(scalar[s]), Double.doubleToRawLongBits(vector[s]),
                            "degree " + degree + " square " + square + " n " + n + " sum " + s);
                    }
                }
            }
        }
    }
}
