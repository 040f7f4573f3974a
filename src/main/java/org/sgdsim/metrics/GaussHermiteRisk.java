package org.sgdsim.metrics;

import org.sgdsim.math.TensorGrid;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;

/**
 * Exact risk for a polynomial target and a polynomial activation by tensor Gauss–Hermite quadrature
 * (online-sgd.md §3.5). With P = I the fields are ν ~ N(0, I_k) and λ_j = M_j·ν + s_j·ξ, s_j² = Q_jj − |M_j|²,
 * so R = ½(E f*² − (2/p)Σ_j a_j E[f* σ(λ_j)] + (1/p²)Σ_jl a_j a_l E[σ(λ_j)σ(λ_l)]) needs grids of at most
 * k + 1 dimensions and no factorisation of a singular covariance.
 */
final class GaussHermiteRisk implements RiskEstimator
{
    private final Expression target;
    private final Activation activation;
    private final double[] secondLayer;
    private final int width;
    private final int k;
    private final double targetSquare;
    private final TensorGrid cross;
    private final TensorGrid pair;
    private final double[] nu;

    GaussHermiteRisk(final Expression target, final Activation activation, final double[] secondLayer)
    {
        this.target = target;
        this.activation = activation;
        this.secondLayer = secondLayer.clone();
        this.width = secondLayer.length;
        this.k = target.arity();
        this.nu = new double[k];
        final int targetDegree = target.polynomialDegree().orElseThrow();
        final int sigmaDegree = activation.polynomialDegree();
        final TensorGrid square = TensorGrid.of(k, TensorGrid.pointsFor(2 * targetDegree));
        double sum = 0.0;
        for (int i = 0; i < square.size; i++)
        {
            System.arraycopy(square.nodes, i * k, nu, 0, k);
            final double f = target.evaluate(nu);
            sum += square.weights[i] * f * f;
        }
        this.targetSquare = sum;
        this.cross = TensorGrid.of(k + 1, TensorGrid.pointsFor(targetDegree + sigmaDegree));
        this.pair = TensorGrid.of(2, TensorGrid.pointsFor(2 * sigmaDegree));
    }

    /** True when both functions are polynomials and the cross grid stays small. */
    static boolean applies(final Expression target, final Activation activation)
    {
        if (target.polynomialDegree().isEmpty() || activation.polynomialDegree() < 0)
        {
            return false;
        }
        final int points = TensorGrid.pointsFor(target.polynomialDegree().getAsInt() + activation.polynomialDegree());
        return TensorGrid.count(target.arity() + 1, points) <= 2_000_000;
    }

    @Override
    public double risk(final OrderParameters op)
    {
        final double[] a = op.secondLayer() != null ? op.secondLayer() : secondLayer;
        double crossSum = 0.0;
        for (int j = 0; j < width; j++)
        {
            double residual = op.q(j, j);
            for (int r = 0; r < k; r++)
            {
                residual -= op.m(j, r) * op.m(j, r);
            }
            final double s = Math.sqrt(Math.max(residual, 0.0));
            double e = 0.0;
            for (int i = 0; i < cross.size; i++)
            {
                final int off = i * (k + 1);
                double lambda = s * cross.nodes[off + k];
                for (int r = 0; r < k; r++)
                {
                    nu[r] = cross.nodes[off + r];
                    lambda += op.m(j, r) * nu[r];
                }
                e += cross.weights[i] * target.evaluate(nu) * activation.value(lambda);
            }
            crossSum += a[j] * e;
        }
        double pairSum = 0.0;
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                pairSum += a[j] * a[l] * pairExpectation(op.q(j, j), op.q(j, l), op.q(l, l));
            }
        }
        return 0.5 * (targetSquare - 2.0 * crossSum / width + pairSum / ((double)width * width));
    }

    /** E[σ(u)σ(v)] for (u, v) centred Gaussian with Var u = a, Cov = c, Var v = b. */
    private double pairExpectation(final double a, final double c, final double b)
    {
        final double su = Math.sqrt(Math.max(a, 0.0));
        final double cu = su > 0.0 ? c / su : 0.0;
        final double sv = Math.sqrt(Math.max(b - cu * cu, 0.0));
        double e = 0.0;
        for (int i = 0; i < pair.size; i++)
        {
            final double x1 = pair.nodes[2 * i];
            final double x2 = pair.nodes[2 * i + 1];
            e += pair.weights[i] * activation.value(su * x1) * activation.value(cu * x1 + sv * x2);
        }
        return e;
    }

    @Override
    public String method()
    {
        return "gauss-hermite-exact (tensor quadrature, " + cross.size + " nodes for E[f* sigma])";
    }
}
