package org.sgdsim.metrics;

import org.sgdsim.math.Kernels;

/**
 * The overlaps that summarise a student against its teacher (online-sgd.md §3): M = W·W*ᵀ (p × k) and
 * Q = W·Wᵀ (p × p), with P = W*·W*ᵀ = I. A reusable holder: {@link #compute} overwrites it in place.
 */
public final class OrderParameters
{
    private final int width;
    private final int k;
    private final double[] m;
    private final double[] q;
    /** The second layer a at the same step when it is trained (see {@link #trackSecondLayer}), else null. */
    private double[] secondLayer;

    /** An empty holder for p hidden units and k teacher directions. */
    public OrderParameters(final int width, final int k)
    {
        this.width = width;
        this.k = k;
        this.m = new double[width * k];
        this.q = new double[width * width];
    }

    /** A holder set to the given M (p·k) and Q (p·p), copied. */
    public static OrderParameters of(final int width, final int k, final double[] m, final double[] q)
    {
        final OrderParameters op = new OrderParameters(width, k);
        System.arraycopy(m, 0, op.m, 0, width * k);
        System.arraycopy(q, 0, op.q, 0, width * width);
        return op;
    }

    /** Makes this holder carry a (p values) beside M and Q, for a run that trains its second layer. */
    public OrderParameters trackSecondLayer()
    {
        if (secondLayer == null)
        {
            secondLayer = new double[width];
        }
        return this;
    }

    /** a at this step (live view) when tracked, else null: the risk then uses the run's fixed a. */
    public double[] secondLayer()
    {
        return secondLayer;
    }

    /** True when every M and Q is finite: false once the student has diverged. */
    public boolean finite()
    {
        for (final double v : q)
        {
            if (!Double.isFinite(v))
            {
                return false;
            }
        }
        for (final double v : m)
        {
            if (!Double.isFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    /** Recomputes M and Q from the student weights W (p × d) and teacher directions W* (k × d). */
    public void compute(final double[] weights, final double[] teacherDirections, final int dim)
    {
        Kernels.gram(weights, width, teacherDirections, k, dim, m);
        Kernels.gram(weights, width, weights, width, dim, q);
    }

    /** M_jr (0-based). */
    public double m(final int j, final int r)
    {
        return m[j * k + r];
    }

    /** Q_jl (0-based). */
    public double q(final int j, final int l)
    {
        return q[j * width + l];
    }

    /** max_j |M_jr|/√Q_jj: the best cosine between a student row and teacher direction r (0-based). */
    public double maxCos(final int r)
    {
        double best = 0.0;
        for (int j = 0; j < width; j++)
        {
            final double norm = Math.sqrt(q[j * width + j]);
            if (Double.isNaN(norm) || Double.isInfinite(norm))
            {
                return Double.NaN; // a diverged student has no direction; 0 would read as "not learned"
            }
            if (norm > 0.0)
            {
                best = Math.max(best, Math.abs(m[j * k + r]) / norm);
            }
        }
        return best;
    }

    /** Hidden units p. */
    public int width()
    {
        return width;
    }

    /** Teacher directions k. */
    public int k()
    {
        return k;
    }

    /** M, row-major p × k (live view). */
    public double[] mMatrix()
    {
        return m;
    }

    /** Q, row-major p × p (live view). */
    public double[] qMatrix()
    {
        return q;
    }
}
