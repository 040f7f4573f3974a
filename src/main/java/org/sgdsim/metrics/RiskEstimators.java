package org.sgdsim.metrics;

import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;

/** Chooses how a run computes its risk: a closed form or exact quadrature where one exists, else Monte Carlo. */
public final class RiskEstimators
{
    private RiskEstimators()
    {
    }

    /**
     * The estimator for this target, activation and second layer: closed-form erf (§3.2) for an erf student
     * on an erf committee, exact Gauss–Hermite (§3.5) for polynomial target and activation, otherwise a fixed
     * held-out set of {@code monteCarloSamples} samples from the run's risk stream.
     */
    public static RiskEstimator choose(
        final Expression target,
        final Activation activation,
        final double[] secondLayer,
        final int monteCarloSamples,
        final long seed)
    {
        if ("erf".equals(activation.name()) && target.erfCommittee().isPresent())
        {
            return new ErfCommitteeRisk(target.erfCommittee().get(), secondLayer);
        }
        if (GaussHermiteRisk.applies(target, activation))
        {
            return new GaussHermiteRisk(target, activation, secondLayer);
        }
        return monteCarlo(target, activation, secondLayer, monteCarloSamples, seed);
    }

    /** True when {@link #choose} falls back to Monte Carlo: its held-out set is sized by the samples. */
    public static boolean usesMonteCarlo(final Expression target, final Activation activation)
    {
        return !("erf".equals(activation.name()) && target.erfCommittee().isPresent())
            && !GaussHermiteRisk.applies(target, activation);
    }

    /** The Monte Carlo estimator alone (used to cross-check the exact ones). */
    public static RiskEstimator monteCarlo(
        final Expression target,
        final Activation activation,
        final double[] secondLayer,
        final int samples,
        final long seed)
    {
        return new MonteCarloRisk(target, activation, secondLayer, samples, seed);
    }
}
