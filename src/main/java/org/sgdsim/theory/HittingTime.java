package org.sgdsim.theory;

import java.util.function.DoubleUnaryOperator;

import org.sgdsim.math.GaussHermite;
import org.sgdsim.math.Hermite;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;

/**
 * The theory line of online-sgd.md §3.4 (and §4 A): the number of steps a single neuron on the sphere needs to
 * take its overlap m from m0 to m1 under the population drift of a mini-batch step,
 * <pre>
 *   Δm = η_eff·(1 − m²)·Σ_k k·k!·α_k·β_k·m^(k−1)  −  ½·η_eff²·(d/n_b)·K·m,
 * </pre>
 * with y = Σ α_k He_k, σ = Σ β_k He_k, K = E[e²σ'(λ)²] at m = 0 (the finite-batch contraction of the
 * normalisation), η = γ/p, and η_eff = η/(1 − η·E[σσ'λ]) for the square loss with projected rows (its radial
 * self-term rescales the step; no learning once η·E[σσ'λ] ≥ 1), η_eff = η otherwise. T = ∫ dm/Δm, infinite when
 * Δm ≤ 0 somewhere on [m0, m1]. For He3/He3 with the correlation loss and no batch term this is
 * T½ = [√d − 2 + atanh(½) − atanh(d^−½)]/(18η), so with η = c·n_b·d^−1.5, n_b·T½ ≈ d²/(18c) for every n_b.
 */
public final class HittingTime
{
    /** Highest Hermite degree of the expansions. */
    public static final int DEGREE = 12;
    private static final int QUADRATURE_POINTS = 40;
    private static final int SIMPSON_INTERVALS = 4000;

    private HittingTime()
    {
    }

    /**
     * The Gaussian averages the drift needs, for a single-index target f*(z) and an activation σ.
     *
     * @param drift          c_j with Σ_k k·k!·α_kβ_k m^(k−1) = Σ_j c_j m^j.
     * @param selfRadial     E[σ(λ)σ'(λ)λ].
     * @param noiseCorrelation K of the correlation loss: (E[y²] + Δ)·E[σ'²].
     * @param noiseSquare    K of the square loss: E[(y − σ(λ))²σ'(λ)²] at m = 0, label noise included.
     */
    public record Coefficients(double[] drift, double selfRadial, double noiseCorrelation, double noiseSquare)
    {
        /** The drift polynomial Σ_j c_j m^j. */
        public double drift(final double m)
        {
            double v = 0.0;
            for (int j = drift.length - 1; j >= 0; j--)
            {
                v = v * m + drift[j];
            }
            return v;
        }
    }

    /** Coefficients for a target in z1 alone, an activation and label-noise variance Δ. */
    public static Coefficients coefficients(final DoubleUnaryOperator target, final Activation sigma, final double noise)
    {
        final GaussHermite.Rule rule = GaussHermite.rule(QUADRATURE_POINTS);
        final double[] drift = new double[DEGREE];
        double factorial = 1.0;
        for (int k = 1; k <= DEGREE; k++)
        {
            factorial *= k;
            final int degree = k;
            final double alphaK = rule.expectation(z -> target.applyAsDouble(z) * Hermite.value(degree, z)) / factorial;
            final double betaK = rule.expectation(z -> sigma.value(z) * Hermite.value(degree, z)) / factorial;
            drift[k - 1] = k * factorial * alphaK * betaK;
        }
        final double y1 = rule.expectation(target);
        final double y2 = rule.expectation(z -> target.applyAsDouble(z) * target.applyAsDouble(z)) + noise;
        final double dd = rule.expectation(z -> sigma.derivative(z) * sigma.derivative(z));
        final double sdd = rule.expectation(z -> sigma.value(z) * sigma.derivative(z) * sigma.derivative(z));
        final double ssdd = rule.expectation(z -> sigma.value(z) * sigma.value(z) * sigma.derivative(z)
            * sigma.derivative(z));
        final double self = rule.expectation(z -> sigma.value(z) * sigma.derivative(z) * z);
        return new Coefficients(drift, self, y2 * dd, y2 * dd - 2.0 * y1 * sdd + ssdd);
    }

    /**
     * Steps from m0 to m1 (0 &lt; m0 &lt; m1 &lt; 1), or +∞ when the drift does not stay positive.
     *
     * @param c          the coefficients.
     * @param loss       the loss.
     * @param radialSelf whether the square loss's radial self-term rescales the step (projected rows).
     * @param eta        the per-neuron step η = γ/p.
     * @param dim        d.
     * @param batchSize  n_b (Integer.MAX_VALUE or larger values make the batch term vanish).
     * @param m0         the initial overlap.
     * @param m1         the threshold.
     */
    public static double steps(final Coefficients c, final Loss loss, final boolean radialSelf, final double eta,
        final double dim, final double batchSize, final double m0, final double m1)
    {
        if (!(m0 > 0 && m0 < m1 && m1 < 1 && eta > 0))
        {
            return Double.POSITIVE_INFINITY;
        }
        final boolean square = loss == Loss.SQUARE;
        double effective = eta;
        if (square && radialSelf)
        {
            final double shrink = 1.0 - eta * c.selfRadial();
            if (!(shrink > 0))
            {
                return Double.POSITIVE_INFINITY;
            }
            effective = eta / shrink;
        }
        final double k = square ? c.noiseSquare() : c.noiseCorrelation();
        final double contraction = 0.5 * effective * effective * (dim / batchSize) * k;
        final double step = effective;
        // In u = ln m the integrand m/Δm is smooth even where Δm ~ m^(ℓ−1) is tiny.
        final DoubleUnaryOperator integrand = u ->
        {
            final double m = Math.exp(u);
            final double drift = step * (1.0 - m * m) * c.drift(m) - contraction * m;
            return drift > 0 ? m / drift : Double.NaN;
        };
        final double a = Math.log(m0);
        final double b = Math.log(m1);
        final double h = (b - a) / SIMPSON_INTERVALS;
        double sum = 0.0;
        for (int i = 0; i <= SIMPSON_INTERVALS; i++)
        {
            final double f = integrand.applyAsDouble(a + i * h);
            if (Double.isNaN(f))
            {
                return Double.POSITIVE_INFINITY;
            }
            sum += f * (i == 0 || i == SIMPSON_INTERVALS ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        return sum * h / 3.0;
    }

    /** The closed form of §3.4 for He3/He3, correlation loss, no batch term: [√d − 2 + atanh(½) − atanh(d^−½)]/(18η). */
    public static double he3HalfClosedForm(final double eta, final double dim)
    {
        return (Math.sqrt(dim) - 2.0 + atanh(0.5) - atanh(1.0 / Math.sqrt(dim))) / (18.0 * eta);
    }

    private static double atanh(final double x)
    {
        return 0.5 * Math.log((1.0 + x) / (1.0 - x));
    }
}
