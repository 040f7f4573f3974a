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
    },

    /**
     * ℒ = exp(−y·f) (Repetita iuvant's appendix, online-sgd.md §2.2): e = y·exp(min(−y f, 2)), the exponent
     * clipped at 2 as in its code so that a confidently wrong sample cannot blow the step up. Beyond the clip
     * (−y f &gt; 2) ℒ continues linearly, e²·(−y f − 1), so that e is −∂ℒ/∂f everywhere.
     */
    EXPONENTIAL
    {
        @Override
        public double value(final double y, final double f)
        {
            final double u = -y * f;
            return u <= EXPONENT_CLIP ? Math.exp(u) : Math.exp(EXPONENT_CLIP) * (1.0 + u - EXPONENT_CLIP);
        }

        @Override
        public double error(final double y, final double f)
        {
            return y * Math.exp(Math.min(-y * f, EXPONENT_CLIP));
        }

        @Override
        public void errors(final double[] y, final int yOff, final double[] f, final double[] e, final int n)
        {
            for (int u = 0; u < n; u++)
            {
                e[u] = error(y[yOff + u], f[u]);
            }
        }

        @Override
        public boolean linearInLabel()
        {
            return false;
        }
    };

    /** Largest exponent of the exponential loss's error. */
    static final double EXPONENT_CLIP = 2.0;

    /** ℒ(y, f). */
    public abstract double value(double y, double f);

    /** e = −∂ℒ/∂f, the factor multiplying a_j σ'(λ_j) x in the minus-gradient. */
    public abstract double error(double y, double f);

    /** {@code e[u] = error(y[yOff + u], f[u])} for u &lt; n, as one loop (a copy of y for the correlation loss). */
    public abstract void errors(double[] y, int yOff, double[] f, double[] e, int n);

    /**
     * Whether e is affine in y (square, correlation): then label noise enters the expectations only through
     * Δ·E[σ'σ'] (the theory's form); the exponential loss is not.
     */
    public boolean linearInLabel()
    {
        return true;
    }

    /** The config name. */
    public String configName()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code square}, {@code correlation} or {@code exponential}. */
    public static Loss parse(final String name)
    {
        for (final Loss loss : values())
        {
            if (loss.configName().equals(name))
            {
                return loss;
            }
        }
        throw new IllegalArgumentException("expected square, correlation or exponential, got '" + name + "'");
    }
}
