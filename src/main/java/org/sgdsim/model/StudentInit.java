package org.sgdsim.model;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.LinearAlgebra;

/** How the student's first layer starts (online-sgd.md §2.1); every row has unit norm unless Q0 says otherwise. */
public sealed interface StudentInit
{
    /** Builds W0 (p × d, row-major) for the teacher, drawing from the run's student stream. */
    double[] weights(Teacher teacher, int width, long seed);

    /** Config text of the choice. */
    String describe();

    /**
     * Overlap exactly t0 = 1/√d with span(W*): a uniform direction inside the span, the rest orthogonal,
     * with the sign chosen so that M_j1 ≥ 0 (as in the batch-size paper).
     */
    record Random() implements StudentInit
    {
        @Override
        public double[] weights(final Teacher teacher, final int width, final long seed)
        {
            return withSpanOverlap(teacher, width, seed, 1.0 / Math.sqrt(teacher.dim()), -1);
        }

        @Override
        public String describe()
        {
            return "random";
        }
    }

    /** M0 = 0 exactly: each row a random unit vector orthogonal to span(W*). */
    record Zero() implements StudentInit
    {
        @Override
        public double[] weights(final Teacher teacher, final int width, final long seed)
        {
            return withSpanOverlap(teacher, width, seed, 0.0, -1);
        }

        @Override
        public String describe()
        {
            return "zero";
        }
    }

    /** Every row w_j = m0·w*_1 + √(1 − m0²)·o_j with o_j orthogonal to span(W*). */
    record Overlap(double m0) implements StudentInit
    {
        /** Validates |m0| ≤ 1. */
        public Overlap
        {
            if (!(Math.abs(m0) <= 1.0))
            {
                throw new IllegalArgumentException("an initial overlap must lie in [-1, 1], got " + m0);
            }
        }

        @Override
        public double[] weights(final Teacher teacher, final int width, final long seed)
        {
            return withSpanOverlap(teacher, width, seed, m0, 0);
        }

        @Override
        public String describe()
        {
            return Double.toString(m0);
        }
    }

    /**
     * Prescribed overlaps: W0 = M0·W* + L·U with U orthonormal rows orthogonal to W* and L·Lᵀ = Q0 − M0·M0ᵀ,
     * so that W0·W*ᵀ = M0 and W0·W0ᵀ = Q0 exactly (online-sgd.md §4 D).
     */
    record Explicit(double[] m0, double[] q0) implements StudentInit
    {
        @Override
        public double[] weights(final Teacher teacher, final int width, final long seed)
        {
            final int k = teacher.k();
            final int d = teacher.dim();
            if (m0.length != width * k)
            {
                throw new IllegalArgumentException("M0 must be p × k = " + width + " × " + k);
            }
            if (q0.length != width * width)
            {
                throw new IllegalArgumentException("Q0 must be p × p = " + width + " × " + width);
            }
            final double[] residual = q0.clone();
            for (int j = 0; j < width; j++)
            {
                for (int l = 0; l < width; l++)
                {
                    residual[j * width + l] -= Kernels.dot(m0, j * k, m0, l * k, k);
                }
            }
            final double[] factor;
            try
            {
                factor = LinearAlgebra.psdFactor(residual, width, 1e-10);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("Q0 − M0·M0ᵀ must be positive semi-definite", ex);
            }
            final double[] u = orthogonalRows(teacher, width, seed);
            final double[] w = new double[width * d];
            final double[] wStar = teacher.directions();
            for (int j = 0; j < width; j++)
            {
                for (int r = 0; r < k; r++)
                {
                    Kernels.axpy(m0[j * k + r], wStar, r * d, w, j * d, d);
                }
                for (int i = 0; i < width; i++)
                {
                    Kernels.axpy(factor[j * width + i], u, i * d, w, j * d, d);
                }
            }
            return w;
        }

        @Override
        public String describe()
        {
            return "explicit M0/Q0";
        }
    }

    /** Parses {@code random} or {@code zero}. */
    static StudentInit parse(final String name)
    {
        switch (name)
        {
            case "random":
                return new Random();
            case "zero":
                return new Zero();
            default:
                throw new IllegalArgumentException(
                    "expected random, zero, a number m0 in [-1, 1] or { M0 = [[..]], Q0 = [[..]] }, got '" + name + "'");
        }
    }

    /**
     * Rows t0·u_j + √(1 − t0²)·o_j, where o_j is a random unit vector orthogonal to span(W*) and u_j is either
     * teacher row {@code fixedDirection}, or (when it is −1) the normalised projection of a random vector onto
     * the span, sign-flipped so that its first component is non-negative.
     */
    private static double[] withSpanOverlap(
        final Teacher teacher, final int width, final long seed, final double t0, final int fixedDirection)
    {
        final int d = teacher.dim();
        final int k = teacher.k();
        final double[] wStar = teacher.directions();
        final GaussianStream g = new GaussianStream(seed, Streams.STUDENT);
        final double[] w = new double[width * d];
        final double[] r = new double[d];
        final double[] coefficients = new double[k];
        final double[] orthogonal = new double[d];
        final double[] inSpan = new double[d];
        for (int j = 0; j < width; j++)
        {
            g.fill(r, 0, d);
            System.arraycopy(r, 0, orthogonal, 0, d);
            java.util.Arrays.fill(inSpan, 0.0);
            for (int c = 0; c < k; c++)
            {
                coefficients[c] = Kernels.dot(wStar, c * d, r, 0, d);
                Kernels.axpy(coefficients[c], wStar, c * d, inSpan, 0, d);
            }
            for (int pass = 0; pass < 2; pass++)
            {
                for (int c = 0; c < k; c++)
                {
                    Kernels.axpy(-Kernels.dot(wStar, c * d, orthogonal, 0, d), wStar, c * d, orthogonal, 0, d);
                }
            }
            Kernels.scale(1.0 / Math.sqrt(Kernels.squaredNorm(orthogonal, 0, d)), orthogonal, 0, d);
            if (fixedDirection >= 0)
            {
                System.arraycopy(wStar, fixedDirection * d, inSpan, 0, d);
            }
            else
            {
                final double sign = coefficients[0] < 0.0 ? -1.0 : 1.0;
                Kernels.scale(sign / Math.sqrt(Kernels.squaredNorm(inSpan, 0, d)), inSpan, 0, d);
            }
            final int off = j * d;
            Kernels.axpy(t0, inSpan, 0, w, off, d);
            Kernels.axpy(Math.sqrt(1.0 - t0 * t0), orthogonal, 0, w, off, d);
        }
        return w;
    }

    /** p orthonormal rows, each orthogonal to span(W*), from the student stream. */
    private static double[] orthogonalRows(final Teacher teacher, final int width, final long seed)
    {
        final int d = teacher.dim();
        final int k = teacher.k();
        if (k + width > d)
        {
            throw new IllegalArgumentException("explicit overlaps need k + p ≤ d");
        }
        final double[] m = new double[(k + width) * d];
        System.arraycopy(teacher.directions(), 0, m, 0, k * d);
        new GaussianStream(seed, Streams.STUDENT).fill(m, k * d, width * d);
        LinearAlgebra.orthonormalizeRows(m, k, k + width, d);
        final double[] u = new double[width * d];
        System.arraycopy(m, k * d, u, 0, width * d);
        return u;
    }
}
