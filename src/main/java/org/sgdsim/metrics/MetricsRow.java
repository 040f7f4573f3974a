package org.sgdsim.metrics;

/**
 * Formats the rows of {@code metrics.csv}: {@code step,samples,wall_s,max_cos_1..k,risk,m_j_r…,q_j_l…}
 * (indices from 1, q for j ≤ l), then {@code a_1..a_p} only when the second layer is trained, so runs with a fixed a
 * keep their files unchanged. Numbers use Java's shortest round-trip form, so equal doubles give equal text.
 */
public final class MetricsRow
{
    private final int width;
    private final int k;
    private final boolean secondLayer;
    private final StringBuilder line = new StringBuilder(256);

    /** A formatter for p hidden units and k teacher directions. */
    public MetricsRow(final int width, final int k)
    {
        this(width, k, false);
    }

    /** A formatter that also writes a_1..a_p (from {@link OrderParameters#secondLayer()}) when {@code secondLayer}. */
    public MetricsRow(final int width, final int k, final boolean secondLayer)
    {
        this.width = width;
        this.k = k;
        this.secondLayer = secondLayer;
    }

    /** The header line (no newline). */
    public String header()
    {
        final StringBuilder h = new StringBuilder("step,samples,wall_s");
        for (int r = 1; r <= k; r++)
        {
            h.append(",max_cos_").append(r);
        }
        h.append(",risk");
        for (int j = 1; j <= width; j++)
        {
            for (int r = 1; r <= k; r++)
            {
                h.append(",m_").append(j).append('_').append(r);
            }
        }
        for (int j = 1; j <= width; j++)
        {
            for (int l = j; l <= width; l++)
            {
                h.append(",q_").append(j).append('_').append(l);
            }
        }
        if (secondLayer)
        {
            for (int j = 1; j <= width; j++)
            {
                h.append(",a_").append(j);
            }
        }
        return h.toString();
    }

    /** One row (no newline); the returned builder is reused by the next call. */
    public CharSequence format(final long step, final long samples, final double wallSeconds,
        final OrderParameters op, final double risk)
    {
        line.setLength(0);
        line.append(step).append(',').append(samples).append(',');
        line.append(Math.round(wallSeconds * 1000.0) / 1000.0);
        for (int r = 0; r < k; r++)
        {
            line.append(',').append(op.maxCos(r));
        }
        line.append(',').append(risk);
        for (int j = 0; j < width; j++)
        {
            for (int r = 0; r < k; r++)
            {
                line.append(',').append(op.m(j, r));
            }
        }
        for (int j = 0; j < width; j++)
        {
            for (int l = j; l < width; l++)
            {
                line.append(',').append(op.q(j, l));
            }
        }
        if (secondLayer)
        {
            final double[] a = op.secondLayer();
            for (int j = 0; j < width; j++)
            {
                line.append(',').append(a[j]);
            }
        }
        return line;
    }
}
