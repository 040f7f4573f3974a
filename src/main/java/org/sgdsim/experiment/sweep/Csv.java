package org.sgdsim.experiment.sweep;

import java.util.List;
import java.util.Locale;

/** CSV cells: RFC 4180 quoting, and numbers in a fixed, locale-independent form. */
final class Csv
{
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
        final String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e"))
        {
            return s.replaceFirst("\\.?0+e", "e");
        }
        return s.contains(".") ? s.replaceFirst("\\.?0+$", "") : s;
    }
}
