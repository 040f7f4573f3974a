package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/**
 * The three ways of computing the expectations over the local fields agree on random covariances, and the exact
 * ones match values derived by hand.
 */
class FieldExpectationsTest
{
    /** A random valid (M, Q): student rows W (p × (k + p)) against the teacher basis e_1..e_k. */
    private static double[][] randomState(final SplittableRandom rnd, final int p, final int k, final double scale)
    {
        final int n = k + p;
        final double[] w = new double[p * n];
        for (int i = 0; i < w.length; i++)
        {
            w[i] = scale * (2.0 * rnd.nextDouble() - 1.0);
        }
        final double[] m = new double[p * k];
        final double[] q = new double[p * p];
        for (int j = 0; j < p; j++)
        {
            System.arraycopy(w, j * n, m, j * k, k);
            for (int l = 0; l < p; l++)
            {
                double s = 0.0;
                for (int c = 0; c < n; c++)
                {
                    s += w[j * n + c] * w[l * n + c];
                }
                q[j * p + l] = s;
            }
        }
        return new double[][] {m, q};
    }

    private static void assertTermsClose(final FieldTerms expected, final FieldTerms actual, final double tolerance,
        final String what)
    {
        assertArrayClose(expected.i3Target(), actual.i3Target(), tolerance, what + " E[e s' nu]");
        assertArrayClose(expected.i3Student(), actual.i3Student(), tolerance, what + " E[e s' lambda]");
        assertArrayClose(expected.i4(), actual.i4(), tolerance, what + " E[e^2 s' s']");
    }

    private static void assertArrayClose(final double[] expected, final double[] actual, final double tolerance,
        final String what)
    {
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    @Test
    void erfClosedFormAgreesWithQuadratureAndMonteCarloOnRandomCovariances()
    {
        final SplittableRandom rnd = new SplittableRandom(7);
        final Expression target = Expression.parseTarget("0.7*erf(z1/sqrt(2)) - 0.4*erf(1.2*z2)");
        final double[] a = {1.0, -0.5};
        for (final Loss loss : new Loss[] {Loss.SQUARE, Loss.CORRELATION})
        {
            final StudentTeacher model = new StudentTeacher(target, Activation.parse("erf"), a, loss, 0.01);
            final FieldExpectations closed = FieldExpectations.choose(model, 1, 1);
            assertEquals("closed-form-erf", closed.method());
            final FieldExpectations quadrature = FieldExpectations.quadrature(model, 20);
            final FieldExpectations monteCarlo = FieldExpectations.monteCarlo(model, 1_000_000, 3);
            final double[][] state = randomState(rnd, 2, 2, 0.6);
            final FieldTerms exact = new FieldTerms(2, 2);
            final FieldTerms grid = new FieldTerms(2, 2);
            final FieldTerms sampled = new FieldTerms(2, 2);
            closed.evaluate(state[0], state[1], exact);
            quadrature.evaluate(state[0], state[1], grid);
            monteCarlo.evaluate(state[0], state[1], sampled);
            // erf is analytic, so 20 nodes per axis converge far below the Monte Carlo error (~1e-3 at 10^6 draws).
            assertTermsClose(exact, grid, 1e-4, loss + " closed form vs quadrature");
            assertTermsClose(exact, sampled, 3e-3, loss + " closed form vs Monte Carlo");
            final double risk = closed.risk(state[0], state[1]);
            assertEquals(risk, quadrature.risk(state[0], state[1]), 1e-5, "risk");
            assertEquals(risk, monteCarlo.risk(state[0], state[1]), 3e-3, "risk");
        }
    }

    @Test
    void polynomialQuadratureIsExactAndAgreesWithMonteCarlo()
    {
        final SplittableRandom rnd = new SplittableRandom(11);
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("z1 + He2(z2)"),
            Activation.parse("He2"), new double[] {1.0, 0.5}, Loss.SQUARE, 0.1);
        final FieldExpectations exact = FieldExpectations.choose(model, 1, 1);
        assertTrue(exact.method().startsWith("gauss-hermite-exact"), exact.method());
        final FieldExpectations finer = FieldExpectations.quadrature(model, 9);
        final FieldExpectations monteCarlo = FieldExpectations.monteCarlo(model, 2_000_000, 5);
        final double[][] state = randomState(rnd, 2, 2, 0.6);
        final FieldTerms e = new FieldTerms(2, 2);
        final FieldTerms f = new FieldTerms(2, 2);
        final FieldTerms s = new FieldTerms(2, 2);
        exact.evaluate(state[0], state[1], e);
        finer.evaluate(state[0], state[1], f);
        monteCarlo.evaluate(state[0], state[1], s);
        // Exactness: more nodes change nothing but round-off.
        assertTermsClose(e, f, 1e-11, "exact vs 9 nodes per axis");
        assertTermsClose(e, s, 0.03, "exact vs Monte Carlo");
        assertEquals(exact.risk(state[0], state[1]), monteCarlo.risk(state[0], state[1]), 0.01);
    }

