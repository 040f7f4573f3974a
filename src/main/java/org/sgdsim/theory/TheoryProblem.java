package org.sgdsim.theory;

import org.sgdsim.model.RowNormalization;

import java.util.Objects;

/**
 * A training setting the theory integrates, in sgdsim's unit-norm convention (online-sgd.md §1.1): the rule
 * w_j += (γ/(n_b·p))·Σ_u a_j σ'(λ_uj) e_u x_u on fresh samples, then the row normalisation.
 *
 * @param model         target, student, loss and label noise.
 * @param normalization what happens to each row after the step.
 * @param learningRate  γ (the config's training.learning-rate).
 * @param batchSize     n_b, fresh samples per step.
 * @param dim           input dimension d.
 */
public record TheoryProblem(StudentTeacher model, RowNormalization normalization, double learningRate, int batchSize,
    int dim)
{
    /** Validates the numbers. */
    public TheoryProblem
    {
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

    /** Time t = steps·η of a step count. */
    public double time(final long steps)
    {
        return steps * eta();
    }
}
