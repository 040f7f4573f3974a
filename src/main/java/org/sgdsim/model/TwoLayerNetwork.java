package org.sgdsim.model;

import org.sgdsim.math.Kernels;

/**
 * The two-layer student f(x) = (1/p)·Σ_j a_j·σ(w_j·x) (online-sgd.md §2.1). The first-layer weights W
 * (p × d, row-major) and the second layer a belong to whoever trains the network (a is fixed unless the
 * update rule trains it).
 */
public final class TwoLayerNetwork
{
    private final int width;
    private final int dim;
    private final double[] weights;
    private final double[] secondLayer;
    private final Activation activation;

    /** A network owning {@code weights} (p·d) and {@code secondLayer} (p). */
    public TwoLayerNetwork(final int dim, final double[] weights, final double[] secondLayer, final Activation activation)
    {
        if (weights.length != secondLayer.length * dim)
        {
            throw new IllegalArgumentException("weights must be p × d = " + secondLayer.length + " × " + dim);
        }
        this.width = secondLayer.length;
        this.dim = dim;
        this.weights = weights;
        this.secondLayer = secondLayer;
        this.activation = activation;
    }

    /** λ_j = w_j·x for the sample at {@code xOff}. */
    public void preactivations(final double[] x, final int xOff, final double[] lambda)
    {
        Kernels.gemv(weights, width, dim, x, xOff, lambda);
    }

    /** f = (1/p)·Σ_j a_j σ(λ_j). */
    public double output(final double[] lambda)
    {
        double sum = 0.0;
        for (int j = 0; j < width; j++)
        {
            sum += secondLayer[j] * activation.value(lambda[j]);
        }
        return sum / width;
    }

    /** f = (1/p)·Σ_j a_j σ_j from activations σ_j already evaluated (the same sum as {@link #output}). */
    public double outputOf(final double[] activations)
    {
        double sum = 0.0;
        for (int j = 0; j < width; j++)
        {
            sum += secondLayer[j] * activations[j];
        }
        return sum / width;
    }

    /** Hidden units p. */
    public int width()
    {
        return width;
    }

    /** Input dimension d. */
    public int dim()
    {
        return dim;
    }

    /** First-layer weights W, row-major p × d (live, mutable by the trainer). */
    public double[] weights()
    {
        return weights;
    }

    /** Second layer a (live: only the update rule that trains it writes it). */
    public double[] secondLayer()
    {
        return secondLayer;
    }

    /** The activation σ. */
    public Activation activation()
    {
        return activation;
    }
}
