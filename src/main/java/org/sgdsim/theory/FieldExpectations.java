package org.sgdsim.theory;

import org.sgdsim.math.TensorGrid;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Loss;

/**
 * Expectations over the local fields (λ, ν) ~ N(0, Ω), Ω = [[Q, M], [Mᵀ, I]], as functions of the overlaps
 * (online-sgd.md §3): the drift and noise terms of {@link FieldTerms} and the risk R = ½E[(f*(ν) − f(λ))²].
 * <p>
 * Three implementations, chosen by {@link #choose}: closed forms for an erf student on an erf committee (§3.2),
 * exact tensor Gauss–Hermite quadrature for a polynomial activation and target (§3.5), Monte Carlo over fixed
 * draws otherwise. Instances keep scratch space: one thread per instance.
 */
public interface FieldExpectations
{
    /** Grid size above which exact quadrature gives way to Monte Carlo (nodes per evaluation). */
    int MAX_QUADRATURE_NODES = 500_000;

    /**
     * Writes the expectations at the overlaps M (p × k, row-major) and Q (p × p, row-major) into {@code out}.
     *
     * @throws IllegalArgumentException if Ω is not positive semi-definite.
     */
    void evaluate(double[] m, double[] q, FieldTerms out);

    /**
     * Sets the second layer a the next evaluations use (a trained a changes along the curve); the model's a until
     * then. p values, copied.
     */
    void secondLayer(double[] a);

    /** R = ½E[(f*(ν) − f(λ))²] at (M, Q), label noise excluded (the noisy test loss is R + Δ/2). */
    double risk(double[] m, double[] q);

    /** How the expectations are computed, recorded in the output (e.g. "closed-form-erf"). */
    String method();

    /** The model the expectations are taken for. */
    StudentTeacher model();

    /**
     * The best available implementation: closed-form erf when σ is erf(·/√2) and the target is Σ c·erf(s·z_r);
     * exact Gauss–Hermite when σ and the target are polynomials and the grid has at most
     * {@link #MAX_QUADRATURE_NODES} nodes; otherwise Monte Carlo over {@code monteCarloSamples} fixed draws
     * from {@code seed}.
     */
    static FieldExpectations choose(final StudentTeacher model, final int monteCarloSamples, final long seed)
    {
        final Expression target = model.target();
        if ("erf".equals(model.activation().name()) && target.erfCommittee().isPresent() && model.loss() != Loss.EXPONENTIAL)
        {
            return new ErfClosedForm(model, target.erfCommittee().get());
        }
        final int points = GaussHermiteExpectations.exactPoints(model);
        if (points > 0 && TensorGrid.count(model.width() + model.k(), points) <= MAX_QUADRATURE_NODES)
        {
            return new GaussHermiteExpectations(model, points);
        }
        return new MonteCarloExpectations(model, monteCarloSamples, seed);
    }

    /** Monte Carlo alone, over {@code samples} fixed draws from {@code seed} (for cross-checks). */
    static FieldExpectations monteCarlo(final StudentTeacher model, final int samples, final long seed)
    {
        return new MonteCarloExpectations(model, samples, seed);
    }

    /**
     * Tensor Gauss–Hermite quadrature with a given number of nodes per axis, for any σ and target: exact for
     * polynomials of degree ≤ 2·points − 1 per axis, an approximation otherwise (for cross-checks).
     */
    static FieldExpectations quadrature(final StudentTeacher model, final int pointsPerAxis)
    {
        return new GaussHermiteExpectations(model, pointsPerAxis);
    }
}
