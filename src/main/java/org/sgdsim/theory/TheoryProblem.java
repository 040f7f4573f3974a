package org.sgdsim.theory;

import java.util.Objects;

import org.sgdsim.model.RowNormalization;

/**
 * A training setting the theory integrates, in sgdsim's unit-norm convention (online-sgd.md §1.1): the rule
 * w_j += (γ/(n_b·p))·Σ_u a_j σ'(λ_uj) e_u x_u on fresh samples, then the row normalisation.
 *
 * @param model         target, student, loss and label noise.
 * @param normalization what happens to each row after the step.
 * @param learningRate  γ (the config's training.learning-rate).
 * @param batchSize     n_b, fresh samples per step.
 * @param dim           input dimension d.
 * @param secondLayerRate γ_a of a second layer trained by SGD (a_j += (γ_a/(n_b·p))·Σ_u e_u σ(λ_uj)), 0 when a is
 *                      fixed.
 */
public record TheoryProblem(StudentTeacher model, RowNormalization normalization, double learningRate, int batchSize,
    int dim, double secondLayerRate)
{
    /** A problem with a fixed second layer. */
    public TheoryProblem(final StudentTeacher model, final RowNormalization normalization, final double learningRate,
        final int batchSize, final int dim)
    {
        this(model, normalization, learningRate, batchSize, dim, 0.0);
    }

    /** Validates the numbers. */
    public TheoryProblem
    {
        if (!(secondLayerRate >= 0.0) || !Double.isFinite(secondLayerRate))
        {
            throw new IllegalArgumentException("the second-layer rate must be ≥ 0 and finite, got " + secondLayerRate);
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(normalization, "normalization");
        if (!(learningRate > 0.0) || !Double.isFinite(learningRate))
        {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
        }
        if (batchSize < 1 || dim < 1)
        {
            throw new IllegalArgumentException("batch size and dimension must be ≥ 1");
        }
    }

    /** η = γ/p, the per-neuron step on the batch-mean gradient; one SGD step advances the time t by η. */
    public double eta()
    {
        return learningRate / model.width();
    }

    /**
     * η·d/n_b, the factor of the I4 (noise) term in the continuous equations: γ_SS/p of Saad–Solla
     * (√d convention, γ_SS = d·γ) for n_b = 1.
     */
    public double noiseFactor()
    {
        return eta() * dim / batchSize;
    }

    /** Whether a is trained. */
    public boolean trainsSecondLayer()
    {
        return secondLayerRate > 0.0;
    }

    /**
     * γ_a/γ: a step moves a_j by (γ_a/p)·E[e σ_j] on average and t by η = γ/p, so da_j/dt = (γ_a/γ)·E[e σ_j].
     */
    public double secondLayerTimeScale()
    {
        return secondLayerRate / learningRate;
    }

    /** Time t = steps·η of a step count. */
    public double time(final long steps)
    {
        return steps * eta();
    }
}
