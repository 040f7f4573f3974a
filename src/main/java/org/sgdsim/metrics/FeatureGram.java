package org.sgdsim.metrics;

import org.sgdsim.math.Kernels;
import org.sgdsim.model.Activation;

/**
 * Accumulates G = Σ_u φ_u φ_uᵀ (p × p, lower triangle), Φᵀy and yᵀy over samples, with features
 * φ_uj = scale·σ(w_j·x_u) of a frozen first layer W. Samples are gathered in blocks, packed in panels of
 * {@link Kernels#PANEL} features, and each block is added by one register-tiled rank update
 * ({@link Kernels#lowerRankUpdate}): G (up to p = 4096, 134 MB) is streamed once per block instead of once per
 * sample, and every entry is one fma chain in sample order. Single-threaded.
 */
final class FeatureGram
{
    private static final int BLOCK = 256;
    /** Samples whose fields are computed in one pass over W. */
    private static final int CHUNK = 16;

    private final double[] weights;
    private final int width;
    private final int dim;
    private final Activation activation;
    private final double scale;
    private final double[] gram;
    private final double[] rhs;
    private final double[] block;
    private final double[] fields;
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
        this.block = new double[Math.multiplyExact((width + Kernels.PANEL - 1) / Kernels.PANEL * Kernels.PANEL, BLOCK)];
        this.fields = new double[CHUNK * width];
        this.lambda = new double[width];
        this.sigma = new double[width];
        this.sigmaPrime = new double[width];
    }

    /** Adds samples {@code first .. first+count−1} of x (row-major, d each) with labels y (null: no Φᵀy). */
    void add(final double[] x, final double[] y, final int first, final int count)
    {
        for (int u0 = first; u0 < first + count; u0 += CHUNK)
        {
            final int chunk = Math.min(CHUNK, first + count - u0);
            // One pass over W for the whole chunk: at p·d of 4096·1024, W is 32 MB and a pass per sample is the cost.
            Kernels.gemvEach(weights, width, dim, x, u0 * dim, chunk, fields);
            for (int s = 0; s < chunk; s++)
            {
                System.arraycopy(fields, s * width, lambda, 0, width);
                addFeatures(y, u0 + s);
            }
        }
    }

    private void addFeatures(final double[] y, final int u)
    {
        activation.evaluate(lambda, sigma, sigmaPrime, width);
        for (int j = 0; j < width; j++)
        {
            final double phi = scale * sigma[j];
            block[(j / Kernels.PANEL) * Kernels.PANEL * BLOCK + Kernels.PANEL * filled + j % Kernels.PANEL] = phi;
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

    private void flush()
    {
        // A partial block is packed at the stride of a full one: pass the stride, count only filled samples.
        if (filled < BLOCK)
        {
            compactPartialBlock();
        }
        Kernels.lowerRankUpdate(block, filled, gram, width);
        filled = 0;
    }

    /** Moves each panel of a partial block next to the previous one, so the panels' stride is PANEL·filled. */
    private void compactPartialBlock()
    {
        final int panels = (width + Kernels.PANEL - 1) / Kernels.PANEL;
        for (int q = 1; q < panels; q++)
        {
            System.arraycopy(block, q * Kernels.PANEL * BLOCK, block, q * Kernels.PANEL * filled,
                Kernels.PANEL * filled);
        }
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
