package org.sgdsim.metrics;

import java.util.Arrays;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * The spectrum of the feature covariance C = (1/n)·Σ_u σ(W x_u)σ(W x_u)ᵀ (p × p) of a frozen first layer, and the
 * count of its outliers beyond a bulk edge taken from a reference (no-step) spectrum of the same sizes
 * (giant-step.md §3).
 * <p>
 * Outlier rule. Random features already have a few eigenvalues split off the bulk (the mean of σ gives one of
 * order p·E[σ]²). In the reference spectrum, sorted descending, these structural outliers are the top eigenvalues
 * down to the last gap λ_i &gt; {@link #GAP}·λ_(i+1) among the top quarter (a spike of order p stands far above the
 * bulk; neighbouring bulk eigenvalues at the edge differ by a few per cent). The reference's bulk edge is the next
 * eigenvalue, and the edge used is (1 + margin) times it. A spectrum's outliers are its eigenvalues above that edge,
 * minus the reference's structural ones (never below 0). The margin must exceed the seed-to-seed spread of the top
 * bulk eigenvalue — Tracy–Widom, relative order min(p, d)^(−2/3), about 6 % at min(p, d) = 64 — and stay below a
 * learned spike's separation: {@link #DEFAULT_MARGIN} = 0.25.
 */
public final class FeatureSpectrum
{
    /** Relative margin of the outlier rule (see the class comment). */
    public static final double DEFAULT_MARGIN = 0.25;
    /** Ratio between consecutive top eigenvalues of the reference that marks a structural outlier. */
    public static final double GAP = 1.5;

    /**
     * The outliers of a spectrum against a reference.
     *
     * @param edge       (1 + margin) × the reference's bulk edge.
     * @param structural outliers the reference itself has (above its bulk edge).
     * @param aboveEdge  eigenvalues of the spectrum above {@code edge}.
     * @param outliers   max(aboveEdge − structural, 0): the outliers the step(s) added.
     */
    public record Outliers(double edge, int structural, int aboveEdge, int outliers)
    {
    }

    private FeatureSpectrum()
    {
    }

    /** Eigenvalues of C over samples {@code first .. first+count−1} of x (row-major, d each), largest first. */
    public static double[] eigenvalues(final TwoLayerNetwork network, final double[] x, final int first, final int count)
    {
        final int p = network.width();
        final FeatureGram gram = new FeatureGram(network.weights(), p, network.dim(), network.activation(), 1.0);
        gram.add(x, null, first, count);
        final double[] g = gram.lowerGram();
        final double[][] c = new double[p][p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                final double v = g[i * p + j] / count;
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        final double[] values = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(c, false),
            EigenDecompositionSymmetric.DEFAULT_EPSILON, true).getEigenvalues();
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < p / 2; i++)
        {
            final double t = sorted[i];
            sorted[i] = sorted[p - 1 - i];
            sorted[p - 1 - i] = t;
        }
        return sorted;
    }

    /** Structural outliers of a reference spectrum (largest first): see the class comment. */
    public static int structural(final double[] reference)
    {
        int last = 0;
        for (int i = 0; i < Math.max(1, reference.length / 4) && i + 1 < reference.length; i++)
        {
            if (reference[i] > GAP * reference[i + 1])
            {
                last = i + 1;
            }
        }
        return last;
    }

    /** The outliers of {@code spectrum} against the bulk edge of {@code reference} (both largest first). */
    public static Outliers outliers(final double[] reference, final double[] spectrum, final double margin)
    {
        if (!(margin >= 0.0))
        {
            throw new IllegalArgumentException("the margin must be ≥ 0, got " + margin);
        }
        final int structural = structural(reference);
        final double edge = (1.0 + margin) * reference[Math.min(structural, reference.length - 1)];
        int above = 0;
        while (above < spectrum.length && spectrum[above] > edge)
        {
            above++;
        }
        return new Outliers(edge, structural, above, Math.max(above - structural, 0));
    }
}
