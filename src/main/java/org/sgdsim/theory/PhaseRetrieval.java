package org.sgdsim.theory;

/**
 * The closed form of online-sgd.md §3.3 for phase retrieval: target z1², one square-activation neuron
 * (p = k = 1, a = 1), square loss, rows renormalised after every step, label noise Δ. With q ≡ 1,
 * <pre>
 * dm/dt = m·[(4 − 24γ)(1 − m²) − 2γΔ],   R = 2 − 2m²,   t = steps·γ/d
 * </pre>
 * where γ = d·(learning-rate) is the √d-convention step (γ_SS; sgdsim's config uses learning-rate = γ/d, and
 * then η = γ/d per step). m grows at the rate 4 − 24γ: critical step γ = 1/6, sample-optimal γ = 1/12.
 * The general renormalised ODE of {@link OverlapOde} reduces to this for p = k = 1 (tested).
 */
public final class PhaseRetrieval
{
    private PhaseRetrieval()
    {
    }

    /** dm/dt at overlap m for step γ (√d convention) and noise Δ. */
    public static double drift(final double m, final double gamma, final double noise)
    {
        return m * ((4.0 - 24.0 * gamma) * (1.0 - m * m) - 2.0 * gamma * noise);
    }

    /** The escape rate 4 − 24γ of m from m ≈ 0 (noise aside). */
    public static double escapeRate(final double gamma)
    {
        return 4.0 - 24.0 * gamma;
    }

    /**
     * m(t) solving dm/dt = m(s − r m²) exactly, r = 4 − 24γ, s = r − 2γΔ: u = m² is logistic,
     * u(t) = s u0 e^{2st}/(s + r u0 (e^{2st} − 1)).
     */
    public static double overlap(final double m0, final double t, final double gamma, final double noise)
    {
        final double r = escapeRate(gamma);
        final double s = r - 2.0 * gamma * noise;
        final double u0 = m0 * m0;
        final double u;
        if (s == 0.0)
        {
            u = u0 / (1.0 + 2.0 * r * u0 * t);
        }
        else if (s > 0.0)
        {
            // Divide through by e^{2st} so that long times neither overflow nor lose the fixed point s/r.
            final double decay = Math.exp(-2.0 * s * t);
            u = s * u0 / (s * decay - r * u0 * Math.expm1(-2.0 * s * t));
        }
        else
        {
            u = s * u0 * Math.exp(2.0 * s * t) / (s + r * u0 * Math.expm1(2.0 * s * t));
        }
        return Math.copySign(Math.sqrt(u), m0);
    }

    /** R = 2 − 2m² (label noise excluded). */
    public static double risk(final double m)
    {
        return 2.0 - 2.0 * m * m;
    }

    /**
     * The time for |m| to go from m0 to m1 (0 &lt; |m0| &lt; |m1| &lt; the fixed point √(s/r)):
     * t = ln(u1 (s − r u0) / (u0 (s − r u1)))/(2s) with u = m².
     *
     * @return the time, or +∞ if m1 is not reached.
     */
    public static double escapeTime(final double m0, final double m1, final double gamma, final double noise)
    {
        final double r = escapeRate(gamma);
        final double s = r - 2.0 * gamma * noise;
        final double u0 = m0 * m0;
        final double u1 = m1 * m1;
        if (!(s > 0.0) || !(u1 > u0) || !(r * u1 < s))
        {
            return Double.POSITIVE_INFINITY;
        }
        return Math.log(u1 * (s - r * u0) / (u0 * (s - r * u1))) / (2.0 * s);
    }
}
