package org.sgdsim.train;

import org.sgdsim.math.Kernels;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * The low-rank sampler's per-sample work for one piece of a batch (docs/theory.md, "Low-rank sampler"): from the
 * samples' coordinates z_u in span(W*, W) and labels y_u, the sums Σ_u g_u z_uᵀ (p × r) and the lower triangle of
 * Σ_u g_u g_uᵀ (p × p) under the step's field map C = W·Uᵀ (λ_u = C·z_u) and loss, and, when the second layer is
 * trained, Σ_u e_u σ(λ_u) (p): a's minus-gradient needs only the fields, so the low-rank draw gives it exactly in
 * distribution too. Pieces are independent given C and the loss, so any thread can reduce any piece; the learner
 * adds the pieces' sums in piece order.
 * Single writer: one instance per thread (it keeps scratch columns).
 */
public final class CoefficientSums
{
    /** Samples whose fields and coefficients are computed together, stage by stage, while they sit in L1. */
    private static final int CHUNK = 512;

    private final double[] secondLayer;
    private final Activation activation;
    /** Whether the sums end with Σ_u e_u σ(λ_uj) (a trained second layer). */
    private final boolean secondLayerSums;
    private final int width;
    private final int rows;
    private final double[] lambda;
    private final double[] sigma;
    private final double[] sigmaPrime;
    /** g_uj for the chunk, unit-major: g of unit j, sample u at [j·CHUNK + u] (likewise λ, σ, σ'). */
    private final double[] coefficient;
    private final double[] error;
    /** Σ g z_0, Σ g z_1, Σ g g of one pass (r = 2, one unit). */
    private final double[] three = new double[3];
    /** n when σ = He_n (the one-pass path), else −1. */
    private final int hermite;

    CoefficientSums(final TwoLayerNetwork student, final int k, final boolean secondLayerSums)
    {
        this.secondLayer = student.secondLayer();
        this.activation = student.activation();
        this.secondLayerSums = secondLayerSums;
        this.width = student.width();
        this.rows = width + k;
        this.lambda = new double[CHUNK * width];
        this.sigma = new double[CHUNK * width];
        this.sigmaPrime = new double[CHUNK * width];
        this.coefficient = new double[CHUNK * width];
        this.error = new double[CHUNK];
        this.hermite = activation.hermiteDegree();
    }

    /**
     * Numbers in a piece's sums: p·r for Σ g zᵀ, then p·p for Σ g gᵀ (lower triangle filled), then p for Σ e σ
     * when a is trained.
     */
    public int length()
    {
        return length(width, rows - width, secondLayerSums);
    }

    /** {@link #length()} for a student of {@code width} units, a teacher of k directions, with or without a. */
    public static int length(final int width, final int k, final boolean secondLayerSums)
    {
        return width * (width + k) + width * width + (secondLayerSums ? width : 0);
    }

    /**
     * Writes the sums of samples {@code first .. first+count−1} to {@code out[0 .. length())}: coordinate c of
     * sample u is {@code z[c·stride + u]}, its label {@code y[u]}; {@code map} is C (p × r, zero beyond
     * {@code rank}), {@code loss} the step's loss.
     */
    public void reduce(final double[] map, final int rank, final Loss loss, final double[] z, final int stride,
        final double[] y, final int first, final int count, final double[] out)
    {
        java.util.Arrays.fill(out, 0, length(), 0.0);
        if (width == 1 && hermite > 0 && rows == 2 && loss != Loss.EXPONENTIAL && !secondLayerSums)
        {
            // σ = He_n of r = 2 coordinates: every stage in one pass over the piece (Kernels.hermiteUnitSums)
            java.util.Arrays.fill(three, 0.0);
            Kernels.hermiteUnitSums(hermite, secondLayer[0], loss == Loss.SQUARE, map[0], rank > 1 ? map[1] : 0.0,
                z, first, stride + first, y, first, count, three);
            out[0] = three[0];
            out[1] = rank > 1 ? three[1] : 0.0;
            out[2] = three[2];
            return;
        }
        for (int start = first; start < first + count; start += CHUNK)
        {
            final int n = Math.min(CHUNK, first + count - start);
            if (width == 1)
            {
                singleUnitChunk(map, rank, loss, z, stride, y, start, n, out);
            }
            else
            {
                chunk(map, rank, loss, z, stride, y, start, n, out);
            }
        }
    }

