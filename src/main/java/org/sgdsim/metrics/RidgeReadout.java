package org.sgdsim.metrics;

import org.sgdsim.math.Cholesky;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * A ridge-regression fit of the second layer on frozen first-layer features (giant-step.md §1, step 2):
 * â = (ΦᵀΦ + λI)⁻¹Φᵀy over n_r samples, by a Cholesky solve of the p × p system.
 * <p>
 * Features are those of sgdsim's network, φ_j(x) = σ(w_j·x)/p, so that f(x) = Σ_j â_j φ_j(x) is the student
 * f = (1/p)·Σ_j a_j σ(w_j·x) with a = â. The giant-step papers use φ' = σ/√p and a' with f = a'ᵀφ'; then
 * a = √p·a' and their penalty λ' is λ = λ'/p here. Errors are ½·mean (y − f)² over samples with their labels
 * (label noise included), the test error on samples not used in the fit. Usage: {@link #add} the fit samples,
 * {@link #solve}, then {@link #error} on fresh samples.
 */
public final class RidgeReadout
{
    /**
     * A fitted readout.
     *
     * @param a          â, p values (sgdsim's scale of a).
     * @param lambda     the penalty λ used.
     * @param samples    n_r, samples in the fit.
     * @param trainError ½·mean over the fit samples of (y − f)², from yᵀy − âᵀΦᵀy − λ‖â‖² (exact for the solve).
     */
    public record Fit(double[] a, double lambda, long samples, double trainError)
    {
    }

    private final TwoLayerNetwork network;
    private final FeatureGram gram;

    /** A readout of the features of {@code network}'s first layer W and σ (W is read, not copied: keep it frozen). */
    public RidgeReadout(final TwoLayerNetwork network)
    {
        this.network = network;
        this.gram = new FeatureGram(network.weights(), network.width(), network.dim(), network.activation(),
            1.0 / network.width());
    }

    /** Adds fit samples {@code first .. first+count−1} of x (row-major, d each) and their labels y. */
    public void add(final double[] x, final double[] y, final int first, final int count)
    {
        gram.add(x, y, first, count);
    }

    /**
     * Solves for â with penalty λ &gt; 0 (λ = 0 is allowed when ΦᵀΦ is positive definite). Call once: the
     * accumulated Gram matrix is factorised in place.
     *
     * @throws IllegalArgumentException if λ is negative or the system is not positive definite.
     */
    public Fit solve(final double lambda)
    {
        if (!(lambda >= 0.0) || !Double.isFinite(lambda))
        {
            throw new IllegalArgumentException("the ridge penalty must be ≥ 0 and finite, got " + lambda);
        }
        final int p = gram.width();
        final double[] g = gram.lowerGram();
        for (int j = 0; j < p; j++)
        {
            g[j * p + j] += lambda;
        }
        Cholesky.factor(g, p);
        final double[] a = gram.rhs().clone();
        Cholesky.solve(g, p, a);
        // (G + λI)â = Φᵀy gives âᵀGâ = âᵀΦᵀy − λ‖â‖², so ‖y − Φâ‖² = yᵀy − âᵀΦᵀy − λ‖â‖².
        double ab = 0.0;
        double aa = 0.0;
        for (int j = 0; j < p; j++)
        {
            ab += a[j] * gram.rhs()[j];
            aa += a[j] * a[j];
        }
        final double residual = Math.max(gram.yy() - ab - lambda * aa, 0.0);
        return new Fit(a, lambda, gram.samples(), 0.5 * residual / gram.samples());
    }

    /** ½·mean over samples {@code first .. first+count−1} of (y − f)², f the network's W and σ with second layer a. */
    public double error(final double[] a, final double[] x, final double[] y, final int first, final int count)
    {
        final TwoLayerNetwork readout = new TwoLayerNetwork(network.dim(), network.weights(), a.clone(),
            network.activation());
        final double[] lambda = new double[network.width()];
        double sum = 0.0;
        for (int u = first; u < first + count; u++)
        {
            readout.preactivations(x, u * network.dim(), lambda);
            final double e = y[u] - readout.output(lambda);
            sum += e * e;
        }
        return 0.5 * sum / count;
    }
}
