package org.sgdsim.theory;

import org.hipparchus.ode.OrdinaryDifferentialEquation;

/**
 * The continuous equations for (M, Q) in t = steps·η, state y = (M row-major p × k, Q row-major p × p).
 * <p>
 * Plain SGD (online-sgd.md §3.2, Saad–Solla, generalised to any a_j, σ, loss):
 * dM_jr/dt = a_j·E[e σ'_j ν_r],
 * dQ_jl/dt = a_j·E[e σ'_j λ_l] + a_l·E[e σ'_l λ_j] + (η d/n_b)·a_j a_l·(E[e² σ'_j σ'_l] + Δ·E[σ'_j σ'_l]).
 * Rows kept at unit norm (§3.3): with Φ the right-hand side of dQ/dt above,
 * dM_jr/dt = a_j·E[e σ'_j ν_r] − ½ M_jr Φ_jj and dQ_jl/dt = Φ_jl − ½ Q_jl (Φ_jj + Φ_ll).
 * The (η d/n_b) term is the only place the step size enters; without it this is the population gradient flow.
 * A trained second layer adds p states after Q: da_j/dt = (γ_a/γ)·E[e σ_j] (giant-step.md §4; one step moves a_j
 * by (γ_a/p)·E[e σ_j] and t by η = γ/p), and every term above uses the current a.
 */
final class OverlapOde implements OrdinaryDifferentialEquation
{
    private final FieldExpectations expectations;
    private final FieldTerms terms;
    private final int width;
    private final int k;
    private final double[] a;
    private final boolean unitRows;
    private final double noiseFactor;
    /** γ_a/γ, or 0 when a is fixed (then a is not part of the state). */
    private final double secondLayerScale;
    private final double[] m;
    private final double[] q;
    private final double[] phi;
    private int evaluations;

    /**
     * @param noiseFactor η·d/n_b, or 0 for the population gradient flow.
     */
    OverlapOde(final FieldExpectations expectations, final boolean unitRows, final double noiseFactor)
    {
        this(expectations, unitRows, noiseFactor, 0.0);
    }

    /**
     * @param secondLayerScale γ_a/γ of a trained second layer, 0 when a is fixed.
     */
    OverlapOde(final FieldExpectations expectations, final boolean unitRows, final double noiseFactor,
        final double secondLayerScale)
    {
        this.secondLayerScale = secondLayerScale;
        this.expectations = expectations;
        this.width = expectations.model().width();
        this.k = expectations.model().k();
        this.terms = new FieldTerms(width, k);
        this.a = expectations.model().secondLayer();
        this.unitRows = unitRows;
        this.noiseFactor = noiseFactor;
        this.m = new double[width * k];
        this.q = new double[width * width];
        this.phi = new double[width * width];
    }

    @Override
    public int getDimension()
    {
        return width * k + width * width + (secondLayerScale > 0.0 ? width : 0);
    }

    @Override
    public double[] computeDerivatives(final double t, final double[] y)
    {
        evaluations++;
        for (final double v : y)
        {
            if (!Double.isFinite(v))
            {
                throw new Diverged("the overlaps became non-finite at t = " + t);
            }
        }
        System.arraycopy(y, 0, m, 0, width * k);
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                // The flow keeps Q symmetric; averaging stops round-off from breaking that.
                q[j * width + l] = 0.5 * (y[width * k + j * width + l] + y[width * k + l * width + j]);
            }
        }
        if (secondLayerScale > 0.0)
        {
            System.arraycopy(y, width * k + width * width, a, 0, width);
            expectations.secondLayer(a);
        }
        try
        {
            expectations.evaluate(m, q, terms);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new Diverged("the overlaps left the set of covariances at t = " + t + " (" + ex.getMessage() + ")");
        }
        final double[] dy = new double[y.length];
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                phi[j * width + l] = a[j] * terms.i3Student(j, l) + a[l] * terms.i3Student(l, j)
                    + noiseFactor * a[j] * a[l] * terms.i4(j, l);
            }
        }
        for (int j = 0; j < width; j++)
        {
            for (int r = 0; r < k; r++)
            {
                double v = a[j] * terms.i3Target(j, r);
                if (unitRows)
                {
                    v -= 0.5 * m[j * k + r] * phi[j * width + j];
                }
                dy[j * k + r] = v;
            }
            for (int l = 0; l < width; l++)
            {
                double v = phi[j * width + l];
                if (unitRows)
                {
                    v -= 0.5 * q[j * width + l] * (phi[j * width + j] + phi[l * width + l]);
                }
                dy[width * k + j * width + l] = v;
            }
            if (secondLayerScale > 0.0)
            {
                dy[width * k + width * width + j] = secondLayerScale * terms.i2()[j];
            }
        }
        return dy;
    }

    /** Right-hand-side evaluations so far. */
    int evaluations()
    {
        return evaluations;
    }

    /** Thrown from inside the integrator when the state stops being a valid set of overlaps. */
    static final class Diverged extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Diverged(final String message)
        {
            super(message, null, false, false);
        }
    }
}
