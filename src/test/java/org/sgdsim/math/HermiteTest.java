package org.sgdsim.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HermiteTest
{
    private static final double[] POINTS = {-4.5, -2.0, -1.0, -0.3, 0.0, 0.7, 1.0, 1.9, 3.3, 6.0};

    @Test
    void lowOrderPolynomialsMatchTheirDefinitions()
    {
        for (final double x : POINTS)
        {
            assertEquals(1.0, Hermite.value(0, x));
            assertEquals(x, Hermite.value(1, x));
            assertEquals(x * x - 1.0, Hermite.value(2, x), 1e-12 * (1 + x * x));
            assertEquals(x * x * x - 3.0 * x, Hermite.value(3, x), 1e-12 * (1 + Math.abs(x * x * x)));
            assertEquals(x * x * x * x - 6.0 * x * x + 3.0, Hermite.value(4, x), 1e-12 * (1 + x * x * x * x));
        }

        assertArrayEquals(new double[] {1.0}, Hermite.coefficients(0));
        assertArrayEquals(new double[] {0.0, 1.0}, Hermite.coefficients(1));
        assertArrayEquals(new double[] {-1.0, 0.0, 1.0}, Hermite.coefficients(2));
        assertArrayEquals(new double[] {0.0, -3.0, 0.0, 1.0}, Hermite.coefficients(3));
        assertArrayEquals(new double[] {3.0, 0.0, -6.0, 0.0, 1.0}, Hermite.coefficients(4));
    }

    @Test
    void recurrenceAgreesWithPowerBasisCoefficients()
    {
        for (int n = 0; n <= Hermite.MAX_DEGREE; n++)
        {
            final double[] c = Hermite.coefficients(n);
            assertEquals(n + 1, c.length);
            assertEquals(1.0, c[n], "leading coefficient of He" + n);
            // The constant term is (−1)^(n/2)·(n−1)!! for even n, which pins the whole sequence down.
            assertEquals(n % 2 == 0 ? (n / 2 % 2 == 0 ? 1 : -1) * doubleFactorial(n - 1) : 0.0, c[0]);

            for (final double x : POINTS)
            {
                double horner = 0.0;
                double magnitude = 0.0;
                for (int i = n; i >= 0; i--)
                {
                    horner = horner * x + c[i];
                    magnitude = magnitude * Math.abs(x) + Math.abs(c[i]);
                }
                assertEquals(horner, Hermite.value(n, x), 1e-13 * magnitude, "He" + n + "(" + x + ")");
            }
        }
    }

    @Test
    void derivativeMatchesFiniteDifference()
    {
        final double h = 1e-5;
        for (int n = 0; n <= 12; n++)
        {
            for (final double x : POINTS)
            {
                final double numeric = (Hermite.value(n, x + h) - Hermite.value(n, x - h)) / (2 * h);
                final double exact = Hermite.derivative(n, x);
                assertEquals(numeric, exact, 1e-6 * (1 + Math.abs(exact)), "He" + n + "'(" + x + ")");
            }
        }
        assertEquals(0.0, Hermite.derivative(0, 1.5));
        assertEquals(3.0 * (1.5 * 1.5 - 1.0), Hermite.derivative(3, 1.5), 1e-14);
    }

    @Test
    void orthogonalUnderStandardNormal()
    {
        final GaussHermite.Rule rule = GaussHermite.rule(20);
        for (int a = 0; a <= 8; a++)
        {
            for (int b = 0; b <= 8; b++)
            {
                double sum = 0.0;
                for (int i = 0; i < rule.points(); i++)
                {
                    final double z = rule.nodes()[i];
                    sum += rule.weights()[i] * Hermite.value(a, z) * Hermite.value(b, z);
                }
                final double scale = Math.sqrt(factorial(a) * factorial(b));
                final double expected = a == b ? factorial(a) : 0.0;
                assertEquals(expected, sum, 1e-9 * scale, "E[He" + a + " He" + b + "]");
            }
        }
    }

    @Test
    void rejectsDegreesOutsideRange()
    {
        assertThrows(IllegalArgumentException.class, () -> Hermite.value(-1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Hermite.value(21, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Hermite.derivative(21, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Hermite.coefficients(-1));
        assertThrows(IllegalArgumentException.class, () -> Hermite.coefficients(21));
    }

    @Test
    void gaussHermiteReproducesNormalMoments()
    {
        for (final int points : new int[] {1, 2, 3, 5, 10, 20, 40})
        {
            final GaussHermite.Rule rule = GaussHermite.rule(points);
            assertEquals(points, rule.nodes().length);
            assertEquals(points, rule.weights().length);

            double total = 0.0;
            for (final double w : rule.weights())
            {
                assertTrue(w > 0.0);
                total += w;
            }
            assertEquals(1.0, total, 1e-14);

            for (int i = 0; i < points; i++)
            {
                assertEquals(-rule.nodes()[i], rule.nodes()[points - 1 - i], 1e-12, "symmetric nodes");
                if (i > 0)
                {
                    assertTrue(rule.nodes()[i - 1] < rule.nodes()[i], "ascending nodes");
                }
            }

            // Exact up to degree 2·points − 1: E[z^(2m)] = (2m − 1)!! and odd moments vanish.
            for (int degree = 0; degree <= 2 * points - 1; degree++)
            {
                final int power = degree;
                final double moment = rule.expectation(z -> Math.pow(z, power));
                if (degree % 2 == 0)
                {
                    final double expected = doubleFactorial(degree - 1);
                    assertEquals(expected, moment, 1e-10 * expected, "E[z^" + degree + "], " + points + " points");
                }
                else
                {
                    final double scale = Math.sqrt(doubleFactorial(2 * degree - 1));
                    assertEquals(0.0, moment, 1e-12 * scale, "E[z^" + degree + "], " + points + " points");
                }
            }
        }
    }

    @Test
    void gaussHermiteRulesAreCachedAndValidated()
    {
        assertSame(GaussHermite.rule(7), GaussHermite.rule(7));
        assertEquals(0.0, GaussHermite.rule(1).nodes()[0]);
        assertEquals(1.0, GaussHermite.rule(1).weights()[0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> GaussHermite.rule(0));
        assertThrows(IllegalArgumentException.class, () -> GaussHermite.rule(GaussHermite.MAX_POINTS + 1));
    }

    private static double factorial(final int n)
    {
        double result = 1.0;
        for (int i = 2; i <= n; i++)
        {
            result *= i;
        }
        return result;
    }

    private static double doubleFactorial(final int n)
    {
        double result = 1.0;
        for (int i = n; i > 1; i -= 2)
        {
            result *= i;
        }
        return result;
    }
}
