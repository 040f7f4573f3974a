package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/** An activation written as an expression in x goes through the theory's quadrature and Monte Carlo paths. */
class ExpressionActivationTheoryTest
{
    private static final double[] M = {0.3, 0.1, -0.2, 0.25};
    private static final double[] Q = {1.0, 0.2, 0.2, 0.9};

    private static FieldTerms terms(final FieldExpectations f)
    {
        final FieldTerms t = new FieldTerms(2, 2);
        f.evaluate(M, Q, t);
        return t;
    }

    /** "x^2 - 1" is He2: exact Gauss–Hermite gives the built-in's numbers (same degree, same nodes). */
    @Test
    void polynomialExpressionTakesExactQuadrature()
    {
        final Expression target = Expression.parseTarget("He2(z1) + z1*z2");
        final double[] a = {1.0, -0.5};
        final FieldExpectations builtIn = FieldExpectations.choose(
            new StudentTeacher(target, Activation.parse("He2"), a, Loss.SQUARE, 0.01), 1000, 1L);
        final FieldExpectations expression = FieldExpectations.choose(
            new StudentTeacher(target, Activation.parse("x^2 - 1"), a, Loss.SQUARE, 0.01), 1000, 1L);
        assertEquals(builtIn.method(), expression.method());
        final FieldTerms expected = terms(builtIn);
        final FieldTerms actual = terms(expression);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(expected.i3Target()[i], actual.i3Target()[i], 1e-12);
            assertEquals(expected.i3Student()[i], actual.i3Student()[i], 1e-12);
            assertEquals(expected.i4()[i], actual.i4()[i], 1e-11);
        }
        assertEquals(builtIn.risk(M, Q), expression.risk(M, Q), 1e-12);
    }

    /**
     * A non-polynomial expression takes Monte Carlo; its E[σ'(λ)λ] obeys Stein's lemma E[σ(λ)λ] = Q·E[σ'(λ)]
     * through the symbolic σ'. Checked on p = k = 1, correlation loss, target z1: E[e σ'(λ) ν] = E[ν σ'(λ)ν].
     */
    @Test
    void nonPolynomialExpressionMatchesIndependentQuadrature()
    {
        final Expression target = Expression.parseTarget("z1");
        final Activation sigma = Activation.parse("tanh(x) + 0.1*x^3");
        final StudentTeacher model = new StudentTeacher(target, sigma, new double[] {1.0}, Loss.CORRELATION, 0.0);
        final FieldExpectations mc = FieldExpectations.monteCarlo(model, 400_000, 5L);
        final FieldExpectations gh = FieldExpectations.quadrature(model, 60);
        final double m = 0.6;
        final FieldTerms mcTerms = new FieldTerms(1, 1);
        final FieldTerms ghTerms = new FieldTerms(1, 1);
        mc.evaluate(new double[] {m}, new double[] {1.0}, mcTerms);
        gh.evaluate(new double[] {m}, new double[] {1.0}, ghTerms);
        // Independent: E[ν² σ'(λ)] with λ ~ N(0,1), ν = mλ + √(1−m²)ξ is E[(m²λ² + 1 − m²) σ'(λ)], by 1-D quadrature.
        final double expected = oneDimensional(x -> (m * m * x * x + 1 - m * m)
            * (1 - Math.tanh(x) * Math.tanh(x) + 0.3 * x * x));
        assertEquals(expected, ghTerms.i3Target(0, 0), 1e-9);
        assertEquals(expected, mcTerms.i3Target(0, 0), 0.02 * expected);
    }

    private static double oneDimensional(final java.util.function.DoubleUnaryOperator f)
    {
        // Trapezoid on [-12, 12] against the standard normal density: converges geometrically for smooth f.
        final int n = 24_000;
        final double h = 24.0 / n;
        double s = 0.0;
        for (int i = 0; i <= n; i++)
        {
            final double x = -12.0 + i * h;
            final double w = (i == 0 || i == n) ? 0.5 : 1.0;
            s += w * f.applyAsDouble(x) * Math.exp(-0.5 * x * x);
        }
        return s * h / Math.sqrt(2 * Math.PI);
    }
}