    /**
     * A one-unit student (p = 1, the batch-size studies' own): the fields by vector passes, σ and σ' in one pass,
     * the errors and coefficients in plain loops the JIT vectorises, then the sums as vector dot products.
     */
    private void singleUnitChunk(final double[] map, final int rank, final Loss loss, final double[] z,
        final int stride, final double[] y, final int first, final int n, final double[] out)
    {
        java.util.Arrays.fill(lambda, 0, n, 0.0);
        for (int c = 0; c < rank; c++)
        {
            Kernels.axpy(map[c], z, c * stride + first, lambda, 0, n);
        }
        activation.evaluate(lambda, sigma, sigmaPrime, n);
        final double a = secondLayer[0];
        // the prediction f = a·σ into λ's place (λ is spent), the errors in one loop, then g = a·σ'·e
        for (int u = 0; u < n; u++)
        {
            lambda[u] = a * sigma[u];
        }
        loss.errors(y, first, lambda, error, n);
        for (int u = 0; u < n; u++)
        {
            coefficient[u] = a * sigmaPrime[u] * error[u];
        }
        if (secondLayerSums)
        {
            out[rows + 1] += Kernels.dot(error, 0, sigma, 0, n);
        }
        if (rank == 2)
        {
            // Σ g z_0, Σ g z_1 and Σ g² in one pass: one dot alone waits on its own chain of additions
            Kernels.dot3(coefficient, 0, z, first, z, stride + first, coefficient, 0, n, three, 0);
            out[0] += three[0];
            out[1] += three[1];
            out[rows] += three[2];
            return;
        }
        for (int c = 0; c < rank; c++)
        {
            out[c] += Kernels.dot(coefficient, 0, z, c * stride + first, n);
        }
        out[rows] += Kernels.dot(coefficient, 0, coefficient, 0, n);
    }

    /** One chunk, stage by stage over its samples: every loop runs over contiguous samples (the hot path). */
    private void chunk(final double[] map, final int rank, final Loss loss, final double[] z, final int stride,
        final double[] y, final int first, final int n, final double[] out)
    {
        for (int j = 0; j < width; j++)
        {
            final int row = j * CHUNK;
            java.util.Arrays.fill(lambda, row, row + n, 0.0);
            for (int c = 0; c < rank; c++)
            {
                Kernels.axpy(map[j * rows + c], z, c * stride + first, lambda, row, n);
            }
        }
        activation.evaluate(lambda, sigma, sigmaPrime, (width - 1) * CHUNK + n);
        for (int u = 0; u < n; u++)
        {
            double f = 0.0;
            for (int j = 0; j < width; j++)
            {
                f += secondLayer[j] * sigma[j * CHUNK + u];
            }
            error[u] = loss.error(y[first + u], f / width);
        }
        for (int j = 0; j < width; j++)
        {
            final double a = secondLayer[j];
            final int row = j * CHUNK;
            for (int u = 0; u < n; u++)
            {
                coefficient[row + u] = a * sigmaPrime[row + u] * error[u];
            }
        }
        final int gram = width * rows;
        if (secondLayerSums)
        {
            final int sums = gram + width * width;
            for (int j = 0; j < width; j++)
            {
                out[sums + j] += Kernels.dot(error, 0, sigma, j * CHUNK, n);
            }
        }
        for (int j = 0; j < width; j++)
        {
            for (int c = 0; c < rank; c++)
            {
                out[j * rows + c] += Kernels.dot(coefficient, j * CHUNK, z, c * stride + first, n);
            }
            for (int l = 0; l <= j; l++)
            {
                out[gram + j * width + l] += Kernels.dot(coefficient, j * CHUNK, coefficient, l * CHUNK, n);
            }
        }
    }
}
