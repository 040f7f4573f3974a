package org.sgdsim.theory;

import java.util.List;

import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Loss;

/**
 * Closed-form expectations for an erf student, σ(x) = erf(x/√2), on a target Σ_t c_t·erf(s_t·z_{r_t})
 * (online-sgd.md §3.2, Saad–Solla), generalised to any second layer a and any erf scale s_t.
 * <p>
 * A target term c·erf(s·ν_r) is the unit σ(u) on the field u = √2·s·ν_r, so every term of e, of e² and of the
 * risk is an I2, I3, I4 or J2 integral of σ and σ' over at most four jointly Gaussian fields; their covariances
 * are read off one matrix over (λ_1..λ_p, ν_1..ν_k, u_1..u_T).
 */
final class ErfClosedForm implements FieldExpectations
{
    private static final double TWO_OVER_PI = 2.0 / Math.PI;
    private static final double FOUR_OVER_PI_SQUARED = 4.0 / (Math.PI * Math.PI);
    private static final double SQRT_2 = Math.sqrt(2.0);

    private final StudentTeacher model;
    private final int width;
    private final int k;
    private final int terms;
    private final int size;
    private final double[] termCoefficient;
    private final double[] termScale;
    private final int[] termSlot;

    /** Units of the training error e: variable index and coefficient. */
    private final int[] errorUnit;
    private final double[] errorCoefficient;
    /** Units of f* − f, for the risk. */
    private final int[] riskUnit;
    private final double[] riskCoefficient;

    /** Covariance over (λ, ν, u), row-major size × size. */
    private final double[] cov;

    ErfClosedForm(final StudentTeacher model, final List<Expression.ErfTerm> committee)
    {
        this.model = model;
        this.width = model.width();
        this.k = model.k();
        this.terms = committee.size();
        this.size = width + k + terms;
        this.termCoefficient = new double[terms];
        this.termScale = new double[terms];
        this.termSlot = new int[terms];
        for (int t = 0; t < terms; t++)
        {
            termCoefficient[t] = committee.get(t).coefficient();
            termScale[t] = committee.get(t).scale();
            termSlot[t] = committee.get(t).slot();
        }
        final boolean square = model.loss() == Loss.SQUARE;
        final int errorUnits = terms + (square ? width : 0);
        this.errorUnit = new int[errorUnits];
        this.errorCoefficient = new double[errorUnits];
        this.riskUnit = new int[terms + width];
        this.riskCoefficient = new double[terms + width];
        for (int t = 0; t < terms; t++)
        {
            errorUnit[t] = width + k + t;
            errorCoefficient[t] = termCoefficient[t];
            riskUnit[t] = width + k + t;
            riskCoefficient[t] = termCoefficient[t];
        }
        for (int l = 0; l < width; l++)
        {
            riskUnit[terms + l] = l;
            if (square)
            {
                errorUnit[terms + l] = l;
            }
        }
        this.cov = new double[size * size];
        secondLayer(model.secondLayer());
    }

    @Override
    public void secondLayer(final double[] a)
    {
        final boolean square = errorUnit.length > terms;
        for (int l = 0; l < width; l++)
        {
            riskCoefficient[terms + l] = -a[l] / width;
            if (square)
            {
                errorCoefficient[terms + l] = -a[l] / width;
            }
        }
    }

    @Override
    public void evaluate(final double[] m, final double[] q, final FieldTerms out)
    {
        fillCovariance(m, q);
        final double[] i3Target = out.i3Target();
        final double[] i3Student = out.i3Student();
        final double[] i4 = out.i4();
        final double[] i2 = out.i2();
        final double noise = model.noise();
        for (int j = 0; j < width; j++)
        {
            double e = 0.0;
            for (int u = 0; u < errorUnit.length; u++)
            {
                e += errorCoefficient[u] * i2(j, errorUnit[u]);
            }
            i2[j] = e;
            for (int r = 0; r < k; r++)
            {
                double s = 0.0;
                for (int u = 0; u < errorUnit.length; u++)
                {
                    s += errorCoefficient[u] * i3(j, width + r, errorUnit[u]);
                }
                i3Target[j * k + r] = s;
            }
            for (int l = 0; l < width; l++)
            {
                double s = 0.0;
                for (int u = 0; u < errorUnit.length; u++)
                {
                    s += errorCoefficient[u] * i3(j, l, errorUnit[u]);
                }
                i3Student[j * width + l] = s;
            }
            for (int l = j; l < width; l++)
            {
                double s = 0.0;
                for (int u = 0; u < errorUnit.length; u++)
                {
                    // I4 is symmetric in its last two arguments: the pairs u < v count twice.
                    s += errorCoefficient[u] * errorCoefficient[u] * i4(j, l, errorUnit[u], errorUnit[u]);
                    for (int v = u + 1; v < errorUnit.length; v++)
                    {
                        s += 2.0 * errorCoefficient[u] * errorCoefficient[v] * i4(j, l, errorUnit[u], errorUnit[v]);
                    }
                }
                s += noise * j2(j, l);
                i4[j * width + l] = s;
                i4[l * width + j] = s;
            }
        }
    }

