package org.sgdsim.model;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.math.expr.Expression;

/** The teacher: k orthonormal directions W* (P = I) and a target y = f*(W* x) + √Δ ξ. */
public final class Teacher
{
    private final int dim;
    private final int k;
    private final double[] directions;
    private final Expression target;
    private final double noise;
    private final double noiseStd;

    private Teacher(final int dim, final double[] directions, final Expression target, final double noise)
    {
        this.dim = dim;
        this.k = target.arity();
        this.directions = directions;
        this.target = target;
        this.noise = noise;
        this.noiseStd = Math.sqrt(noise);
    }

    /** A teacher with Gaussian rows, normalised then orthogonalised, drawn from the run's teacher stream. */
    public static Teacher create(final int dim, final Expression target, final double noise, final long seed)
    {
        final int k = target.arity();
        if (k < 1)
        {
            throw new IllegalArgumentException("the target uses no variable z1..zk");
        }
        if (k > dim)
        {
            throw new IllegalArgumentException("the target uses z" + k + " but data.dim is only " + dim);
        }
        final double[] w = new double[k * dim];
        new GaussianStream(seed, Streams.TEACHER).fill(w, 0, w.length);
        LinearAlgebra.orthonormalizeRows(w, 0, k, dim);
        return new Teacher(dim, w, target, noise);
    }

    /**
     * The fields ν_ur = x_u · w*_r of samples {@code first .. first+n−1} of x (row-major, d per sample), into
     * {@code nu[r·stride + u]}: the same numbers as one dot per sample, four samples at a time, so the four
     * chains of additions overlap.
     */
    public void fields(final double[] x, final int first, final int n, final double[] nu, final int stride)
    {
        for (int r = 0; r < k; r++)
        {
            Kernels.gemv(x, first, n, dim, directions, r * dim, nu, r * stride + first);
        }
    }

    /**
     * Labels n samples from their fields ({@link #fields}, stride n) and label-noise draws ξ:
     * {@code y[u] = f*(ν_u) + √Δ ξ_u}, with f* evaluated a column at a time ({@code scratch} is
     * {@code target().columnScratch(n)}).
     */
    public void label(final double[] nu, final int n, final double[] xi, final double[] y, final double[][] scratch)
    {
        target.evaluateColumns(nu, n, 0, n, y, scratch);
        for (int u = 0; u < n; u++)
        {
            y[u] = y[u] + noiseStd * xi[u];
        }
    }

    /** Input dimension d. */
    public int dim()
    {
        return dim;
    }

    /** Number of teacher directions k. */
    public int k()
    {
        return k;
    }

    /** Row-major k × d matrix W* (owned by the teacher; do not modify). */
    public double[] directions()
    {
        return directions;
    }

    /** The target expression f*(z1..zk). */
    public Expression target()
    {
        return target;
    }

    /** Label-noise variance Δ. */
    public double noise()
    {
        return noise;
    }
}
