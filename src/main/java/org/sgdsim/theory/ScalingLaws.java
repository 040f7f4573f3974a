package org.sgdsim.theory;

/**
 * Scaling predictions for single-index targets of information exponent ℓ learned by one-pass mini-batch SGD with
 * n_b = d^μ and T = d^θ steps (online-sgd.md §2.3 and §4 A, arXiv 2406.02157), for the sweep plots. Exponents
 * only: logarithmic factors are dropped. (The §3.4 hitting-time integral of a single neuron, with its He3 closed
 * form, is theory.HittingTime.)
 */
public final class ScalingLaws
{
    private ScalingLaws()
    {
    }

    /**
     * θ for plain (square-loss) SGD: T = d^θ steps suffice iff θ ≥ ℓ − 1 − μ for μ ≤ ℓ/2, and θ ≥ ℓ/2 − 1 for
     * μ ≥ ℓ/2 (the self-interaction caps the useful step at η = O(1)).
     */
    public static double plainTimeExponent(final int ell, final double mu)
    {
        return mu <= ell / 2.0 ? ell - 1 - mu : ell / 2.0 - 1;
    }

    /**
     * θ for the correlation loss: θ = ℓ − 1 − μ down to 0 at μ = ℓ − 1 ([ℓ − 1, ℓ] is the polylog regime and
     * μ ≥ ℓ one giant step; both are θ = 0 here).
     */
    public static double correlationTimeExponent(final int ell, final double mu)
    {
        return Math.max(ell - 1 - mu, 0.0);
    }

    /** δ of the best per-step size η = d^−δ for plain SGD: max(ℓ/2 − μ, 0). */
    public static double plainStepExponent(final int ell, final double mu)
    {
        return Math.max(ell / 2.0 - mu, 0.0);
    }

    /** δ of the best per-step size for the correlation loss: ℓ/2 − μ for μ ≤ ℓ − 1, then 1 − ℓ/2. */
    public static double correlationStepExponent(final int ell, final double mu)
    {
        return mu <= ell - 1 ? ell / 2.0 - mu : 1.0 - ell / 2.0;
    }

    /** log_d of the sample count n_b·T at the threshold: μ + θ. */
    public static double sampleExponent(final double mu, final double timeExponent)
    {
        return mu + timeExponent;
    }
}
