package org.sgdsim.metrics;

import java.util.List;

import org.sgdsim.math.expr.Expression;

/**
 * Closed-form risk for an erf student (σ = erf(·/√2)) and a target Σ_t c_t·erf(s_t·z_{r_t}) (online-sgd.md §3.2),
 * from E[erf(αu)·erf(βv)] = (2/π)·arcsin(2αβ·C_uv / √((1 + 2α²C_uu)(1 + 2β²C_vv))).
 */
final class ErfCommitteeRisk implements RiskEstimator
{
    private static final double STUDENT_SCALE = Math.sqrt(0.5);

    private final double[] coefficient;
    private final double[] scale;
    private final int[] slot;
    private final double[] secondLayer;
    private final int width;
    private final double targetSquare;

    ErfCommitteeRisk(final List<Expression.ErfTerm> terms, final double[] secondLayer)
    {
        final int n = terms.size();
        this.coefficient = new double[n];
        this.scale = new double[n];
        this.slot = new int[n];
        for (int t = 0; t < n; t++)
        {
            coefficient[t] = terms.get(t).coefficient();
            scale[t] = terms.get(t).scale();
            slot[t] = terms.get(t).slot();
        }
        this.secondLayer = secondLayer.clone();
        this.width = secondLayer.length;
        double sum = 0.0;
        for (int t = 0; t < n; t++)
        {
            for (int u = 0; u < n; u++)
            {
                final double cov = slot[t] == slot[u] ? 1.0 : 0.0;
                sum += coefficient[t] * coefficient[u] * erfErf(scale[t], scale[u], 1.0, cov, 1.0);
            }
        }
        this.targetSquare = sum;
    }

    @Override
    public double risk(final OrderParameters op)
    {
        final double[] a = op.secondLayer() != null ? op.secondLayer() : secondLayer;
        double cross = 0.0;
        double self = 0.0;
        for (int j = 0; j < width; j++)
        {
            final double qjj = op.q(j, j);
            double e = 0.0;
            for (int t = 0; t < coefficient.length; t++)
            {
                e += coefficient[t] * erfErf(STUDENT_SCALE, scale[t], qjj, op.m(j, slot[t]), 1.0);
            }
            cross += a[j] * e;
            for (int l = 0; l < width; l++)
            {
                self += a[j] * a[l]
                    * erfErf(STUDENT_SCALE, STUDENT_SCALE, qjj, op.q(j, l), op.q(l, l));
            }
        }
        return 0.5 * (targetSquare - 2.0 * cross / width + self / ((double)width * width));
    }

    /** E[erf(αu)·erf(βv)] for centred Gaussians with Var u = cuu, Cov = cuv, Var v = cvv. */
    static double erfErf(final double alpha, final double beta, final double cuu, final double cuv, final double cvv)
    {
        final double ratio = 2.0 * alpha * beta * cuv
            / Math.sqrt((1.0 + 2.0 * alpha * alpha * cuu) * (1.0 + 2.0 * beta * beta * cvv));
        return (2.0 / Math.PI) * Math.asin(Math.max(-1.0, Math.min(1.0, ratio)));
    }

    @Override
    public String method()
    {
        return "closed-form-erf";
    }
}
