package org.sgdsim.math.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class DerivativeTest
{
    private static final List<String> X = List.of("x");

    private static double at(final Expression e, final double x)
    {
        return e.evaluate(new double[] {x});
    }

    private static void assertDerivative(final String text, final DoubleUnaryOperator known, final double... points)
    {
        final Expression d = Expression.parse(text, X).derivative(0);
        for (final double x : points)
        {
            final double expected = known.applyAsDouble(x);
            assertEquals(expected, at(d, x), 1e-13 * Math.max(1.0, Math.abs(expected)), text + "' at " + x);
        }
    }

    /** Derivatives written out by hand, at points away from kinks. */
    @Test
    void matchesKnownDerivatives()
    {
        final double[] pts = {-2.3, -0.7, 0.4, 1.1, 2.9};
        assertDerivative("tanh(x) + 0.1*x^3", x -> 1 - Math.tanh(x) * Math.tanh(x) + 0.3 * x * x, pts);
        assertDerivative("He3(x)", x -> 3 * (x * x - 1), pts);
        assertDerivative("He4(2*x)", x -> 2 * 4 * (8 * x * x * x - 6 * x), pts);
        assertDerivative("erf(x/sqrt(2))", x -> Math.sqrt(2 / Math.PI) * Math.exp(-x * x / 2), pts);
        assertDerivative("exp(-x^2)", x -> -2 * x * Math.exp(-x * x), pts);
        assertDerivative("relu(x)", x -> x > 0 ? 1 : 0, pts);
        assertDerivative("abs(x)^3", x -> 3 * x * Math.abs(x), pts);
        assertDerivative("sign(x)*x + floor(3) + ceil(x)", x -> Math.signum(x), pts);
        assertDerivative("min(x, 1) + max(x^2, 2)", x -> (x < 1 ? 1 : 0) + (x * x > 2 ? 2 * x : 0), pts);
        assertDerivative("x/(1 + x^2)", x -> (1 - x * x) / ((1 + x * x) * (1 + x * x)), pts);
        assertDerivative("2^x", x -> Math.log(2) * Math.pow(2, x), pts);
        final double[] positive = {0.3, 1.7, 4.2};
        assertDerivative("sqrt(x) + ln(x) + log(2*x)", x -> 0.5 / Math.sqrt(x) + 2 / x, positive);
        assertDerivative("x^2.5", x -> 2.5 * Math.pow(x, 1.5), positive);
        assertDerivative("x^x", x -> Math.pow(x, x) * (Math.log(x) + 1), positive);
    }

    /** Central differences agree with the symbolic derivative of a composite expression to O(h²). */
    @Test
    void matchesFiniteDifferences()
    {
        final String[] texts = {"tanh(x) + 0.1*x^3", "erf(x)*exp(-x)", "He5(x)/(2 + x^2)", "sqrt(1 + x^2)*tanh(3*x)",
            "ln(1 + exp(x))", "(x - 1)^7 - 3*x^4", "max(tanh(x), x^3) - min(0.2*x, erf(x))"};
        final double h = 1e-5;
        for (final String text : texts)
        {
            final Expression f = Expression.parse(text, X);
            final Expression d = f.derivative(0);
            for (double x = -2.05; x < 2.1; x += 0.3)
            {
                final double fd = (at(f, x + h) - at(f, x - h)) / (2 * h);
                final double exact = at(d, x);
                assertEquals(fd, exact, 1e-6 * Math.max(1.0, Math.abs(exact)), text + "' at " + x);
            }
        }
    }

    /** Constant parts vanish, and a variable not differentiated is a constant. */
    @Test
    void constantsVanish()
    {
        assertTrue(Expression.parse("3*pi + He2(2)", X).derivative(0).isConstant());
        assertEquals(0.0, at(Expression.parse("3*pi", X).derivative(0), 1.0));
        final Expression partial = Expression.parse("x*y^2", List.of("x", "y")).derivative(1);
        assertEquals(2 * 3.0 * 5.0, partial.evaluate(new double[] {3.0, 5.0}), 1e-15);
        assertEquals(3, Expression.parse("x^4 + x", X).derivative(0).polynomialDegree().getAsInt());
    }
}
