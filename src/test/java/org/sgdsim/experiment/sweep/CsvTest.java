package org.sgdsim.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The CSV number form: six significant digits without trailing zeros, checked against its regular-expression form. */
class CsvTest
{
    /** The form as first written: %.6g, then the zeros stripped by regular expressions. */
    private static String byRegex(final double v)
    {
        final String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e"))
        {
            return s.replaceFirst("\\.?0+e", "e");
        }
        return s.contains(".") ? s.replaceFirst("\\.?0+$", "") : s;
    }

    @Test
    void examples()
    {
        assertEquals("1.5e-05", Csv.number(1.5e-5));
        assertEquals("1e-05", Csv.number(1e-5));
        assertEquals("0.25", Csv.number(0.25));
        assertEquals("2.5", Csv.number(2.5));
        assertEquals("3", Csv.number(3.0));
        assertEquals("0.333333", Csv.number(1.0 / 3));
        assertEquals("1.23457e+15", Csv.number(1234567890123456.7));
        assertEquals("-0.1", Csv.number(-0.1));
        assertEquals("", Csv.number(Double.NaN));
        assertEquals("inf", Csv.number(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Csv.number(Double.NEGATIVE_INFINITY));
        assertEquals("1e+20", Csv.number(1e20));
        assertEquals("100000", Csv.number(99999.95));
        assertEquals("1e+06", Csv.number(999999.5));
        assertEquals("0.0001", Csv.number(9.999995e-5));
        assertEquals("9.99999e-05", Csv.number(9.999994e-5));
        assertEquals("1e-300", Csv.number(1e-300));
        assertEquals("4.9e-324", Csv.number(Double.MIN_VALUE));
        assertEquals("1.79769e+308", Csv.number(Double.MAX_VALUE));
    }

    @Test
    void sameAsTheRegularExpressionsAtRoundingBoundaries()
    {
        for (int e = -320; e <= 308; e++)
        {
            for (final double m : new double[] {1.0, 9.999995, 9.9999949, 9.9999951, 1.000005, 5.55555, 1.234565, 2.5})
            {
                for (final double sign : new double[] {1.0, -1.0})
                {
                    final double v = sign * m * Math.pow(10, e);
                    for (final double x : new double[] {v, Math.nextUp(v), Math.nextDown(v)})
                    {
                        if (Double.isFinite(x) && x != 0.0 && !(x == Math.rint(x) && Math.abs(x) < 1e15))
                        {
                            assertEquals(byRegex(x), Csv.number(x), () -> "value " + x);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameAsTheRegularExpressionsOverManyMagnitudes()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++)
        {
            final double v = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-30, 30))
                * (random.nextInt(4) == 0 ? 1 : random.nextDouble());
            final double rounded = random.nextInt(3) == 0 ? Math.round(v * 1e4) / 1e4 : v;
            if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15)
            {
                continue; // integers take the other branch
            }
            assertEquals(byRegex(rounded), Csv.number(rounded), () -> "value " + rounded);
        }
    }
}
