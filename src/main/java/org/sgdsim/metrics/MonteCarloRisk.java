package org.sgdsim.metrics;

import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.LinearAlgebra;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Streams;

/**
 * Risk on a fixed held-out set of N samples, drawn once in the (k + p)-dimensional span that f* and f see:
 * ν ~ N(0, I_k) and ξ ~ N(0, I_p) fixed, λ = M·ν + L·ξ with L·Lᵀ = Q − M·Mᵀ. Each (ν, λ) is distributed
 * exactly as the fields of a fresh test sample x, so this is a test set that costs O(N(k+p)) instead of
 * O(N·d) per row; the draws come from the run's own risk stream, so R is a smooth, reproducible function
 * of (M, Q).
 */
final class MonteCarloRisk implements RiskEstimator
{
    private final Activation activation;
    private final double[] secondLayer;
    private final int width;
    private final int k;
    private final int samples;
    private final double[] nu;
    private final double[] xi;
    private final double[] targetValues;
    private final double[] residual;
    private final double[] lambda;

    MonteCarloRisk(final Expression target, final Activation activation, final double[] secondLayer,
        final int samples, final long seed)
    {
        this.activation = activation;
        this.secondLayer = secondLayer.clone();
        this.width = secondLayer.length;
        this.k = target.arity();
        this.samples = samples;
        this.nu = new double[samples * k];
        this.xi = new double[samples * width];
        this.targetValues = new double[samples];
        this.residual = new double[width * width];
        this.lambda = new double[width];
        final GaussianStream g = new GaussianStream(seed, Streams.RISK);
        final double[] z = new double[k];
        for (int n = 0; n < samples; n++)
        {
            g.fill(nu, n * k, k);
            g.fill(xi, n * width, width);
            System.arraycopy(nu, n * k, z, 0, k);
            targetValues[n] = target.evaluate(z);
        }
    }

    @Override
    public double risk(final OrderParameters op)
    {
        final double[] a = op.secondLayer() != null ? op.secondLayer() : secondLayer;
        if (!op.finite())
        {
            return Double.NaN; // a diverged student: no covariance to factor
        }
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                double r = op.q(j, l);
                for (int c = 0; c < k; c++)
                {
                    r -= op.m(j, c) * op.m(l, c);
                }
                residual[j * width + l] = r;
            }
        }
        final double[] factor;
        try
        {
            factor = LinearAlgebra.psdFactor(residual, width, 1e-8);
        }
        catch (final org.hipparchus.exception.MathRuntimeException ex)
        {
            return Double.NaN; // overlaps so large (a student on its way to diverging) the eigensolver gives up
        }
        double sum = 0.0;
        for (int n = 0; n < samples; n++)
        {
            final int nuOff = n * k;
            final int xiOff = n * width;
            double f = 0.0;
            for (int j = 0; j < width; j++)
            {
                double v = 0.0;
                for (int c = 0; c < k; c++)
                {
                    v += op.m(j, c) * nu[nuOff + c];
                }
                for (int i = 0; i < width; i++)
                {
                    v += factor[j * width + i] * xi[xiOff + i];
                }
                lambda[j] = v;
                f += a[j] * activation.value(v);
            }
            final double e = targetValues[n] - f / width;
            sum += e * e;
        }
        return 0.5 * sum / samples;
    }

    @Override
    public String method()
    {
        return "monte-carlo held-out set of " + samples + " samples (local fields, fixed draws)";
    }
}
