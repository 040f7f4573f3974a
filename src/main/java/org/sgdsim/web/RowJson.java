package org.sgdsim.web;

import org.sgdsim.metrics.LiveRows;

/**
 * Turns a CSV row into a JSON object by its table's header, so any column a run writes (DFA's test accuracy,
 * optical frames, …) reaches the dashboard by name. Numbers stay as written; NaN and infinities become null;
 * anything else is a string.
 */
final class RowJson
{
    private RowJson()
    {
    }

    /** {@code {"seq":…,"table":"…",<column>:<value>…}}; cells beyond the header are dropped. */
    static String of(final LiveRows.Row row, final String header)
    {
        final StringBuilder out = new StringBuilder(row.text().length() + 64 + (header == null ? 0 : header.length()));
        out.append("{\"seq\":").append(row.seq()).append(",\"table\":\"").append(row.table().eventName()).append('"');
        if (header != null)
        {
            final String[] names = header.split(",", -1);
            final String[] cells = row.text().split(",", -1);
            for (int i = 0; i < names.length && i < cells.length; i++)
            {
                out.append(',');
                string(out, names[i]);
                out.append(':');
                value(out, cells[i]);
            }
        }
        return out.append('}').toString();
    }

    /** A CSV cell as a JSON value. */
    static void value(final StringBuilder out, final String cell)
    {
        if (isNumber(cell))
        {
            out.append(cell);
        }
        else if (cell.equals("NaN") || cell.equals("Infinity") || cell.equals("-Infinity") || cell.isEmpty())
        {
            out.append("null");
        }
        else
        {
            string(out, cell);
        }
    }

    /** A JSON number as Java and JSON both write them: -?digits[.digits][E[-]digits]. */
    static boolean isNumber(final String s)
    {
        int i = 0;
        final int n = s.length();
        if (i < n && s.charAt(i) == '-')
        {
            i++;
        }
        final int digits = i;
        while (i < n && Character.isDigit(s.charAt(i)))
        {
            i++;
        }
        if (i == digits || (s.charAt(digits) == '0' && i - digits > 1))
        {
            return false;
        }
        if (i < n && s.charAt(i) == '.')
        {
            final int frac = ++i;
            while (i < n && Character.isDigit(s.charAt(i)))
            {
                i++;
            }
            if (i == frac)
            {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'E' || s.charAt(i) == 'e'))
        {
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+'))
            {
                i++;
            }
            final int exp = i;
            while (i < n && Character.isDigit(s.charAt(i)))
            {
                i++;
            }
            if (i == exp)
            {
                return false;
            }
        }
        return i == n;
    }

    /** A JSON string literal. */
    static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** A JSON string literal as a new string. */
    static String quote(final String s)
    {
        final StringBuilder out = new StringBuilder(s.length() + 2);
        string(out, s);
        return out.toString();
    }
}
