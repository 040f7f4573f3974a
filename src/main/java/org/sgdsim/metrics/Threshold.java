package org.sgdsim.metrics;

/**
 * A stopping condition on one metric, e.g. max-cos-1 above 0.5 or risk below 0.01.
 * Metric names: {@code max-cos-R}, {@code risk}, {@code m-J-R}, {@code q-J-L} (indices from 1).
 */
public record Threshold(String metric, Kind kind, int first, int second, boolean above, double value)
{
    /** Which family the metric belongs to. */
    public enum Kind
    {
        /** max_j |M_jr|/√Q_jj. */
        MAX_COS,
        /** Population risk R. */
        RISK,
        /** An entry of M. */
        M,
        /** An entry of Q. */
        Q
    }

    /**
     * Parses a metric name for a run with p hidden units and k teacher directions.
     *
     * @throws IllegalArgumentException naming the accepted forms when the name or an index is invalid.
     */
    public static Threshold parse(final String metric, final boolean above, final double value, final int width, final int k)
    {
        final String forms = "max-cos-R (R in 1.." + k + "), risk, m-J-R or q-J-L (J, L in 1.." + width + ")";
        try
        {
            if ("risk".equals(metric))
            {
                return new Threshold(metric, Kind.RISK, 0, 0, above, value);
            }
            if (metric.startsWith("max-cos-"))
            {
                final int r = index(metric.substring("max-cos-".length()), k);
                return new Threshold(metric, Kind.MAX_COS, r, 0, above, value);
            }
            final String[] parts = metric.split("-");
            if (parts.length == 3 && ("m".equals(parts[0]) || "q".equals(parts[0])))
            {
                final boolean isM = "m".equals(parts[0]);
                final int j = index(parts[1], width);
                final int second = index(parts[2], isM ? k : width);
                return new Threshold(metric, isM ? Kind.M : Kind.Q, j, second, above, value);
            }
        }
        catch (final NumberFormatException ex)
        {
            // falls through to the one message that lists the accepted forms
        }
        throw new IllegalArgumentException("expected " + forms + ", got '" + metric + "'");
    }

    private static int index(final String text, final int max)
    {
        final int i = Integer.parseInt(text);
        if (i < 1 || i > max)
        {
            throw new NumberFormatException();
        }
        return i - 1;
    }

    /** True when evaluating the condition needs the risk (otherwise the overlaps suffice). */
    public boolean needsRisk()
    {
        return kind == Kind.RISK;
    }

    /** The metric's current value. */
    public double current(final OrderParameters op, final double risk)
    {
        switch (kind)
        {
            case MAX_COS:
                return op.maxCos(first);
            case RISK:
                return risk;
            case M:
                return op.m(first, second);
            case Q:
                return op.q(first, second);
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** Whether the condition holds at these overlaps and risk. */
    public boolean holds(final OrderParameters op, final double risk)
    {
        final double v = current(op, risk);
        return above ? v > value : v < value;
    }

    /** Human-readable form, e.g. "max-cos-1 above 0.5". */
    public String describe()
    {
        return metric + (above ? " above " : " below ") + value;
    }
}
