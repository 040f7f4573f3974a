package org.sgdsim.math;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Allocation-free error function for the evaluation hot loop.
 * <p>
 * Hipparchus' {@code Erf.erf} goes through the incomplete gamma function: it costs a few hundred
 * nanoseconds and, for |x| above about 1.22, allocates a continued-fraction object per call, which the
 * hot loop cannot afford. Here |x| &lt; 0.5 uses the odd Taylor series at zero (full relative accuracy
 * near zero), [0.5, 6) is split into pieces of width 0.25 each with a Taylor expansion about its centre,
 * and beyond 6 erf rounds to ±1. The expansion coefficients follow from erf^(k) = (2/√π)(−1)^(k−1)
 * H_(k−1) e^(−x²), so only the value at each centre needs extra precision; it is summed once in
 * BigDecimal when the class loads.
 */
public final class ErrorFunction
{
    private static final double ZERO_SERIES_LIMIT = 0.5;
    private static final double SATURATION = 6.0;
    private static final double PIECE_WIDTH = 0.25;
    private static final int PIECES = (int)Math.round((SATURATION - ZERO_SERIES_LIMIT) / PIECE_WIDTH);
    private static final int PIECE_TERMS = 20;
    private static final int ZERO_TERMS = 14;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /** Taylor coefficients of erf(x)/x in powers of x², valid for |x| &lt; 0.5. */
    private static final double[] ZERO_SERIES = zeroSeries();

    /** PIECE_TERMS Taylor coefficients in (x − centre) per piece, piece p centred at 0.5 + (p + ½)·width. */
    private static final double[] PIECE_SERIES = pieceSeries();

    private ErrorFunction()
    {
    }

    /**
     * The error function erf(x) = 2/√π ∫_0^x e^{−t²} dt, accurate to about one ulp.
     *
     * @param x argument.
     * @return erf(x); NaN for NaN.
     */
    public static double erf(final double x)
    {
        final double a = Math.abs(x);
        if (a < ZERO_SERIES_LIMIT)
        {
            final double s = x * x;
            double sum = ZERO_SERIES[ZERO_TERMS - 1];
            for (int i = ZERO_TERMS - 2; i >= 0; i--)
            {
                sum = sum * s + ZERO_SERIES[i];
            }
            return x * sum;
        }

        if (a >= SATURATION)
        {
            return Math.copySign(1.0, x);
        }

        if (a != a)
        {
            return x;
        }

        final int piece = Math.min(PIECES - 1, (int)((a - ZERO_SERIES_LIMIT) / PIECE_WIDTH));
        final double h = a - centre(piece);
        final int base = piece * PIECE_TERMS;
        double sum = PIECE_SERIES[base + PIECE_TERMS - 1];
        for (int k = PIECE_TERMS - 2; k >= 0; k--)
        {
            sum = sum * h + PIECE_SERIES[base + k];
        }

        return Math.copySign(sum, x);
    }

    private static double centre(final int piece)
    {
        return ZERO_SERIES_LIMIT + (piece + 0.5) * PIECE_WIDTH;
    }

    private static double[] zeroSeries()
    {
        // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)).
        final double[] table = new double[ZERO_TERMS];
        double factorial = 1.0;
        for (int n = 0; n < ZERO_TERMS; n++)
        {
            if (n > 0)
            {
                factorial *= n;
            }
            final double sign = (n & 1) == 0 ? 1.0 : -1.0;
            table[n] = sign * TWO_OVER_SQRT_PI / (factorial * (2 * n + 1));
        }
        return table;
    }

    private static double[] pieceSeries()
    {
        final double[] table = new double[PIECES * PIECE_TERMS];
        for (int p = 0; p < PIECES; p++)
        {
            final double c = centre(p);
            final double scale = TWO_OVER_SQRT_PI * Math.exp(-c * c);
            table[p * PIECE_TERMS] = preciseErf(c);

            // a_k = erf^(k)(c) / k! with erf^(k) = (2/√π) (−1)^(k−1) H_(k−1)(c) e^(−c²), physicists' H.
            double previous = 0.0;
            double current = 1.0;
            double factorial = 1.0;
            for (int k = 1; k < PIECE_TERMS; k++)
            {
                factorial *= k;
                final double sign = (k & 1) == 1 ? 1.0 : -1.0;
                table[p * PIECE_TERMS + k] = sign * scale * current / factorial;

                final int n = k - 1;
                final double next = 2.0 * c * current - 2.0 * n * previous;
                previous = current;
                current = next;
            }
        }
        return table;
    }

    /** erf at an exactly representable point, correctly rounded in practice: the Maclaurin series in 45 digits. */
    public static double preciseErf(final double x)
    {
        // Terms grow to about e^(x²) before decaying, so the working precision covers that cancellation.
        final MathContext mc = new MathContext(45);
        final BigDecimal bx = new BigDecimal(x);
        final BigDecimal minusSquare = bx.multiply(bx, mc).negate();
        final BigDecimal threshold = new BigDecimal("1e-25");
        BigDecimal power = bx;
        BigDecimal sum = bx;
        for (int n = 1; ; n++)
        {
            power = power.multiply(minusSquare, mc).divide(BigDecimal.valueOf(n), mc);
            final BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(threshold) < 0)
            {
                break;
            }
        }

        final BigDecimal sqrtPi = new BigDecimal(
            "1.77245385090551602729816748334114518279754945612238712821380779");
        return sum.multiply(BigDecimal.valueOf(2), mc).divide(sqrtPi, mc).doubleValue();
    }
}
