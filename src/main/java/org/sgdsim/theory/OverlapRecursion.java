package org.sgdsim.theory;

/**
 * The exact one-step map of the overlaps under mini-batch SGD on fresh samples (online-sgd.md §3.1, unit-norm
 * convention), with η = γ/p and n_b samples per step:
 * <pre>
 * ΔM_jr = η a_j A_jr,                           A_jr = E[e σ'_j ν_r]
 * ΔQ_jl = η (a_j C_jl + a_l C_lj)               C_jl = E[e σ'_j λ_l]                  (I3)
 *       + η² a_j a_l (d/n_b) D_jl               D_jl = E[e² σ'_j σ'_l] + Δ E[σ'_j σ'_l] (I4 diagonal)
 *       + η² a_j a_l (1 − 1/n_b) g_j·g_l                                                 (I4 off-diagonal)
 * g_j·g_l = A_j·A_l + B_j Q⊥⁺ B_lᵀ,  B_jm = C_jm − (A Mᵀ)_jm,  Q⊥ = Q − M Mᵀ (Moore–Penrose pseudo-inverse)
 * </pre>
 * g_j = E[e σ'_j x] is the population gradient of row j; it lies in span(W*, W), where the teacher part has
 * coordinates A_j and the part along the orthogonal remainders W⊥ = W − M W* has inner products B_j with their
 * rows, hence the Gram form above (not the transposed (M Aᵀ) correction of one published implementation, which
 * is wrong for p &gt; 1). Unit rows: M_jr ← (M + ΔM)_jr/√(Q_jj + ΔQ_jj) and
 * Q_jl ← (Q + ΔQ)_jl/√((Q_jj + ΔQ_jj)(Q_ll + ΔQ_ll)).
 */
final class OverlapRecursion
{
    private static final double PSEUDO_INVERSE_TOLERANCE = 1e-12;

    private final FieldExpectations expectations;
    private final FieldTerms terms;
    private final int width;
    private final int k;
    private final double[] a;
    private final boolean unitRows;
    private final double eta;
    private final double diagonal;
    private final double offDiagonal;
    /** γ_a/p of a trained second layer (Δa_j = (γ_a/p)·E[e σ_j] per step), 0 when a is fixed. */
    private final double secondLayerStep;
    private final double[] deltaM;
    private final double[] deltaQ;
    private final double[] perp;
    private final double[] b;
    private final double[] norm;

    /**
     * @param noiseTerms false drops both I4 terms (the population flow with Euler steps).
     */
    OverlapRecursion(final FieldExpectations expectations, final TheoryProblem problem, final boolean noiseTerms)
    {
        this.expectations = expectations;
        this.width = expectations.model().width();
        this.k = expectations.model().k();
        this.terms = new FieldTerms(width, k);
        this.a = expectations.model().secondLayer();
        this.unitRows = problem.normalization().unitRows();
        this.eta = problem.eta();
        final double nb = problem.batchSize();
        this.diagonal = noiseTerms ? eta * eta * problem.dim() / nb : 0.0;
        this.offDiagonal = noiseTerms ? eta * eta * (1.0 - 1.0 / nb) : 0.0;
        this.secondLayerStep = problem.secondLayerRate() / width;
        this.deltaM = new double[width * k];
        this.deltaQ = new double[width * width];
        this.perp = new double[width * width];
        this.b = new double[width * width];
        this.norm = new double[width];
    }

    /** The current second layer a (live; it moves only when a is trained). */
    double[] secondLayer()
    {
        return a;
    }

