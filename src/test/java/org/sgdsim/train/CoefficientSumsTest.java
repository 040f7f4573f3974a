package org.sgdsim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.model.Activation;
import org.sgdsim.model.FieldGenerator;
import org.sgdsim.model.Loss;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.math.expr.Expression;

class CoefficientSumsTest
{
    /**
     * A piece's sums equal the definitions Σ_u g_u z_uᵀ, Σ_u g_u g_uᵀ and (a trained) Σ_u e_u σ(λ_u) evaluated
     * sample by sample, for a one-unit student (its own fast path) and a three-unit one, every loss, over several
     * chunks and a ragged end.
     */
    @Test
    void sumsMatchTheirDefinitionSampleBySample()
    {
        for (final int width : new int[] {1, 3})
        {
            for (final Loss loss : Loss.values())
            {
                for (final String act : new String[] {"He3", "tanh", "He2", "linear", "He5"})
                {
                    check(width, 2, loss, act, false);
                    check(width, 2, loss, act, true);
                    // k = 1 with one unit: the one-pass Hermite kernel (not with a trained a)
                    check(width, 1, loss, act, false);
                    check(width, 1, loss, act, true);
                }
            }
        }
    }

    private static void check(final int width, final int k, final Loss loss, final String act,
        final boolean trainsA)
    {
        final int rows = width + k;
        final int stride = 1300;
        final int first = 7;
        final int count = 1210;
        final GaussianStream g = new GaussianStream(3, width * 10 + k);
        final double[] z = new double[rows * stride];
        g.fill(z, 0, z.length);
        final double[] y = new double[stride];
        g.fill(y, 0, y.length);
        final double[] map = new double[width * rows];
        g.fill(map, 0, map.length);
        final double[] a = new double[width];
        g.fill(a, 0, width);
        final Activation activation = Activation.parse(act);
        final TwoLayerNetwork student = new TwoLayerNetwork(4, new double[width * 4], a, activation);
        final CoefficientSums sums = new CoefficientSums(student, k, trainsA);
        final double[] out = new double[sums.length()];
        sums.reduce(map, rows, loss, z, stride, y, first, count, out);

        final double[] expected = new double[out.length];
        final double[] coefficient = new double[width];
        for (int u = first; u < first + count; u++)
        {
            double f = 0.0;
            final double[] lambda = new double[width];
            for (int j = 0; j < width; j++)
            {
                for (int c = 0; c < rows; c++)
                {
                    lambda[j] += map[j * rows + c] * z[c * stride + u];
                }
                f += a[j] * activation.value(lambda[j]);
            }
            final double e = loss.error(y[u], f / width);
            for (int j = 0; j < width; j++)
            {
                if (trainsA)
                {
                    expected[width * rows + width * width + j] += e * activation.value(lambda[j]);
                }
                coefficient[j] = a[j] * activation.derivative(lambda[j]) * e;
                for (int c = 0; c < rows; c++)
                {
                    expected[j * rows + c] += coefficient[j] * z[c * stride + u];
                }
            }
            for (int j = 0; j < width; j++)
            {
                for (int l = 0; l <= j; l++)
                {
                    expected[width * rows + j * width + l] += coefficient[j] * coefficient[l];
                }
            }
        }
        for (int i = 0; i < out.length; i++)
        {
            final String what = "p=" + width + " " + loss + " " + act + (trainsA ? " trained a" : "") + " entry " + i;
            assertEquals(expected[i], out[i], 1e-9 * (1.0 + Math.abs(expected[i])), what);
        }
    }

    /** Pieces cover each batch exactly once, the last one shorter, and resume at batch boundaries. */
    @Test
    void piecesCutEveryBatchExactly()
    {
        final Teacher teacher = Teacher.create(16, Expression.parseTarget("He3(z1)"), 0.0, 1);
        final FieldGenerator pieces = new FieldGenerator(teacher, 1, 5, 64, 150);
        assertEquals(64, pieces.blockSize());
        assertEquals(3, pieces.piecesPerBatch());
        assertEquals(64, pieces.count(0));
        assertEquals(64, pieces.count(1));
        assertEquals(22, pieces.count(2));
        assertEquals(64, pieces.count(3));
        assertEquals(22, pieces.count(302));
        assertEquals(300, pieces.firstBlock(100, 150));
        assertEquals(0, pieces.firstSkip(100, 150));
        final FieldGenerator whole = new FieldGenerator(teacher, 1, 5, 64, 10);
        assertEquals(10, whole.blockSize());
        assertEquals(1, whole.piecesPerBatch());
        assertEquals(10, whole.count(7));
    }
}
