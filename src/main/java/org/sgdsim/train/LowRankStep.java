package org.sgdsim.train;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.math.Seeds;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.Streams;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * The summed minus-gradient Σ_u g_u x_uᵀ of one fresh Gaussian batch, drawn exactly in distribution from the
 * samples' r = p + k coordinates z_u in an orthonormal basis U of span(W*, W) plus one p × d Gaussian draw
 * (docs/theory.md, "Low-rank sampler"): with x_u = Uᵀz_u + x_u⊥, the sum is (Σ_u g_u z_uᵀ)·U + L·Y·(I − UᵀU),
 * where L·Lᵀ = GᵀG = Σ_u g_u g_uᵀ and Y is a p × d standard Gaussian matrix drawn from (seed, step).
 * Cost O(n_b·r·p) per batch for the fields and coefficients, O((p + k)·p·d) for the basis and the step.
 * Single writer: owned by one {@link UpdateRule}.
 */
final class LowRankStep
{
    /** Samples whose fields and coefficients are computed together. */
    private static final int CHUNK = 1024;

    private final double[] weights;
    private final double[] teacherDirections;
    private final double[] secondLayer;
    private final Activation activation;
    private final Loss loss;
    private final int width;
    private final int k;
    private final int rows;
    private final int dim;
    private final long orthogonalSeed;

    private final double[] stack;
    private final double[] basis;
    /** C = W·Uᵀ (p × r): the student's fields are λ_u = C·z_u. */
    private final double[] fieldMap;
    /** Σ_u g_u z_uᵀ (p × r). */
    private final double[] coordinateSum;
    /** Σ_u g_u g_uᵀ (p × p, lower triangle filled during the batch). */
    private final double[] coefficientGram;
    private final double[] lambda;
    private final double[] sigma;
    private final double[] sigmaPrime;
    /** g_uj for the chunk, unit-major: g of unit j, sample u at [j·CHUNK + u] (likewise λ, σ, σ'). */
    private final double[] coefficient;
    private final double[] error;
    private final int blockSize;
    private final double[] orthogonal;
    private final GaussianStream gaussians = new GaussianStream();
    private int rank;
    /** False only in the tests' negative control, which must then tell this sampler from the explicit one. */
    private boolean orthogonalTerm = true;

    LowRankStep(final TwoLayerNetwork student, final double[] teacherDirections, final int k, final Loss loss,
        final long seed, final int blockSize)
    {
        this.weights = student.weights();
        this.teacherDirections = teacherDirections;
        this.secondLayer = student.secondLayer();
        this.activation = student.activation();
        this.loss = loss;
        this.width = student.width();
        this.k = k;
        this.rows = width + k;
        this.dim = student.dim();
        this.orthogonalSeed = Seeds.mix(seed, Streams.ORTHOGONAL);
        this.stack = new double[Math.multiplyExact(rows, dim)];
        this.basis = new double[rows * dim];
        this.fieldMap = new double[width * rows];
        this.coordinateSum = new double[width * rows];
        this.coefficientGram = new double[width * width];
        this.blockSize = blockSize;
        this.error = new double[CHUNK];
        this.lambda = new double[CHUNK * width];
        this.sigma = new double[CHUNK * width];
        this.sigmaPrime = new double[CHUNK * width];
        this.coefficient = new double[CHUNK * width];
        this.orthogonal = new double[width * dim];
    }

    /** Leaves out L·Y·(I − UᵀU): a wrong sampler, for the equivalence tests' negative control only. */
    void dropOrthogonalTerm()
    {
        orthogonalTerm = false;
    }

    /** Starts a batch at the current weights: builds U with W* first (so ν_u = z_u[0..k)) and C = W·Uᵀ. */
    void begin()
    {
        System.arraycopy(teacherDirections, 0, stack, 0, k * dim);
        System.arraycopy(weights, 0, stack, k * dim, width * dim);
        rank = LinearAlgebra.orthonormalBasis(stack, rows, dim, basis);
        for (int j = 0; j < width; j++)
        {
            for (int c = 0; c < rows; c++)
            {
                fieldMap[j * rows + c] = c < rank ? Kernels.dot(weights, j * dim, basis, c * dim, dim) : 0.0;
            }
        }
        java.util.Arrays.fill(coordinateSum, 0.0);
        java.util.Arrays.fill(coefficientGram, 0.0);
    }

    /**
     * Adds samples {@code first .. first+count−1} of a coordinate-major block (coordinate c of sample u at
     * {@code z[c·B + u]}) and their labels y to the batch's sums.
     */
    void accumulate(final double[] z, final double[] y, final int first, final int count)
    {
        for (int start = first; start < first + count; start += CHUNK)
        {
            accumulateChunk(z, y, start, Math.min(CHUNK, first + count - start));
        }
    }

    /** One chunk, stage by stage over its samples: every loop runs over contiguous samples (the hot path). */
    private void accumulateChunk(final double[] z, final double[] y, final int first, final int n)
    {
        for (int j = 0; j < width; j++)
        {
            final int row = j * CHUNK;
            java.util.Arrays.fill(lambda, row, row + n, 0.0);
            for (int c = 0; c < rank; c++)
            {
                Kernels.axpy(fieldMap[j * rows + c], z, c * blockSize + first, lambda, row, n);
            }
        }
        activation.evaluate(lambda, sigma, sigmaPrime, width * CHUNK);
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
        for (int j = 0; j < width; j++)
        {
            for (int c = 0; c < rank; c++)
            {
                coordinateSum[j * rows + c] += Kernels.dot(coefficient, j * CHUNK, z, c * blockSize + first, n);
            }
            for (int l = 0; l <= j; l++)
            {
                coefficientGram[j * width + l] += Kernels.dot(coefficient, j * CHUNK, coefficient, l * CHUNK, n);
            }
        }
    }

    /**
     * Writes {@code scale}·Σ_u g_u x_uᵀ of the completed batch to {@code out} (p × d); {@code step} selects the
     * draw of Y, so a resumed run continues with the same draws.
     */
    void finish(final long step, final double scale, final double[] out)
    {
        for (int j = 0; j < width; j++)
        {
            for (int l = j + 1; l < width; l++)
            {
                coefficientGram[j * width + l] = coefficientGram[l * width + j];
            }
        }
        final double[] factor = width == 1 ? new double[] {Math.sqrt(coefficientGram[0])}
            : LinearAlgebra.psdFactor(coefficientGram, width, 1e-9);
        gaussians.reseed(orthogonalSeed, step);
        gaussians.fill(orthogonal, 0, width * dim);
        for (int j = 0; j < width; j++)
        {
            // Y·(I − UᵀU), one row at a time; U has orthonormal rows, so the projections can be removed in turn.
            for (int c = 0; c < rank; c++)
            {
                final double t = Kernels.dot(orthogonal, j * dim, basis, c * dim, dim);
                Kernels.axpy(-t, basis, c * dim, orthogonal, j * dim, dim);
            }
        }
        java.util.Arrays.fill(out, 0, width * dim, 0.0);
        for (int j = 0; j < width; j++)
        {
            final int off = j * dim;
            for (int c = 0; c < rank; c++)
            {
                final double a = scale * coordinateSum[j * rows + c];
                if (a != 0.0)
                {
                    Kernels.axpy(a, basis, c * dim, out, off, dim);
                }
            }
            for (int l = 0; l < width && orthogonalTerm; l++)
            {
                final double a = scale * factor[j * width + l];
                if (a != 0.0)
                {
                    Kernels.axpy(a, orthogonal, l * dim, out, off, dim);
                }
            }
        }
    }
}