    @Override
    public double risk(final double[] m, final double[] q)
    {
        fillCovariance(m, q);
        double s = 0.0;
        for (int u = 0; u < riskUnit.length; u++)
        {
            for (int v = 0; v < riskUnit.length; v++)
            {
                s += riskCoefficient[u] * riskCoefficient[v] * i2(riskUnit[u], riskUnit[v]);
            }
        }
        return 0.5 * s;
    }

    @Override
    public String method()
    {
        return "closed-form-erf";
    }

    @Override
    public StudentTeacher model()
    {
        return model;
    }

    private void fillCovariance(final double[] m, final double[] q)
    {
        final int teacher = width;
        final int unit = width + k;
        for (int j = 0; j < width; j++)
        {
            for (int l = 0; l < width; l++)
            {
                cov[j * size + l] = q[j * width + l];
            }
            for (int r = 0; r < k; r++)
            {
                set(j, teacher + r, m[j * k + r]);
            }
            for (int t = 0; t < terms; t++)
            {
                set(j, unit + t, SQRT_2 * termScale[t] * m[j * k + termSlot[t]]);
            }
        }
        for (int r = 0; r < k; r++)
        {
            for (int s = 0; s < k; s++)
            {
                cov[(teacher + r) * size + teacher + s] = r == s ? 1.0 : 0.0;
            }
            for (int t = 0; t < terms; t++)
            {
                set(teacher + r, unit + t, termSlot[t] == r ? SQRT_2 * termScale[t] : 0.0);
            }
        }
        for (int t = 0; t < terms; t++)
        {
            for (int v = 0; v < terms; v++)
            {
                cov[(unit + t) * size + unit + v] =
                    termSlot[t] == termSlot[v] ? 2.0 * termScale[t] * termScale[v] : 0.0;
            }
        }
    }

    private void set(final int a, final int b, final double value)
    {
        cov[a * size + b] = value;
        cov[b * size + a] = value;
    }

    private double c(final int a, final int b)
    {
        return cov[a * size + b];
    }

    /** E[σ(a)σ(b)] = (2/π)·arcsin(C12/√((1+C11)(1+C22))). */
    private double i2(final int a, final int b)
    {
        final double ratio = c(a, b) / Math.sqrt((1.0 + c(a, a)) * (1.0 + c(b, b)));
        return TWO_OVER_PI * Math.asin(clamp(ratio));
    }

    /** E[σ'(a)σ'(b)] = (2/π)/√((1+C11)(1+C22) − C12²). */
    private double j2(final int a, final int b)
    {
        final double c12 = c(a, b);
        return TWO_OVER_PI / Math.sqrt((1.0 + c(a, a)) * (1.0 + c(b, b)) - c12 * c12);
    }

    /** E[σ'(a)·b·σ(c)] = (2/π)·(C23(1+C11) − C12C13)/((1+C11)·√((1+C11)(1+C33) − C13²)). */
    private double i3(final int a, final int b, final int c)
    {
        final double c11 = 1.0 + c(a, a);
        final double c12 = c(a, b);
        final double c13 = c(a, c);
        final double c23 = c(b, c);
        final double c33 = 1.0 + c(c, c);
        return TWO_OVER_PI * (c23 * c11 - c12 * c13) / (c11 * Math.sqrt(c11 * c33 - c13 * c13));
    }

    /** E[σ'(a)σ'(b)σ(c)σ(d)] = (4/π²)/√Λ4 · arcsin(Λ0/√(Λ1Λ2)) (online-sgd.md §3.2). */
    private double i4(final int a, final int b, final int c, final int d)
    {
        final double c11 = 1.0 + c(a, a);
        final double c22 = 1.0 + c(b, b);
        final double c33 = 1.0 + c(c, c);
        final double c44 = 1.0 + c(d, d);
        final double c12 = c(a, b);
        final double c13 = c(a, c);
        final double c14 = c(a, d);
        final double c23 = c(b, c);
        final double c24 = c(b, d);
        final double c34 = c(c, d);
        final double lambda4 = c11 * c22 - c12 * c12;
        final double lambda0 = lambda4 * c34 - c23 * c24 * c11 - c13 * c14 * c22 + c12 * c13 * c24 + c12 * c14 * c23;
        final double lambda1 = lambda4 * c33 - c23 * c23 * c11 - c13 * c13 * c22 + 2.0 * c12 * c13 * c23;
        final double lambda2 = lambda4 * c44 - c24 * c24 * c11 - c14 * c14 * c22 + 2.0 * c12 * c14 * c24;
        return FOUR_OVER_PI_SQUARED / Math.sqrt(lambda4) * Math.asin(clamp(lambda0 / Math.sqrt(lambda1 * lambda2)));
    }

    private static double clamp(final double x)
    {
        return Math.max(-1.0, Math.min(1.0, x));
    }
}