    @Test
    void squareActivationPhaseRetrievalMatchesHandDerivedMoments()
    {
        // p = k = 1, sigma = x^2, y = z1^2, q = 1, corr m: e = nu^2 - lambda^2, sigma' = 2 lambda.
        // E[e 2 lambda nu] = 0, E[e 2 lambda^2] = -4(1 - m^2), E[e^2 4 lambda^2] + 4 Delta = 48(1 - m^2) + 4 Delta.
        final double noise = 1e-2;
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("z1^2"), Activation.parse("square"),
            new double[] {1.0}, Loss.SQUARE, noise);
        final FieldExpectations exact = FieldExpectations.choose(model, 1, 1);
        final FieldTerms t = new FieldTerms(1, 1);
        for (final double m : new double[] {0.0, 0.1, -0.4, 0.9, 1.0})
        {
            exact.evaluate(new double[] {m}, new double[] {1.0}, t);
            assertEquals(0.0, t.i3Target(0, 0), 1e-12);
            assertEquals(-4.0 * (1.0 - m * m), t.i3Student(0, 0), 1e-12);
            assertEquals(48.0 * (1.0 - m * m) + 4.0 * noise, t.i4(0, 0), 1e-11);
            assertEquals(2.0 - 2.0 * m * m, exact.risk(new double[] {m}, new double[] {1.0}), 1e-12);
        }
    }

    @Test
    void correlationLossDropsTheStudentFromTheError()
    {
        // He2 on He2, e = y = nu^2 - 1, sigma' = 2 lambda, q = 1: A = 4m, C = 4m^2, D = 8 + 32 m^2 (+ 4 Delta).
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("He2(z1)"), Activation.parse("He2"),
            new double[] {1.0}, Loss.CORRELATION, 0.0);
        final FieldExpectations exact = FieldExpectations.choose(model, 1, 1);
        final FieldTerms t = new FieldTerms(1, 1);
        for (final double m : new double[] {0.0, 0.3, -0.7})
        {
            exact.evaluate(new double[] {m}, new double[] {1.0}, t);
            assertEquals(4.0 * m, t.i3Target(0, 0), 1e-12);
            assertEquals(4.0 * m * m, t.i3Student(0, 0), 1e-12);
            assertEquals(8.0 + 32.0 * m * m, t.i4(0, 0), 1e-11);
        }
    }

    @Test
    void choiceFollowsTheShapeOfTheModel()
    {
        final double[] a = {1.0, 1.0};
        assertEquals("closed-form-erf", FieldExpectations.choose(new StudentTeacher(
            Expression.parseTarget("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2"), Activation.parse("erf"), a, Loss.SQUARE,
            0.0), 1000, 1).method());
        assertTrue(FieldExpectations.choose(new StudentTeacher(Expression.parseTarget("He3(z1)"),
            Activation.parse("He3"), a, Loss.CORRELATION, 0.0), 1000, 1).method().startsWith("gauss-hermite-exact"));
        assertTrue(FieldExpectations.choose(new StudentTeacher(Expression.parseTarget("z1 + He3(z2)"),
            Activation.parse("relu"), a, Loss.SQUARE, 0.0), 1000, 1).method().startsWith("monte-carlo"));
        // An erf student on a polynomial target has neither a closed form nor an exact rule.
        assertTrue(FieldExpectations.choose(new StudentTeacher(Expression.parseTarget("He2(z1)"),
            Activation.parse("erf"), a, Loss.SQUARE, 0.0), 1000, 1).method().startsWith("monte-carlo"));
        // Exact quadrature stops where the grid would exceed its budget (6^10 nodes for He3 with p = 8, k = 2).
        assertTrue(FieldExpectations.choose(new StudentTeacher(Expression.parseTarget("He3(z1) + He3(z2)"),
            Activation.parse("He3"), new double[8], Loss.SQUARE, 0.0), 1000, 1).method().startsWith("monte-carlo"));
    }

    @Test
    void singularCovarianceOfIdenticalStudentsIsAccepted()
    {
        // Two students equal to the teacher: Omega has rank 1, where plain Cholesky would fail.
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("He3(z1)"), Activation.parse("He3"),
            new double[] {1.0, 1.0}, Loss.SQUARE, 0.0);
        final double[] m = {1.0, 1.0};
        final double[] q = {1.0, 1.0, 1.0, 1.0};
        assertEquals(0.0, FieldExpectations.choose(model, 1, 1).risk(m, q), 1e-12);
        assertEquals(0.0, FieldExpectations.monteCarlo(model, 10_000, 1).risk(m, q), 1e-12);
    }
}
