package org.sgdsim.model;

import java.util.List;

import org.sgdsim.math.ErrorFunction;
import org.sgdsim.math.Hermite;
import org.sgdsim.math.expr.Expression;

/** A hidden-unit activation σ of the two-layer student, with its derivative σ'. */
public abstract class Activation
{
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private final String name;
    private final int polynomialDegree;

    Activation(final String name, final int polynomialDegree)
    {
        this.name = name;
        this.polynomialDegree = polynomialDegree;
    }

    /** σ(x). */
    public abstract double value(double x);

    /** σ'(x); for relu the derivative at 0 is taken as 0. */
    public abstract double derivative(double x);

    /**
     * Writes σ(x_j) and σ'(x_j) for j &lt; n; the same numbers as {@link #value} and {@link #derivative}, computed
     * once where the two share work (tanh, Hermite recurrences).
     */
    public void evaluate(final double[] x, final double[] value, final double[] derivative, final int n)
    {
        for (int j = 0; j < n; j++)
        {
            value[j] = value(x[j]);
            derivative[j] = derivative(x[j]);
        }
    }

    /** n when σ = He_n (n = 1 for linear), −1 for every other activation. */
    public int hermiteDegree()
    {
        return -1;
    }

    /** The config name of this activation. */
    public final String name()
    {
        return name;
    }

    /** Degree of σ when it is a polynomial, otherwise -1. */
    public final int polynomialDegree()
    {
        return polynomialDegree;
    }

    @Override
    public final String toString()
    {
        return name;
    }

    /** Names accepted by {@link #parse(String)}, for error messages and docs. */
    public static final String NAMES = "He1..He8, erf, relu, tanh, square, linear";

    /**
     * Parses a config name into an activation, or else an expression in x such as {@code "tanh(x) + 0.1*x^3"}
     * (the target language; note that {@code erf(x)} there is plain erf, while the name {@code erf} is
     * erf(x/√2)); throws IllegalArgumentException naming the choices and, for an expression, what is wrong.
     */
    public static Activation parse(final String name)
    {
        switch (name)
        {
            case "erf":
                return new ErfActivation();
            case "relu":
                return new Relu();
            case "tanh":
                return new Tanh();
            case "square":
                return new Square();
            case "linear":
                return new HermiteActivation("linear", 1);
            default:
                if (name.length() == 3 && name.startsWith("He") && name.charAt(2) >= '1' && name.charAt(2) <= '8')
                {
                    return new HermiteActivation(name, name.charAt(2) - '0');
                }
                return expression(name);
        }
    }

    private static Activation expression(final String text)
    {
        final Expression sigma;
        try
        {
            sigma = Expression.parse(text, List.of("x"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("expected one of " + NAMES + " or an expression in x; " + ex.getMessage(),
                ex);
        }
        return new ExpressionActivation(text, sigma);
    }

    /**
     * σ given as an expression in x, with σ' its exact symbolic derivative. The trees read their argument from
     * a slot array, so each thread evaluates through scratch of its own (activations are shared by the learner,
     * the tracker's risk and the theory).
     */
    private static final class ExpressionActivation extends Activation
    {
        private final Expression sigma;
        private final Expression sigmaPrime;
        private final ThreadLocal<Scratch> scratch;

        ExpressionActivation(final String text, final Expression sigma)
        {
            super(text, sigma.polynomialDegree().orElse(-1));
            this.sigma = sigma;
            this.sigmaPrime = sigma.derivative(0);
            this.scratch = ThreadLocal.withInitial(Scratch::new);
        }

        @Override
        public double value(final double x)
        {
            final double[] slot = scratch.get().slot;
            slot[0] = x;
            return sigma.evaluate(slot);
        }

        @Override
        public double derivative(final double x)
        {
            final double[] slot = scratch.get().slot;
            slot[0] = x;
            return sigmaPrime.evaluate(slot);
        }

        @Override
        public void evaluate(final double[] x, final double[] value, final double[] derivative, final int n)
        {
            final Scratch s = scratch.get();
            if (s.columns == null || s.columns[0].length < n)
            {
                s.columns = sigma.columnScratch(n);
                s.primeColumns = sigmaPrime.columnScratch(n);
            }
            sigma.evaluateColumns(x, n, 0, n, value, s.columns);
            sigmaPrime.evaluateColumns(x, n, 0, n, derivative, s.primeColumns);
        }

        /** One thread's evaluation buffers. */
        private static final class Scratch
        {
            final double[] slot = new double[1];
            double[][] columns;
            double[][] primeColumns;
        }
    }

    /** σ = He_n, or the identity when n = 1 ("linear"). */
    private static final class HermiteActivation extends Activation
    {
        private final int n;

        HermiteActivation(final String name, final int n)
        {
            super(name, n);
            this.n = n;
        }

        @Override
        public int hermiteDegree()
        {
            return n;
        }

        @Override
        public double value(final double x)
        {
            return Hermite.value(n, x);
        }

        @Override
        public double derivative(final double x)
        {
            return Hermite.derivative(n, x);
        }

        @Override
        public void evaluate(final double[] x, final double[] value, final double[] derivative, final int count)
        {
            // He_n' = n·He_(n−1), and one pass of the recurrence gives both.
            Hermite.columns(n, x, value, derivative, n, count);
        }
    }

    /** σ(x) = erf(x/√2), the Saad–Solla normalisation: σ' = √(2/π)·exp(−x²/2). */
    private static final class ErfActivation extends Activation
    {
        ErfActivation()
        {
            super("erf", -1);
        }

        @Override
        public double value(final double x)
        {
            return ErrorFunction.erf(x * SQRT_HALF);
        }

        @Override
        public double derivative(final double x)
        {
            return SQRT_2_OVER_PI * Math.exp(-0.5 * x * x);
        }
    }

    /** σ(x) = max(x, 0). */
    private static final class Relu extends Activation
    {
        Relu()
        {
            super("relu", -1);
        }

        @Override
        public double value(final double x)
        {
            return x > 0.0 ? x : 0.0;
        }

        @Override
        public double derivative(final double x)
        {
            return x > 0.0 ? 1.0 : 0.0;
        }
    }

    /** σ(x) = tanh(x). */
    private static final class Tanh extends Activation
    {
        Tanh()
        {
            super("tanh", -1);
        }

        @Override
        public double value(final double x)
        {
            return Math.tanh(x);
        }

        @Override
        public double derivative(final double x)
        {
            final double t = Math.tanh(x);
            return 1.0 - t * t;
        }

        @Override
        public void evaluate(final double[] x, final double[] value, final double[] derivative, final int n)
        {
            for (int j = 0; j < n; j++)
            {
                final double t = Math.tanh(x[j]);
                value[j] = t;
                derivative[j] = 1.0 - t * t;
            }
        }
    }

    /** σ(x) = x², the phase-retrieval student. */
    private static final class Square extends Activation
    {
        Square()
        {
            super("square", 2);
        }

        @Override
        public double value(final double x)
        {
            return x * x;
        }

        @Override
        public double derivative(final double x)
        {
            return 2.0 * x;
        }
    }
}
