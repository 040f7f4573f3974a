package org.sgdsim.experiment.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/** CSV cells: RFC 4180 quoting, and numbers in a fixed, locale-independent form. */
final class Csv
{
    private static final MathContext SIGNIFICANT = new MathContext(6, RoundingMode.HALF_UP);

    private Csv()
    {
    }

    /** One line of cells (quoted where needed), without the newline. */
    static String line(final List<String> cells)
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++)
        {
            if (i > 0)
            {
                s.append(',');
            }
            s.append(cell(cells.get(i)));
        }
        return s.toString();
    }

    /** A cell, quoted when it holds a comma, a quote or a line break. */
    static String cell(final String text)
    {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0)
        {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** A number: integers as integers, others with 6 significant digits; NaN as an empty cell, ∞ as inf. */
    static String number(final double v)
    {
        if (Double.isNaN(v))
        {
            return "";
        }
        if (Double.isInfinite(v))
        {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
        {
            return Long.toString((long)v);
        }
        // What %.6g prints (its six digits are those of the shortest decimal form, rounded half up), without the
        // trailing zeros of the fraction: 1.5e-05, 0.25, 100000. Built from BigDecimal: String.format and a regular
        // expression per cell cost 80 ms for a sweep's first thousand cells.
        final BigDecimal rounded = new BigDecimal(Double.toString(v)).round(SIGNIFICANT);
        final int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < SIGNIFICANT.getPrecision())
        {
            return rounded.stripTrailingZeros().toPlainString();
        }
        final String unscaled = rounded.unscaledValue().abs().toString();
        int length = unscaled.length();
        while (length > 1 && unscaled.charAt(length - 1) == '0')
        {
            length--;
        }
        final String digits = unscaled.substring(0, length);
        final StringBuilder out = new StringBuilder(16);
        if (rounded.signum() < 0)
        {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1)
        {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append(exponent < 0 ? "e-" : "e+");
        if (Math.abs(exponent) < 10)
        {
            out.append('0');
        }
        return out.append(Math.abs(exponent)).toString();
    }
}
