package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussHermite;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;

/** The one-step recursion of online-sgd.md §3.1: the I4 off-diagonal Gram form and the projected update. */
class RecursionTest
{
    private static final int D = 4;
    // Teacher e_1; two students with different, asymmetric overlaps and a component along e_4.
    private static final double[] W = {
        0.6, 0.5, -0.3, 0.2,
        -0.2, 0.4, 0.7, -0.5};

    private static StudentTeacher model()
    {
        return new StudentTeacher(Expression.parseTarget("He2(z1) + 0.5*z1"), Activation.parse("He2"),
            new double[] {1.0, -0.7}, Loss.SQUARE, 0.0);
    }

    private static double[] overlapsM()
    {
        return new double[] {W[0], W[D]};
    }

    private static double[] overlapsQ()
    {
        final double[] q = new double[4];
        for (int j = 0; j < 2; j++)
        {
            for (int l = 0; l < 2; l++)
            {
                double s = 0.0;
                for (int c = 0; c < D; c++)
                {
                    s += W[j * D + c] * W[l * D + c];
                }
                q[j * 2 + l] = s;
            }
        }
        return q;
    }

    /**
     * g_j = E[e σ'(w_j·x) x] over x ~ N(0, I_4), by exact tensor quadrature in the ambient space (every integrand is
     * a polynomial of degree ≤ 4 in x, so 3 nodes per axis suffice; 5 are used).
     */
    private static double[][] populationGradients(final StudentTeacher model)
    {
        final GaussHermite.Rule rule = GaussHermite.rule(5);
        final double[][] g = new double[2][D];
        final int[] idx = new int[D];
        final double[] x = new double[D];
        final double[] lambda = new double[2];
        final double[] sigma = new double[2];
        final double[] prime = new double[2];
        final double[] a = model.secondLayer();
        for (int n = 0; n < Math.pow(5, D); n++)
        {
            int rest = n;
            double w = 1.0;
            for (int c = 0; c < D; c++)
            {
                idx[c] = rest % 5;
                rest /= 5;
                x[c] = rule.nodes()[idx[c]];
                w *= rule.weights()[idx[c]];
            }
            double f = 0.0;
            for (int j = 0; j < 2; j++)
            {
                double s = 0.0;
                for (int c = 0; c < D; c++)
                {
                    s += W[j * D + c] * x[c];
                }
                lambda[j] = s;
            }
            model.activation().evaluate(lambda, sigma, prime, 2);
            for (int j = 0; j < 2; j++)
            {
                f += a[j] * sigma[j] / 2.0;
            }
            final double e = model.target().evaluate(new double[] {x[0]}) - f;
            for (int j = 0; j < 2; j++)
            {
                for (int c = 0; c < D; c++)
                {
                    g[j][c] += w * e * prime[j] * x[c];
                }
            }
        }
        return g;
    }

    @Test
    void offDiagonalTermIsTheGramMatrixOfThePopulationGradients()
    {
        final StudentTeacher model = model();
        final TheoryProblem problem = new TheoryProblem(model, RowNormalization.NONE, 0.1, 10, 100);
        final FieldExpectations exact = FieldExpectations.choose(model, 1, 1);
        final OverlapRecursion map = new OverlapRecursion(exact, problem, true);
        final double[] m = overlapsM();
        final double[] q = overlapsQ();
        final double[] gram = map.gradientGram(m, q);
        final double[][] g = populationGradients(model);
        for (int j = 0; j < 2; j++)
        {
            for (int l = 0; l < 2; l++)
            {
                double direct = 0.0;
                for (int c = 0; c < D; c++)
                {
                    direct += g[j][c] * g[l][c];
                }
                assertEquals(direct, gram[j * 2 + l], 1e-10, "g_" + j + " . g_" + l);
            }
        }

        // The transposed correction (M Aᵀ)_jm of a published implementation gives another, wrong, matrix here.
        final FieldTerms t = new FieldTerms(2, 1);
        exact.evaluate(m, q, t);
        final double[] perp = {q[0] - m[0] * m[0], q[1] - m[0] * m[1], q[2] - m[1] * m[0], q[3] - m[1] * m[1]};
        final double[] inv = SmallMatrices.symmetricPseudoInverse(perp, 2, 1e-12);
        final double[][] transposed = new double[2][2];
        for (int j = 0; j < 2; j++)
        {
            for (int u = 0; u < 2; u++)
            {
                transposed[j][u] = t.i3Student(j, u) - m[j] * t.i3Target(u, 0);
            }
        }
        double wrong = t.i3Target(0, 0) * t.i3Target(1, 0);
        for (int u = 0; u < 2; u++)
        {
            for (int v = 0; v < 2; v++)
            {
                wrong += transposed[0][u] * inv[u * 2 + v] * transposed[1][v];
            }
        }
        assertTrue(Math.abs(wrong - gram[1]) > 1e-3, "the transposed form differs: " + wrong + " vs " + gram[1]);
    }

    @Test
    void projectedRecursionKeepsUnitRows()
    {
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("He3(z1)"), Activation.parse("He3"),
            new double[] {1.0, 1.0}, Loss.CORRELATION, 1e-3);
        final TheoryProblem problem = new TheoryProblem(model, RowNormalization.PROJECTED, 0.002, 256, 256);
        final TheoryCurve curve = TheoryCurve.compute(problem, new double[] {0.2, 0.1},
            new double[] {1.0, 0.3, 0.3, 1.0}, new long[] {0, 10, 100, 3000}, TheoryCurve.Options.defaults());
        assertEquals(TheoryCurve.Method.RECURSION, curve.method());
        for (final TheoryCurve.Point p : curve.points())
        {
            assertEquals(1.0, p.q()[0], 1e-12);
            assertEquals(1.0, p.q()[3], 1e-12);
        }
        // He3 with the correlation loss: m grows towards 1, where the drift 18 η m²(1 − m²) balances the
        // contraction ½ η² (d/n_b) E[y² σ'²] m of the noise term (η = 1e-3 here).
        assertTrue(curve.points().get(3).m()[0] > 0.9, "m = " + curve.points().get(3).m()[0]);
    }

    @Test
    void singleNeuronHe3CorrelationDriftMatchesTheHermiteForm()
    {
        // online-sgd.md §3.4: population drift of the projected step Δm = 18 η m² (1 − m²) for He3/He3 (first order
        // in η; the noise terms are switched off to isolate it).
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("He3(z1)"), Activation.parse("He3"),
            new double[] {1.0}, Loss.CORRELATION, 0.0);
        final double eta = 1e-6;
        final TheoryProblem problem = new TheoryProblem(model, RowNormalization.PROJECTED, eta, 1, 100);
        final OverlapRecursion map = new OverlapRecursion(FieldExpectations.choose(model, 1, 1), problem, false);
        for (final double m0 : new double[] {0.1, 0.5, 0.8})
        {
            final double[] m = {m0};
            final double[] q = {1.0};
            map.step(m, q);
            assertEquals(18.0 * eta * m0 * m0 * (1 - m0 * m0), m[0] - m0, 1e-6 * 18.0 * eta);
        }
    }
}
