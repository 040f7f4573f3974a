package org.sgdsim.metrics;

import org.sgdsim.math.Kernels;
import org.sgdsim.model.Activation;

/**
 * Accumulates G = Σ_u φ_u φ_uᵀ (p × p, lower triangle), Φᵀy and yᵀy over samples, with features
 * φ_uj = scale·σ(w_j·x_u) of a frozen first layer W. Samples are gathered feature-major in blocks so that each
 * entry of G is updated by one contiguous dot product per block: G (up to p = 4096, 134 MB) is streamed once per
 * block instead of once per sample. Single-threaded.
 */
final class FeatureGram
{
    private static final int BLOCK = 256;
    private static final int TILE = 16;

    private final double[] weights;
    private final int width;
    private final int dim;
    private final Activation activation;
    private final double scale;
    private final double[] gram;
    private final double[] rhs;
    private final double[] block;
    private final double[] lambda;
    private final double[] sigma;
    private final double[] sigmaPrime;
    private int filled;
    private long samples;
    private double yy;

    /** An accumulator for W (p × d, row-major; read, not copied) and σ, features scaled by {@code scale}. */
    FeatureGram(final double[] weights, final int width, final int dim, final Activation activation, final double scale)
    {
        this.weights = weights;
        this.width = width;
        this.dim = dim;
        this.activation = activation;
        this.scale = scale;
        this.gram = new double[Math.multiplyExact(width, width)];
        this.rhs = new double[width];
        this.block = new double[width * BLOCK];
        this.lambda = new double[width];
        this.sigma = new double[width];
        this.sigmaPrime = new double[width];
    }

    /** Adds samples {@code first .. first+count−1} of x (row-major, d each) with labels y (null: no Φᵀy). */
    void add(final double[] x, final double[] y, final int first, final int count)
    {
        for (int u = first; u < first + count; u++)
        {
            Kernels.gemv(weights, width, dim, x, u * dim, lambda);
            activation.evaluate(lambda, sigma, sigmaPrime, width);
            for (int j = 0; j < width; j++)
            {
                final double phi = scale * sigma[j];
                block[j * BLOCK + filled] = phi;
                if (y != null)
                {
                    rhs[j] += phi * y[u];
                }
            }
            if (y != null)
            {
                yy += y[u] * y[u];
            }
            samples++;
            if (++filled == BLOCK)
            {
                flush();
            }
        }
    }

    private void flush()
    {
        // Tiles of rows i share each row j of the block while it is in cache (the block is p·256 doubles).
        for (int i0 = 0; i0 < width; i0 += TILE)
        {
            final int i1 = Math.min(width, i0 + TILE);
            for (int j = 0; j < i1; j++)
            {
                for (int i = Math.max(i0, j); i < i1; i++)
                {
                    gram[i * width + j] += Kernels.dot(block, i * BLOCK, block, j * BLOCK, filled);
                }
            }
        }
        filled = 0;
    }

    /** G's lower triangle (row-major p × p, live; the strict upper triangle is zero), complete up to the last sample. */
    double[] lowerGram()
    {
        if (filled > 0)
        {
            flush();
        }
        return gram;
    }

    /** Φᵀy (live). */
    double[] rhs()
    {
        return rhs;
    }

    /** yᵀy. */
    double yy()
    {
        return yy;
    }

    /** Samples added. */
    long samples()
    {
        return samples;
    }

    /** Hidden units p. */
    int width()
    {
        return width;
    }
}
