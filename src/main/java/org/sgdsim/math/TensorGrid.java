package org.sgdsim.math;

/** A tensor-product Gauss–Hermite grid for E over m independent standard normals: nodes row-major, weights. */
public final class TensorGrid
{
    /** Dimensions m. */
    public final int dims;
    /** Number of grid points. */
    public final int size;
    /** Node coordinates, row-major size × dims (shared: do not modify). */
    public final double[] nodes;
    /** Product weights, summing to 1 (shared: do not modify). */
    public final double[] weights;

    private TensorGrid(final int dims, final int size, final double[] nodes, final double[] weights)
    {
        this.dims = dims;
        this.size = size;
        this.nodes = nodes;
        this.weights = weights;
    }

    /** Number of grid points for m dimensions and n nodes per axis, saturating at Long.MAX_VALUE. */
    public static long count(final int dims, final int pointsPerAxis)
    {
        long c = 1;
        for (int i = 0; i < dims; i++)
        {
            if (c > Long.MAX_VALUE / pointsPerAxis)
            {
                return Long.MAX_VALUE;
            }
            c *= pointsPerAxis;
        }
        return c;
    }

    /** The grid exact for polynomials of total degree ≤ 2·pointsPerAxis − 1 in each variable. */
    public static TensorGrid of(final int dims, final int pointsPerAxis)
    {
        final GaussHermite.Rule rule = GaussHermite.rule(pointsPerAxis);
        final int size = Math.toIntExact(count(dims, pointsPerAxis));
        final double[] nodes = new double[size * dims];
        final double[] weights = new double[size];
        final int[] index = new int[dims];
        for (int i = 0; i < size; i++)
        {
            double w = 1.0;
            for (int a = 0; a < dims; a++)
            {
                nodes[i * dims + a] = rule.nodes()[index[a]];
                w *= rule.weights()[index[a]];
            }
            weights[i] = w;
            for (int a = 0; a < dims; a++)
            {
                if (++index[a] < pointsPerAxis)
                {
                    break;
                }
                index[a] = 0;
            }
        }
        return new TensorGrid(dims, size, nodes, weights);
    }

    /** Points per axis that integrate a polynomial of the given degree exactly. */
    public static int pointsFor(final int degree)
    {
        return Math.max(1, (degree + 2) / 2);
    }
}
