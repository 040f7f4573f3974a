package org.sgdsim.metrics;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Minimal JSON writer for the files sgdsim emits (maps keep their insertion order). */
public final class Json
{
    private Json()
    {
    }

    /** Renders a value: Map, List, String, Number, Boolean, double[] or null; non-finite doubles become null. */
    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(final StringBuilder out, final Object value, final int indent)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof Map<?, ?> map)
        {
            out.append('{');
            final Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext())
            {
                final Map.Entry<?, ?> e = it.next();
                newline(out, indent + 1);
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), indent + 1);
                if (it.hasNext())
                {
                    out.append(',');
                }
            }
            newline(out, indent);
            out.append('}');
        }
        else if (value instanceof List<?> list)
        {
            out.append('[');
            for (int i = 0; i < list.size(); i++)
            {
                if (i > 0)
                {
                    out.append(", ");
                }
                write(out, list.get(i), indent + 1);
            }
            out.append(']');
        }
        else if (value instanceof double[] array)
        {
            out.append('[');
            for (int i = 0; i < array.length; i++)
            {
                if (i > 0)
                {
                    out.append(", ");
                }
                number(out, array[i]);
            }
            out.append(']');
        }
        else if (value instanceof Double || value instanceof Float)
        {
            number(out, ((Number)value).doubleValue());
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else
        {
            string(out, value.toString());
        }
    }

    private static void number(final StringBuilder out, final double v)
    {
        if (Double.isFinite(v))
        {
            out.append(v);
        }
        else
        {
            out.append("null");
        }
    }

    private static void newline(final StringBuilder out, final int indent)
    {
        out.append('\n');
        for (int i = 0; i < indent; i++)
        {
            out.append("  ");
        }
    }

    private static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
