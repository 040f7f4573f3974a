package org.sgdsim.model;

/** Per-sample training loss of the prediction f against the label y. */
public enum Loss
{
    /** ℒ = ½(y − f)²; the error that multiplies the gradient is e = y − f. */
    SQUARE
    {
        @Override
        public double value(final double y, final double f)
        {
            final double e = y - f;
            return 0.5 * e * e;
        }

        @Override
        public double error(final double y, final double f)
        {
            return y - f;
        }

        @Override
        public void errors(final double[] y, final int yOff, final double[] f, final double[] e, final int n)
        {
            for (int u = 0; u < n; u++)
            {
                e[u] = y[yOff + u] - f[u];
            }
        }
    },

    /** ℒ = −y·f (online-sgd.md §2.2): the square-loss gradient with e = y, no self-interaction. */
    CORRELATION
    {
        @Override
        public double value(final double y, final double f)
        {
            return -y * f;
        }

        @Override
        public double error(final double y, final double f)
        {
            return y;
        }

        @Override
        public void errors(final double[] y, final int yOff, final double[] f, final double[] e, final int n)
        {
            System.arraycopy(y, yOff, e, 0, n);
        }
    };

    /** ℒ(y, f). */
    public abstract double value(double y, double f);

    /** e = −∂ℒ/∂f, the factor multiplying a_j σ'(λ_j) x in the minus-gradient. */
    public abstract double error(double y, double f);

    /** {@code e[u] = error(y[yOff + u], f[u])} for u &lt; n, as one loop (a copy of y for the correlation loss). */
    public abstract void errors(double[] y, int yOff, double[] f, double[] e, int n);

    /** The config name. */
    public String configName()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code square} or {@code correlation}. */
    public static Loss parse(final String name)
    {
        for (final Loss loss : values())
        {
            if (loss.configName().equals(name))
            {
                return loss;
            }
        }
        throw new IllegalArgumentException("expected square or correlation, got '" + name + "'");
    }
}
