package org.sgdsim.model;

import org.sgdsim.math.GaussianStream;

/**
 * The teacher–student regression E6 of dfa-optics.md §6, generated, no file: x ~ N(0, I_20),
 * y = W*_2 tanh(W*_1 x) with W*_1 ∈ R^{50×20} entries N(0,1)·2/√20 and W*_2 ∈ R^{5×50} entries N(0,1)/√50;
 * teacher, training set and test set come from one generator whose seed is fixed (0), not the run seed, so every
 * run seed trains on the same task.
 */
public final class TeacherStudentRegression
{
    /** Input dimension. */
    public static final int INPUTS = 20;
    /** Teacher hidden width. */
    public static final int HIDDEN = 50;
    /** Outputs. */
    public static final int OUTPUTS = 5;

    private TeacherStudentRegression()
    {
    }

    /** {@code train} training and {@code test} test samples drawn after the teacher, in that order. */
    public static LabelledData.Split generate(final int train, final int test)
    {
        final GaussianStream g = new GaussianStream(0L, 0L);
        final double[] w1 = new double[HIDDEN * INPUTS];
        final double[] w2 = new double[OUTPUTS * HIDDEN];
        g.fill(w1, 0, w1.length);
        g.fill(w2, 0, w2.length);
        final double s1 = 2.0 / Math.sqrt(INPUTS);
        final double s2 = 1.0 / Math.sqrt(HIDDEN);
        for (int i = 0; i < w1.length; i++)
        {
            w1[i] *= s1;
        }
        for (int i = 0; i < w2.length; i++)
        {
            w2[i] *= s2;
        }
        return new LabelledData.Split(samples(g, w1, w2, train), samples(g, w1, w2, test));
    }

    private static LabelledData samples(final GaussianStream g, final double[] w1, final double[] w2, final int n)
    {
        final double[] x = new double[n * INPUTS];
        final double[] y = new double[n * OUTPUTS];
        final double[] h = new double[HIDDEN];
        g.fill(x, 0, x.length);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < HIDDEN; j++)
            {
                double a = 0.0;
                for (int c = 0; c < INPUTS; c++)
                {
                    a += w1[j * INPUTS + c] * x[i * INPUTS + c];
                }
                h[j] = Math.tanh(a);
            }
            for (int k = 0; k < OUTPUTS; k++)
            {
                double s = 0.0;
                for (int j = 0; j < HIDDEN; j++)
                {
                    s += w2[k * HIDDEN + j] * h[j];
                }
                y[i * OUTPUTS + k] = s;
            }
        }
        return new LabelledData(n, INPUTS, OUTPUTS, x, y, null);
    }
}
