package org.sgdsim.theory;

/**
 * The expectations over the local fields (λ, ν) ~ N(0, Ω), Ω = [[Q, M], [Mᵀ, I]], that the order-parameter
 * equations need (online-sgd.md §3.1–§3.3), for p hidden units and k teacher directions. Written by a
 * {@link FieldExpectations}, read by the integrators; a reusable holder.
 * <p>
 * e is the loss's error without label noise (square: f*(ν) − f(λ); correlation: f*(ν)); the noise enters only
 * {@link #i4}, as Δ·E[σ'(λ_j)σ'(λ_l)], since it has mean zero and is independent of the fields.
 */
public final class FieldTerms
{
    private final int width;
    private final int k;
    private final double[] i3Target;
    private final double[] i3Student;
    private final double[] i4;
    private final double[] i2;

    /** A holder for p hidden units and k teacher directions. */
    public FieldTerms(final int width, final int k)
    {
        this.width = width;
        this.k = k;
        this.i3Target = new double[width * k];
        this.i3Student = new double[width * width];
        this.i4 = new double[width * width];
        this.i2 = new double[width];
    }

    /** Hidden units p. */
    public int width()
    {
        return width;
    }

    /** Teacher directions k. */
    public int k()
    {
        return k;
    }

    /** E[e σ'(λ_j) ν_r], row-major p × k (live view): the "I3 target" term. */
    public double[] i3Target()
    {
        return i3Target;
    }

    /** E[e σ'(λ_j) λ_l], row-major p × p, not symmetric (live view): the "I3 network" term. */
    public double[] i3Student()
    {
        return i3Student;
    }

    /** E[e² σ'(λ_j) σ'(λ_l)] + Δ·E[σ'(λ_j) σ'(λ_l)], row-major p × p, symmetric (live view): the "I4" term. */
    public double[] i4()
    {
        return i4;
    }

    /** E[e σ(λ_j)], p values (live view): a's drift, da_j/dt ∝ E[e σ_j] when the second layer is trained. */
    public double[] i2()
    {
        return i2;
    }

    /** E[e σ'(λ_j) ν_r] (0-based). */
    public double i3Target(final int j, final int r)
    {
        return i3Target[j * k + r];
    }

    /** E[e σ'(λ_j) λ_l] (0-based). */
    public double i3Student(final int j, final int l)
    {
        return i3Student[j * width + l];
    }

    /** E[e² σ'(λ_j) σ'(λ_l)] + Δ·E[σ'(λ_j) σ'(λ_l)] (0-based). */
    public double i4(final int j, final int l)
    {
        return i4[j * width + l];
    }

    /** Sets every entry to zero. */
    void clear()
    {
        java.util.Arrays.fill(i3Target, 0.0);
        java.util.Arrays.fill(i3Student, 0.0);
        java.util.Arrays.fill(i4, 0.0);
        java.util.Arrays.fill(i2, 0.0);
    }
}
