package org.sgdsim.theory;

import org.sgdsim.math.GaussianStream;

/**
 * Expectations as averages over N fixed draws, for activations and targets without a closed form or an exact
 * quadrature (relu, tanh, sign, …). The draws are taken once: ν ~ N(0, I_k) and ξ ~ N(0, I_p), and each
 * evaluation maps them to λ = M·ν + L·ξ with L·Lᵀ = Q − M·Mᵀ. L is the Cholesky factor (a zero column where a
 * pivot vanishes, for singular Q − M·Mᵀ), which depends continuously on (M, Q); with the draws fixed, every
 * expectation is then a smooth function of the overlaps for smooth σ, so an adaptive integrator can follow it.
 * The label noise is added exactly (Δ·E[σ'σ']), not sampled.
 */
final class MonteCarloExpectations implements FieldExpectations
{
    /** Stream id of the draws, apart from the simulation's streams (model.Streams uses 1..6). */
    static final long STREAM = 101;

    private static final double PIVOT_TOLERANCE = 1e-13;

    private final StudentTeacher model;
    private final int samples;
    private final long seed;
    private final int width;
    private final int k;
    private final double[] nuDraws;
    private final double[] xiDraws;
    private final double[] targetValues;
    private final double[] residual;
    private final double[] factor;
    private final double[] lambda;
    private final double[] nu;
    private final PointSums sums;

    MonteCarloExpectations(final StudentTeacher model, final int samples, final long seed)
    {
        if (samples < 1)
        {
            throw new IllegalArgumentException("Monte Carlo needs at least one sample, got " + samples);
        }
        this.model = model;
        this.samples = samples;
        this.seed = seed;
        this.width = model.width();
        this.k = model.k();
        this.nuDraws = new double[Math.multiplyExact(samples, k)];
        this.xiDraws = new double[Math.multiplyExact(samples, width)];
        this.targetValues = new double[samples];
        this.residual = new double[width * width];
        this.factor = new double[width * width];
        this.lambda = new double[width];
        this.nu = new double[k];
        this.sums = new PointSums(model);
        final GaussianStream g = new GaussianStream(seed, STREAM);
        for (int i = 0; i < samples; i++)
        {
            g.fill(nuDraws, i * k, k);
            g.fill(xiDraws, i * width, width);
            System.arraycopy(nuDraws, i * k, nu, 0, k);
            targetValues[i] = model.target().evaluate(nu);
        }
    }

    @Override
    public void evaluate(final double[] m, final double[] q, final FieldTerms out)
    {
        integrate(m, q, out);
    }

    @Override
    public void secondLayer(final double[] a)
    {
        sums.secondLayer(a);
    }

    @Override
    public double risk(final double[] m, final double[] q)
    {
        return integrate(m, q, null);
    }

    @Override
    public String method()
    {
        return "monte-carlo (" + samples + " fixed draws of the local fields, seed " + seed + ")";
    }

    @Override
    public StudentTeacher model()
    {
        return model;
    }

    private double integrate(final double[] m, final double[] q, final FieldTerms out)
    {
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                double r = q[j * width + l];
                for (int c = 0; c < k; c++)
                {
                    r -= m[j * k + c] * m[l * k + c];
                }
                residual[j * width + l] = r;
            }
        }
        SmallMatrices.semidefiniteCholesky(residual, width, PIVOT_TOLERANCE, factor);
        sums.begin(out);
        for (int i = 0; i < samples; i++)
        {
            final int nuOff = i * k;
            final int xiOff = i * width;
            System.arraycopy(nuDraws, nuOff, nu, 0, k);
            for (int j = 0; j < width; j++)
            {
                double v = 0.0;
                for (int c = 0; c < k; c++)
                {
                    v += m[j * k + c] * nuDraws[nuOff + c];
                }
                for (int c = 0; c <= j; c++)
                {
                    v += factor[j * width + c] * xiDraws[xiOff + c];
                }
                lambda[j] = v;
            }
            sums.add(1.0, lambda, nu, targetValues[i], out);
        }
        return sums.end(out, 1.0 / samples);
    }
}
