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
    };

    /** ℒ(y, f). */
    public abstract double value(double y, double f);

    /** e = −∂ℒ/∂f, the factor multiplying a_j σ'(λ_j) x in the minus-gradient. */
    public abstract double error(double y, double f);

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
