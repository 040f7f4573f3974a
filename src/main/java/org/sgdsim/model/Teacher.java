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

    /** The teacher's label of sample x (at {@code xOff}) with label-noise draw ξ; {@code nu} is k scratch. */
    public double label(final double[] x, final int xOff, final double xi, final double[] nu)
    {
        Kernels.gemv(directions, k, dim, x, xOff, nu);
        return target.evaluate(nu) + noiseStd * xi;
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
