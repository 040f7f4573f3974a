package org.sgdsim.model;

/** The output map and loss of a multi-layer perceptron; {@link #error} is e = ∂ℓ/∂a_L (dfa-optics.md §1.2). */
public enum MlpOutput
{
    /** Softmax + cross-entropy: e = softmax(a_L) − y. */
    SOFTMAX("softmax")
    {
        @Override
        public double error(final double[] a, final int off, final double[] y, final int yOff, final int k,
            final double[] e, final int eOff)
        {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++)
            {
                max = Math.max(max, a[off + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < k; c++)
            {
                final double p = Math.exp(a[off + c] - max);
                e[eOff + c] = p;
                sum += p;
            }
            final double logSum = Math.log(sum) + max;
            double loss = 0.0;
            for (int c = 0; c < k; c++)
            {
                final double yc = y[yOff + c];
                e[eOff + c] = e[eOff + c] / sum - yc;
                if (yc != 0.0)
                {
                    loss -= yc * (a[off + c] - logSum);
                }
            }
            return loss;
        }
    },
    /** Linear output + ½‖ŷ − y‖²: e = a_L − y. */
    LINEAR("linear")
    {
        @Override
        public double error(final double[] a, final int off, final double[] y, final int yOff, final int k,
            final double[] e, final int eOff)
        {
            double loss = 0.0;
            for (int c = 0; c < k; c++)
            {
                final double d = a[off + c] - y[yOff + c];
                e[eOff + c] = d;
                loss += 0.5 * d * d;
            }
            return loss;
        }
    };

    private final String configName;

    MlpOutput(final String configName)
    {
        this.configName = configName;
    }

    /** Writes e for one sample and returns its loss. */
    public abstract double error(double[] a, int off, double[] y, int yOff, int k, double[] e, int eOff);

    /** The config name. */
    public String configName()
    {
        return configName;
    }

    /** Parses softmax or linear. */
    public static MlpOutput parse(final String name)
    {
        for (final MlpOutput o : values())
        {
            if (o.configName.equals(name))
            {
                return o;
            }
        }
        throw new IllegalArgumentException("expected softmax or linear, got '" + name + "'");
    }
}
