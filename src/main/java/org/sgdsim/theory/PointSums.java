package org.sgdsim.theory;

import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/**
 * Accumulates the integrands of {@link FieldTerms} and of the risk over weighted points (λ, ν): the shared inner
 * loop of the quadrature and Monte Carlo expectations. Single-threaded scratch.
 */
final class PointSums
{
    private final StudentTeacher model;
    private final Activation activation;
    private final Loss loss;
    private final int width;
    private final int k;
    private final double[] a;
    private final double noise;
    private final double[] sigma;
    private final double[] sigmaPrime;

    private double riskSum;

    PointSums(final StudentTeacher model)
    {
        this.model = model;
        this.activation = model.activation();
        this.loss = model.loss();
        this.width = model.width();
        this.k = model.k();
        this.a = model.secondLayer();
        this.noise = model.noise();
        this.sigma = new double[width];
        this.sigmaPrime = new double[width];
    }

    /** Uses this a from the next point on. */
    void secondLayer(final double[] values)
    {
        System.arraycopy(values, 0, a, 0, width);
    }

    /** Starts a new integral. */
    void begin(final FieldTerms out)
    {
        if (out != null)
        {
            out.clear();
        }
        riskSum = 0.0;
    }

    /**
     * Adds one point of weight w: student fields λ (p), teacher fields ν (k) and the target value f*(ν).
     *
     * @param out the terms to accumulate into, or null for the risk only.
     */
    void add(final double w, final double[] lambda, final double[] nu, final double fStar, final FieldTerms out)
    {
        activation.evaluate(lambda, sigma, sigmaPrime, width);
        double f = 0.0;
        for (int j = 0; j < width; j++)
        {
            f += a[j] * sigma[j];
        }
        f /= width;
        final double residual = fStar - f;
        riskSum += w * residual * residual;
        if (out == null)
        {
            return;
        }
        final double e = loss.error(fStar, f);
        final double[] i3Target = out.i3Target();
        final double[] i3Student = out.i3Student();
        final double[] i4 = out.i4();
        final double[] i2 = out.i2();
        // The noise is independent of the fields with mean zero: E[(e + √Δξ)²σ'σ'] = E[e²σ'σ'] + Δ·E[σ'σ'].
        final double second = w * (e * e + noise);
        for (int j = 0; j < width; j++)
        {
            i2[j] += w * e * sigma[j];
            final double g = w * e * sigmaPrime[j];
            for (int r = 0; r < k; r++)
            {
                i3Target[j * k + r] += g * nu[r];
            }
            for (int l = 0; l < width; l++)
            {
                i3Student[j * width + l] += g * lambda[l];
            }
            final double h = second * sigmaPrime[j];
            for (int l = j; l < width; l++)
            {
                i4[j * width + l] += h * sigmaPrime[l];
            }
        }
    }

    /** Completes the terms (mirrors the symmetric I4) and returns the risk ½E[(f* − f)²] scaled by {@code norm}. */
    double end(final FieldTerms out, final double norm)
    {
        if (out != null)
        {
            final double[] i3Target = out.i3Target();
            final double[] i3Student = out.i3Student();
            final double[] i4 = out.i4();
            final double[] i2 = out.i2();
            for (int i = 0; i < i2.length; i++)
            {
                i2[i] *= norm;
            }
            for (int i = 0; i < i3Target.length; i++)
            {
                i3Target[i] *= norm;
            }
            for (int i = 0; i < i3Student.length; i++)
            {
                i3Student[i] *= norm;
            }
            for (int j = 0; j < width; j++)
            {
                for (int l = j; l < width; l++)
                {
                    i4[j * width + l] *= norm;
                    i4[l * width + j] = i4[j * width + l];
                }
            }
        }
        return 0.5 * riskSum * norm;
    }

    /** The model being integrated. */
    StudentTeacher model()
    {
        return model;
    }
}
