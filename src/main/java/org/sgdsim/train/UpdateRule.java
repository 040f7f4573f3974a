package org.sgdsim.train;

import java.util.Arrays;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.Kernels;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * Applies one training rule to a two-layer student, one mini-batch at a time (online-sgd.md §2.3–§2.5).
 * <p>
 * A batch arrives as consecutive runs of samples ({@link #accumulate}) between {@link #beginBatch} and
 * {@link #endBatch}; the minus-gradient is summed sample by sample in stream order, so the result does not
 * depend on how the batch was cut into runs. That is what lets the streaming pipeline and the reference loop
 * agree bit for bit. With {@code repeats > 1} the batch is kept and {@link #replayStep} takes the further
 * steps on it. Steady state allocates nothing. Single writer: one thread owns an update rule.
 */
public final class UpdateRule
{
    private final TwoLayerNetwork student;
    private final double[] weights;
    private final double[] secondLayer;
    private final Activation activation;
    /** Changes once at most, between batches, when an adaptive loss switches (see {@link #switchLoss}). */
    private Loss loss;
    private final RowNormalization normalization;
    private final double learningRate;
    private final double displacement;
    private final int repeats;
    private final int width;
    private final int dim;

    private final double[] gradient;
    private final double[] lambda;
    private final double[] sigma;
    private final double[] sigmaPrime;
    private final double[] displaced;
    private final double[] replayX;
    private final double[] replayY;
    /** Coefficients c_uj of up to {@link #GROUP} samples, so their x_u are added to the sink in one pass. */
    private final double[] coefficients;
    /** ‖w_j‖² after a one-sample projected update, from the update's own pass (NaN: row not updated, not known). */
    private final double[] rowNorms;
    private boolean fuseNorms;
    /** Whether a one-sample projected step leaves its projection to the next forward pass ({@link #foldProjection}). */
    private boolean foldProjection;
    /** Whether W's rows still await the factors 1/‖w_j‖ of the last projection ({@link #settledWeights}). */
    private boolean pending;
    private final double[] pendingFactors;

    /** Samples whose gradients are summed in one pass over the sink (see {@link Kernels#axpy4}). */
    private static final int GROUP = 4;
    /** Non-null for data.sampler = lowrank: the batch arrives as coordinates z, not covariates x. */
    private final LowRankStep lowRank;
    /** Samples per piece of the low-rank stream: the stride of its coordinate-major pieces. */
    private final int pieceStride;
    private final int k;

    /** γ_a of a trained second layer, 0 when a is fixed. */
    private double secondLayerRate;
    /** Σ_u e_u σ(λ_uj) of the current batch, in sample order: a's minus-gradient times n_b·p. */
    private double[] secondLayerGradient;

    private int batchSize;
    private int received;
    /** Where sample gradients are summed: the gradient buffer, or the weights themselves (see beginBatch). */
    private double[] sink;
    private double scale;
    private long steps;

    /**
     * An update rule training {@code student}.
     *
     * @param learningRate   γ: the step is w_j += (γ/(n_b·p))·Σ_u a_j σ'(λ_uj) e_u x_u.
     * @param displacement   ρ of the displaced rule (0 for plain gradients); λ̃_j = λ_j + ρ·(1/p)·a_j σ'(λ_j) e ‖x‖².
     * @param repeats        gradient steps per batch (≥ 1).
     * @param maxBatchSize   largest batch this rule will see (sizes the replay buffer when repeats > 1).
     */
    public UpdateRule(
        final TwoLayerNetwork student,
        final Loss loss,
        final RowNormalization normalization,
        final double learningRate,
        final double displacement,
        final int repeats,
        final int maxBatchSize)
    {
        this(student, loss, normalization, learningRate, displacement, repeats, maxBatchSize, null, 0);
    }

    /**
     * An update rule for online SGD on fresh Gaussian batches drawn by the low-rank sampler: batches arrive as
     * the samples' r = p + k coordinates in span(W*, W) (a {@code FieldGenerator} stream) and the step is formed
     * by {@link LowRankStep}; the normalisation is applied exactly as for explicit batches.
     *
     * @param teacherDirections W* (k × d, orthonormal rows).
     * @param seed              the run seed (the orthogonal draws Y come from its own stream, per step).
     * @param blockSize         samples per piece of the coordinate stream, {@code FieldGenerator.pieceSize}: the
     *                          stride of its coordinate-major pieces.
     * @param gaussian          the generator of the orthogonal term ({@code data.gaussian}).
     */
    public static UpdateRule lowRank(
        final TwoLayerNetwork student,
        final double[] teacherDirections,
        final int k,
        final Loss loss,
        final RowNormalization normalization,
        final double learningRate,
        final long seed,
        final int blockSize,
        final GaussianAlgorithm gaussian)
    {
        return new UpdateRule(student, loss, normalization, learningRate, 0.0, 1, 1,
            new LowRankStep(student, teacherDirections, k, loss, seed, gaussian), blockSize);
    }

    private UpdateRule(
        final TwoLayerNetwork student,
        final Loss loss,
        final RowNormalization normalization,
        final double learningRate,
        final double displacement,
        final int repeats,
        final int maxBatchSize,
        final LowRankStep lowRank,
        final int pieceStride)
    {
        if (repeats < 1)
        {
            throw new IllegalArgumentException("repeats must be ≥ 1");
        }
        this.student = student;
        this.weights = student.weights();
        this.secondLayer = student.secondLayer();
        this.activation = student.activation();
        this.loss = loss;
        this.normalization = normalization;
        this.learningRate = learningRate;
        this.displacement = displacement;
        this.repeats = repeats;
        this.width = student.width();
        this.dim = student.dim();
        this.gradient = new double[width * dim];
        this.lambda = new double[width];
        this.sigma = new double[width];
        this.sigmaPrime = new double[width];
        this.displaced = new double[width];
        this.coefficients = new double[GROUP * width];
        this.rowNorms = new double[width];
        this.pendingFactors = new double[width];
        this.replayX = repeats > 1 ? new double[Math.multiplyExact(maxBatchSize, dim)] : null;
        this.replayY = repeats > 1 ? new double[maxBatchSize] : null;
        this.lowRank = lowRank;
        this.pieceStride = pieceStride;
        this.k = lowRank == null ? 0 : lowRank.k();
    }

    /**
     * Trains the second layer by SGD alongside W with its own rate γ_a: a_j += (γ_a/(n_b·p))·Σ_u e_u σ(λ_uj),
     * from the same samples, errors and (for the displaced rule) displaced fields as W's step, applied after it
     * so that both use the weights before the step. Call before the first batch.
     *
     * With the low-rank sampler the pieces' sums then carry Σ_u e_u σ(λ_uj) as well.
     *
     * @throws IllegalArgumentException for a rate that is not positive and finite.
     */
    public UpdateRule trainSecondLayer(final double rate)
    {
        if (!(rate > 0.0) || !Double.isFinite(rate))
        {
            throw new IllegalArgumentException("the second-layer rate must be positive and finite, got " + rate);
        }
        if (lowRank != null)
        {
            lowRank.trainSecondLayer();
        }
        this.secondLayerRate = rate;
        this.secondLayerGradient = new double[width];
        return this;
    }

    /**
     * From the next batch on, trains with {@code next} (the adaptive loss's switch from correlation to square).
     * Call between batches, on the thread that owns the rule; with the low-rank sampler, before the next batch's
     * {@link #fieldMap} is posted (reducers on other threads take the loss posted with the map).
     */
    public void switchLoss(final Loss next)
    {
        if (lowRank != null)
        {
            lowRank.switchLoss(next);
        }
        this.loss = next;
    }

    /** The loss of the next step. */
    public Loss loss()
    {
        return loss;
    }

    /** Whether a is trained ({@link #trainSecondLayer}). */
    public boolean trainsSecondLayer()
    {
        return secondLayerGradient != null;
    }

    /** Makes a low-rank rule leave out the orthogonal part of its steps: the tests' negative control only. */
    void dropOrthogonalTermForTests()
    {
        lowRank.dropOrthogonalTerm();
    }

    /**
     * Lets a one-sample projected step leave its projection w_j ← w_j/‖w_j‖ pending: the next step's forward
     * pass multiplies each element by its row's factor as it reads it, and its update pass, which writes W anyway,
     * stores the scaled element plus the step. The same multiplies, so every number stays bit for bit what it was,
     * with one pass over W fewer per step. From then on whoever reads W between steps must read it through
     * {@link #settledWeights}. Call before the first batch.
     */
    public void foldProjection()
    {
        this.foldProjection = true;
    }

    /** W with any pending projection applied, exactly as an unfolded step leaves it: what readers between steps use. */
    public double[] settledWeights()
    {
        if (pending)
        {
            for (int j = 0; j < width; j++)
            {
                Kernels.scale(pendingFactors[j], weights, j * dim, dim);
            }
            pending = false;
        }
        return weights;
    }

    /** Sets the count of steps already taken (a resumed run): the low-rank sampler draws step t from (seed, t). */
    public void resumeAt(final long stepsTaken)
    {
        this.steps = stepsTaken;
    }

    /** Starts a batch of {@code size} samples. */
    public void beginBatch(final int size)
    {
        if (replayY != null && size > replayY.length)
        {
            throw new IllegalArgumentException("batch of " + size + " exceeds the replay capacity " + replayY.length);
        }
        batchSize = size;
        received = 0;
        fuseNorms = false;
        scale = learningRate / ((double)size * width);
        if (secondLayerGradient != null)
        {
            Arrays.fill(secondLayerGradient, 0.0);
        }
        if (lowRank != null)
        {
            settledWeights();
            sink = gradient;
            lowRank.begin();
            return;
        }
        // A one-sample step without replay or tangent projection can add straight into W: the sum would be
        // 0 + c·x = c·x exactly, so skipping the buffer saves two passes over p·d and changes no bit.
        if (size == 1 && replayX == null && normalization != RowNormalization.SPHERICAL)
        {
            sink = weights;
            // The projection needs each row's norm right after the update: the update's pass can compute it.
            fuseNorms = normalization == RowNormalization.PROJECTED;
            if (fuseNorms)
            {
                Arrays.fill(rowNorms, Double.NaN);
            }
        }
        else
        {
            sink = gradient;
            Arrays.fill(gradient, 0.0);
        }
        if (!(fuseNorms && foldProjection))
        {
            // Only a folded step's forward pass applies the pending factors; every other step reads W settled.
            settledWeights();
        }
    }

    /** Adds samples {@code first .. first+count−1} of x (row-major, d per sample) and y to the current batch. */
    public void accumulate(final double[] x, final double[] y, final int first, final int count)
    {
        if (received + count > batchSize)
        {
            throw new IllegalStateException("batch overflow: " + (received + count) + " > " + batchSize);
        }
        if (lowRank != null)
        {
            lowRank.accumulate(x, y, pieceStride, first, count);
            received += count;
            return;
        }
        addSampleGradients(x, y, first, count);
        if (replayX != null)
        {
            System.arraycopy(x, first * dim, replayX, received * dim, count * dim);
            System.arraycopy(y, first, replayY, received, count);
        }
        received += count;
    }

    /**
     * Low-rank sampler: adds the sums of one piece of {@code count} samples, reduced by a {@link CoefficientSums}
     * (on any thread) under this batch's {@link #fieldMap}. Pieces must come in order.
     */
    public void addPieceSums(final double[] sums, final int count)
    {
        if (received + count > batchSize)
        {
            throw new IllegalStateException("batch overflow: " + (received + count) + " > " + batchSize);
        }
        lowRank.add(sums);
        received += count;
    }

    /** Low-rank sampler: copies this batch's field map C = W·Uᵀ (p × r) to {@code dst}; returns the basis rank. */
    public int fieldMap(final double[] dst)
    {
        return lowRank.fieldMap(dst);
    }

    /** Low-rank sampler: a reducer of pieces for another thread, computing exactly what {@link #accumulate} does. */
    public CoefficientSums newCoefficientSums()
    {
        return new CoefficientSums(student, k, lowRank.trainsSecondLayer());
    }

    /** Low-rank sampler: numbers in one piece's sums ({@link CoefficientSums#length()}). */
    public int pieceSumsLength()
    {
        return CoefficientSums.length(width, k, lowRank.trainsSecondLayer());
    }

    /** Whether batches arrive as low-rank coordinates (data.sampler = lowrank). */
    public boolean lowRank()
    {
        return lowRank != null;
    }

    /** Applies the summed step of the completed batch: one gradient step. */
    public void endBatch()
    {
        if (received != batchSize)
        {
            throw new IllegalStateException("batch incomplete: " + received + " of " + batchSize + " samples");
        }
        if (lowRank != null)
        {
            lowRank.finish(steps, scale, gradient);
            if (secondLayerGradient != null)
            {
                System.arraycopy(lowRank.secondLayerSum(), 0, secondLayerGradient, 0, width);
            }
        }
        applyStep();
    }

    /** Takes one more gradient step on the last batch (only with repeats > 1). */
    public void replayStep()
    {
        if (replayX == null)
        {
            throw new IllegalStateException("replayStep needs repeats > 1");
        }
        settledWeights();
        sink = gradient;
        fuseNorms = false;
        Arrays.fill(gradient, 0.0);
        if (secondLayerGradient != null)
        {
            Arrays.fill(secondLayerGradient, 0.0);
        }
        addSampleGradients(replayX, replayY, 0, batchSize);
        applyStep();
    }

    /** Gradient steps per batch. */
    public int repeats()
    {
        return repeats;
    }

    /** Gradient steps applied so far. */
    public long steps()
    {
        return steps;
    }

    /** The student being trained (after {@link #foldProjection}, read its W through {@link #settledWeights}). */
    public TwoLayerNetwork student()
    {
        return student;
    }

    /**
     * Adds the gradients of samples {@code first .. first+count−1} to the sink, {@link #GROUP} at a time: the
     * coefficients of a group first (they depend on the weights, which the sink only is for one-sample batches),
     * then per unit j the group's nonzero terms in sample order — the very sums, rounded the same way, as one
     * axpy per sample.
     */
    private void addSampleGradients(final double[] x, final double[] y, final int first, final int count)
    {
        for (int u0 = 0; u0 < count; u0 += GROUP)
        {
            final int group = Math.min(GROUP, count - u0);
            for (int s = 0; s < group; s++)
            {
                final int u = first + u0 + s;
                sampleCoefficients(x, u * dim, y[u], s * width);
            }
            for (int j = 0; j < width; j++)
            {
                addTerms(x, first + u0, group, j);
            }
            pending = false;
        }
    }

    /** Adds c_uj·x_u of the group's samples with c_uj ≠ 0 (a zero term is skipped, as before) to row j of the sink. */
    private void addTerms(final double[] x, final int u0, final int group, final int j)
    {
        int n = 0;
        double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
        int o0 = 0, o1 = 0, o2 = 0, o3 = 0;
        for (int s = 0; s < group; s++)
        {
            final double c = coefficients[s * width + j];
            if (c != 0.0)
            {
                final int off = (u0 + s) * dim;
                switch (n++)
                {
                    case 0 -> { c0 = c; o0 = off; }
                    case 1 -> { c1 = c; o1 = off; }
                    case 2 -> { c2 = c; o2 = off; }
                    default -> { c3 = c; o3 = off; }
                }
            }
        }
        final int row = j * dim;
        if (pending)
        {
            if (n == 1 && fuseNorms)
            {
                rowNorms[j] = Kernels.scaleAxpySquaredNorm(pendingFactors[j], c0, x, o0, sink, row, dim);
                return;
            }
            // A row this step does not update in the same pass takes its pending factor on its own first.
            Kernels.scale(pendingFactors[j], weights, row, dim);
        }
        if (n == 4)
        {
            Kernels.axpy4(c0, o0, c1, o1, c2, o2, c3, o3, x, sink, row, dim);
            return;
        }
        if (n == 1 && fuseNorms)
        {
            rowNorms[j] = Kernels.axpySquaredNorm(c0, x, o0, sink, row, dim);
            return;
        }
        if (n > 0)
        {
            Kernels.axpy(c0, x, o0, sink, row, dim);
        }
        if (n > 1)
        {
            Kernels.axpy(c1, x, o1, sink, row, dim);
        }
        if (n > 2)
        {
            Kernels.axpy(c2, x, o2, sink, row, dim);
        }
    }

    /** c_uj = scale·a_j·σ'(λ_uj)·e_u for one sample, into {@code coefficients[at .. at+p)}. */
    private void sampleCoefficients(final double[] x, final int xOff, final double y, final int at)
    {
        if (pending)
        {
            // W stays as it is: the update below scales each row as it writes it.
            Kernels.scaledGemv(pendingFactors, weights, width, dim, x, xOff, lambda);
        }
        else
        {
            student.preactivations(x, xOff, lambda);
        }
        activation.evaluate(lambda, sigma, sigmaPrime, width);
        double e = loss.error(y, student.outputOf(sigma));
        if (displacement != 0.0)
        {
            // λ̃ moves by an O(1), label-dependent amount: this is what lowers the exponent from IE to GE.
            final double shift = displacement * e * Kernels.squaredNorm(x, xOff, dim) / width;
            for (int j = 0; j < width; j++)
            {
                displaced[j] = lambda[j] + shift * secondLayer[j] * sigmaPrime[j];
            }
            activation.evaluate(displaced, sigma, sigmaPrime, width);
            e = loss.error(y, student.outputOf(sigma));
        }
        for (int j = 0; j < width; j++)
        {
            coefficients[at + j] = scale * secondLayer[j] * sigmaPrime[j] * e;
        }
        if (secondLayerGradient != null)
        {
            for (int j = 0; j < width; j++)
            {
                secondLayerGradient[j] += e * sigma[j];
            }
        }
    }

    private void applyStep()
    {
        switch (normalization)
        {
            case NONE:
                if (sink == gradient)
                {
                    Kernels.add(gradient, 0, weights, 0, gradient.length);
                }
                break;
            case PROJECTED:
                if (sink == gradient)
                {
                    Kernels.add(gradient, 0, weights, 0, gradient.length);
                }
                normalizeRows();
                break;
            case SPHERICAL:
                for (int j = 0; j < width; j++)
                {
                    final int off = j * dim;
                    final double radial = Kernels.dot(gradient, off, weights, off, dim)
                        / Kernels.squaredNorm(weights, off, dim);
                    Kernels.axpy(-radial, weights, off, gradient, off, dim);
                }
                Kernels.add(gradient, 0, weights, 0, gradient.length);
                normalizeRows();
                break;
            default:
                throw new IllegalStateException(normalization.name());
        }
        if (secondLayerGradient != null)
        {
            final double aScale = secondLayerRate / ((double)batchSize * width);
            for (int j = 0; j < width; j++)
            {
                secondLayer[j] += aScale * secondLayerGradient[j];
            }
        }
        steps++;
    }

    private void normalizeRows()
    {
        final boolean defer = fuseNorms && foldProjection;
        for (int j = 0; j < width; j++)
        {
            final int off = j * dim;
            final double squared = fuseNorms && !Double.isNaN(rowNorms[j]) ? rowNorms[j]
                : Kernels.squaredNorm(weights, off, dim);
            final double factor = 1.0 / Math.sqrt(squared);
            if (defer)
            {
                pendingFactors[j] = factor;
            }
            else
            {
                Kernels.scale(factor, weights, off, dim);
            }
        }
        pending = defer;
    }
}
