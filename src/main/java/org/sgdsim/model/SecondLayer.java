package org.sgdsim.model;

import java.util.Arrays;

import org.sgdsim.math.GaussianStream;

/** How the fixed second layer a is chosen (online-sgd.md §2.1). */
public sealed interface SecondLayer
{
    /** The p weights a_j for a run with this seed. */
    double[] weights(int width, long seed);

    /** Config text of the choice. */
    String describe();

    /** a_j = 1. */
    record Ones() implements SecondLayer
    {
        @Override
        public double[] weights(final int width, final long seed)
        {
            final double[] a = new double[width];
            Arrays.fill(a, 1.0);
            return a;
        }

        @Override
        public String describe()
        {
            return "ones";
        }
    }

    /** a_j = sign of a Gaussian draw (Rademacher). */
    record Rademacher() implements SecondLayer
    {
        @Override
        public double[] weights(final int width, final long seed)
        {
            final GaussianStream g = new GaussianStream(seed, Streams.SECOND_LAYER);
            final double[] a = new double[width];
            for (int j = 0; j < width; j++)
            {
                a[j] = g.nextGaussian() >= 0.0 ? 1.0 : -1.0;
            }
            return a;
        }

        @Override
        public String describe()
        {
            return "rademacher";
        }
    }

    /** a_j ~ N(0, 1). */
    record Gaussian() implements SecondLayer
    {
        @Override
        public double[] weights(final int width, final long seed)
        {
            final double[] a = new double[width];
            new GaussianStream(seed, Streams.SECOND_LAYER).fill(a, 0, width);
            return a;
        }

        @Override
        public String describe()
        {
            return "gaussian";
        }
    }

    /**
     * a_j = +√p, −√p, +√p, …: with the 1/p of f this is Σ_j ±σ(λ_j)/√p, the reusing-batch student
     * (online-sgd.md §2.5; p = 2 gives a = (+√2, −√2)).
     */
    record Alternating() implements SecondLayer
    {
        @Override
        public double[] weights(final int width, final long seed)
        {
            final double[] a = new double[width];
            final double s = Math.sqrt(width);
            for (int j = 0; j < width; j++)
            {
                a[j] = (j % 2 == 0) ? s : -s;
            }
            return a;
        }

        @Override
        public String describe()
        {
            return "alternating";
        }
    }

    /** Explicit values, one per hidden unit. */
    record Explicit(double[] values) implements SecondLayer
    {
        @Override
        public double[] weights(final int width, final long seed)
        {
            if (values.length != width)
            {
                throw new IllegalArgumentException(
                    "lists " + values.length + " weights but student.width is " + width);
            }
            return values.clone();
        }

        @Override
        public String describe()
        {
            return Arrays.toString(values);
        }
    }

    /** Parses ones, rademacher, gaussian or alternating. */
    static SecondLayer parse(final String name)
    {
        switch (name)
        {
            case "ones":
                return new Ones();
            case "rademacher":
                return new Rademacher();
            case "gaussian":
                return new Gaussian();
            case "alternating":
                return new Alternating();
            default:
                throw new IllegalArgumentException(
                    "expected ones, rademacher, gaussian, alternating or a list of numbers, got '" + name + "'");
        }
    }
}