    /** Replaces (M, Q) — and a when it is trained — by their values one SGD step later. */
    void step(final double[] m, final double[] q)
    {
        if (secondLayerStep > 0.0)
        {
            expectations.secondLayer(a);
        }
        expectations.evaluate(m, q, terms);
        for (int j = 0; j < width; j++)
        {
            for (int r = 0; r < k; r++)
            {
                deltaM[j * k + r] = eta * a[j] * terms.i3Target(j, r);
            }
            for (int l = 0; l < width; l++)
            {
                deltaQ[j * width + l] = eta * (a[j] * terms.i3Student(j, l) + a[l] * terms.i3Student(l, j))
                    + diagonal * a[j] * a[l] * terms.i4(j, l);
            }
        }
        if (offDiagonal != 0.0)
        {
            addGradientProducts(m, q);
        }
        if (unitRows)
        {
            for (int j = 0; j < width; j++)
            {
                norm[j] = Math.sqrt(q[j * width + j] + deltaQ[j * width + j]);
            }
            for (int j = 0; j < width; j++)
            {
                for (int r = 0; r < k; r++)
                {
                    m[j * k + r] = (m[j * k + r] + deltaM[j * k + r]) / norm[j];
                }
            }
            for (int j = 0; j < width; j++)
            {
                for (int l = 0; l < width; l++)
                {
                    q[j * width + l] = (q[j * width + l] + deltaQ[j * width + l]) / (norm[j] * norm[l]);
                }
            }
        }
        else
        {
            for (int i = 0; i < m.length; i++)
            {
                m[i] += deltaM[i];
            }
            for (int i = 0; i < q.length; i++)
            {
                q[i] += deltaQ[i];
            }
        }
        symmetrize(q);
        if (secondLayerStep > 0.0)
        {
            // After ΔM and ΔQ, which used the a before the step, as the simulation does.
            for (int j = 0; j < width; j++)
            {
                a[j] += secondLayerStep * terms.i2()[j];
            }
        }
    }

    /** Adds η² a_j a_l (1 − 1/n_b) g_j·g_l to ΔQ. */
    private void addGradientProducts(final double[] m, final double[] q)
    {
        final double[] inverse = prepareGradientProducts(m, q);
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                deltaQ[j * width + l] += offDiagonal * a[j] * a[l] * gradientProduct(inverse, j, l);
            }
        }
    }

    /**
     * The population-gradient Gram matrix g_j·g_l at (M, Q) (p × p, row-major), without a_j: exposed for tests
     * of the pseudo-inverse form.
     */
    double[] gradientGram(final double[] m, final double[] q)
    {
        expectations.evaluate(m, q, terms);
        final double[] inverse = prepareGradientProducts(m, q);
        final double[] gram = new double[width * width];
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                gram[j * width + l] = gradientProduct(inverse, j, l);
            }
        }
        return gram;
    }

    /** Fills B from the current terms and returns Q⊥⁺. */
    private double[] prepareGradientProducts(final double[] m, final double[] q)
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
                perp[j * width + l] = r;
            }
        }
        for (int j = 0; j < width; j++)
        {
            for (int u = 0; u < width; u++)
            {
                double s = terms.i3Student(j, u);
                for (int r = 0; r < k; r++)
                {
                    s -= terms.i3Target(j, r) * m[u * k + r];
                }
                b[j * width + u] = s;
            }
        }
        return SmallMatrices.symmetricPseudoInverse(perp, width, PSEUDO_INVERSE_TOLERANCE);
    }

    /** g_j·g_l = A_j·A_l + B_j Q⊥⁺ B_lᵀ. */
    private double gradientProduct(final double[] inverse, final int j, final int l)
    {
        double s = 0.0;
        for (int r = 0; r < k; r++)
        {
            s += terms.i3Target(j, r) * terms.i3Target(l, r);
        }
        for (int u = 0; u < width; u++)
        {
            for (int v = 0; v < width; v++)
            {
                s += b[j * width + u] * inverse[u * width + v] * b[l * width + v];
            }
        }
        return s;
    }

    private void symmetrize(final double[] q)
    {
        for (int j = 0; j < width; j++)
        {
            for (int l = j + 1; l < width; l++)
            {
                final double v = 0.5 * (q[j * width + l] + q[l * width + j]);
                q[j * width + l] = v;
                q[l * width + j] = v;
            }
        }
    }
}
