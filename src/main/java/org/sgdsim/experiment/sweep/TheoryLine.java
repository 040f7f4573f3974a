package org.sgdsim.experiment.sweep;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.SecondLayer;
import org.sgdsim.model.StudentInit;
import org.sgdsim.theory.HittingTime;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.train.Rule;

/** Applies the theory's hitting time ({@link HittingTime}, online-sgd.md §3.4) to a sweep's experiments. */
public final class TheoryLine
{
    private TheoryLine()
    {
    }

    /**
     * The theory's steps to the threshold of an experiment, or NaN when the theory does not describe it. It
     * applies to one neuron (p = 1, a = 1), a single-index target, online sgd with one step per batch, projected
     * or spherical rows, a threshold "max-cos-1 above m1", and a random (m0 = 1/√d) or fixed positive initial overlap.
     */
    public static double steps(final ExperimentSpec spec)
    {
        final String why = whyNot(spec);
        if (why != null)
        {
            return Double.NaN;
        }
        final Expression target = spec.target();
        final double[] z = new double[1];
        final HittingTime.Coefficients c = HittingTime.coefficients(x ->
        {
            z[0] = x;
            return target.evaluate(z);
        }, spec.student().activation(), spec.data().noise());
        final int dim = spec.data().dim();
        final double m0 = spec.student().init() instanceof StudentInit.Overlap o ? o.m0() : 1.0 / Math.sqrt(dim);
        final ExperimentSpec.Training t = spec.training();
        final double eta = t.learningRate() / spec.student().width();
        return HittingTime.steps(c, t.loss(), t.normalization() == RowNormalization.PROJECTED, eta, dim, t.batchSize(), m0,
            spec.stop().when().value());
    }

    /**
     * The information exponent ℓ of the target and activation: the lowest power m^(ℓ−1) of the population drift
     * Σ_k k·k!·α_kβ_k m^(k−1) (online-sgd.md §3.4), or 0 when no Hermite degree up to {@link HittingTime#DEGREE}
     * contributes. Needs a single-index target.
     */
    public static int informationExponent(final ExperimentSpec spec)
    {
        final Expression target = spec.target();
        final double[] z = new double[1];
        final double[] drift = HittingTime.coefficients(x ->
        {
            z[0] = x;
            return target.evaluate(z);
        }, spec.student().activation(), spec.data().noise()).drift();
        double scale = 0.0;
        for (final double c : drift)
        {
            scale = Math.max(scale, Math.abs(c));
        }
        if (scale < 1e-12)
        {
            // quadrature rounding only: the target and activation share no Hermite degree
            return 0;
        }
        for (int j = 0; j < drift.length; j++)
        {
            if (Math.abs(drift[j]) > 1e-9 * scale)
            {
                return j + 1;
            }
        }
        return 0;
    }

    /** Why the theory does not describe an experiment, or null when it does. */
    public static String whyNot(final ExperimentSpec spec)
    {
        final ExperimentSpec.Training t = spec.training();
        final Threshold when = spec.stop().when();
        if (spec.k() != 1 || spec.student().width() != 1 || !(spec.student().secondLayer() instanceof SecondLayer.Ones))
        {
            return "needs one neuron (p = 1, a = 1) and a single-index target";
        }
        if (!t.loss().linearInLabel())
        {
            return "needs the square or correlation loss";
        }
        if (!t.online() || t.rule() != Rule.SGD || t.repeats() != 1)
        {
            return "needs online sgd with one step per batch";
        }
        if (t.normalization() == RowNormalization.NONE)
        {
            return "needs projected or spherical rows";
        }
        if (when == null || when.kind() != Threshold.Kind.MAX_COS || !when.above())
        {
            return "needs stop.when = { metric = max-cos-1, above = m1 }";
        }
        if (!(spec.student().init() instanceof StudentInit.Random)
            && !(spec.student().init() instanceof StudentInit.Overlap o && o.m0() > 0))
        {
            return "needs init random or a positive initial overlap";
        }
        return null;
    }
}
