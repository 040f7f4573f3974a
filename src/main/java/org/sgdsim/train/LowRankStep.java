package org.sgdsim.train;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.GaussianSource;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.math.Seeds;
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
    private final double[] weights;
    private final double[] teacherDirections;
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
    private final double[] orthogonal;
    /** Σ_u e_u σ(λ_uj) (p) when a is trained, else null. */
    private double[] secondLayerSum;
    /** This thread's reducer, for pieces handed over as coordinates ({@link #accumulate}). */
    private CoefficientSums own;
    private double[] pieceSums;
    private final TwoLayerNetwork student;
    /** The loss of the next batch: it changes between batches when an adaptive loss switches. */
    private Loss loss;
    private final GaussianSource gaussians;
    private int rank;
    /** False only in the tests' negative control, which must then tell this sampler from the explicit one. */
    private boolean orthogonalTerm = true;

    LowRankStep(final TwoLayerNetwork student, final double[] teacherDirections, final int k, final Loss loss,
        final long seed, final GaussianAlgorithm gaussian)
    {
        this.gaussians = gaussian.stream();
        this.student = student;
        this.loss = loss;
        this.weights = student.weights();
        this.teacherDirections = teacherDirections;
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
        this.orthogonal = new double[width * dim];
        this.own = new CoefficientSums(student, k, false);
        this.pieceSums = new double[own.length()];
    }

    /** Also sums a's minus-gradient Σ_u e_u σ(λ_uj) of each batch ({@link #secondLayerSum}). Call before a batch. */
    void trainSecondLayer()
    {
        this.secondLayerSum = new double[width];
        this.own = new CoefficientSums(student, k, true);
        this.pieceSums = new double[own.length()];
    }

    /** Whether the pieces' sums carry a's minus-gradient. */
    boolean trainsSecondLayer()
    {
        return secondLayerSum != null;
    }

    /** Σ_u e_u σ(λ_uj) of the completed batch (a trained second layer only). */
    double[] secondLayerSum()
    {
        return secondLayerSum;
    }

    /** From the next batch on, the pieces are reduced under {@code next}. */
    void switchLoss(final Loss next)
    {
        this.loss = next;
    }

    /** Teacher directions k. */
    int k()
    {
        return k;
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
        if (secondLayerSum != null)
        {
            java.util.Arrays.fill(secondLayerSum, 0.0);
        }
    }

    /**
     * Reduces samples {@code first .. first+count−1} of a coordinate-major piece (coordinate c of sample u at
     * {@code z[c·stride + u]}) on this thread and adds their sums: the single-threaded path, identical to a
     * {@link CoefficientSums} on another thread reducing the piece and {@link #add} taking its sums.
     */
    void accumulate(final double[] z, final double[] y, final int stride, final int first, final int count)
    {
        own.reduce(fieldMap, rank, loss, z, stride, y, first, count, pieceSums);
        add(pieceSums);
    }

    /** Adds one piece's sums ({@link CoefficientSums#reduce}); pieces must come in order for bit-identity. */
    void add(final double[] sums)
    {
        final int gram = width * rows;
        for (int i = 0; i < gram; i++)
        {
            coordinateSum[i] += sums[i];
        }
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l <= j; l++)
            {
                coefficientGram[j * width + l] += sums[gram + j * width + l];
            }
        }
        if (secondLayerSum != null)
        {
            final int offset = gram + width * width;
            for (int j = 0; j < width; j++)
            {
                secondLayerSum[j] += sums[offset + j];
            }
        }
    }

    /** Copies the current field map C (p × r) to {@code dst} and returns the rank of the basis. */
    int fieldMap(final double[] dst)
    {
        System.arraycopy(fieldMap, 0, dst, 0, fieldMap.length);
        return rank;
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
        final double[] factor = width == 1 ? new double[] {Math.sqrt(coefficientGram[0])} : gramFactor();
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

    /**
     * L with L·Lᵀ = GᵀG, factorised at unit scale: G is scaled by an even power of two (exact both ways), so a
     * run whose coefficients grow huge before it diverges still factorises. A Gram matrix that is not finite, or
     * that the eigensolver cannot factorise, gives NaN: the NaNs reach the weights, and the monitor stops the run
     * as diverged instead of the learner failing.
     */
    private double[] gramFactor()
    {
        double max = 0.0;
        for (final double v : coefficientGram)
        {
            if (!Double.isFinite(v))
            {
                return nanFactor();
            }
            max = Math.max(max, Math.abs(v));
        }
        if (max == 0.0)
        {
            return new double[width * width];
        }
        final int exponent = Math.getExponent(max) & ~1;
        final double[] scaled = coefficientGram.clone();
        for (int i = 0; i < scaled.length; i++)
        {
            scaled[i] = Math.scalb(scaled[i], -exponent);
        }
        final double[] factor;
        try
        {
            factor = LinearAlgebra.psdFactor(scaled, width, 1e-9);
        }
        catch (final org.hipparchus.exception.MathIllegalStateException | IllegalArgumentException ex)
        {
            return nanFactor();
        }
        for (int i = 0; i < factor.length; i++)
        {
            factor[i] = Math.scalb(factor[i], exponent / 2);
        }
        return factor;
    }

    private double[] nanFactor()
    {
        final double[] f = new double[width * width];
        java.util.Arrays.fill(f, Double.NaN);
        return f;
    }
}
