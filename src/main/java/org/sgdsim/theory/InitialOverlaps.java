package org.sgdsim.theory;

import java.util.Arrays;

import org.sgdsim.math.Kernels;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.StudentInit;
import org.sgdsim.model.Teacher;

/**
 * Initial overlaps (M0, Q0) for the theory from a student initialisation (online-sgd.md §2.1), either exactly
 * those of a run's first metrics row or their d → ∞ idealisation.
 */
public final class InitialOverlaps
{
    /**
     * Initial overlaps.
     *
     * @param m      M0, row-major p × k.
     * @param q      Q0, row-major p × p.
     * @param source how they were obtained, for the output.
     */
    public record Initial(double[] m, double[] q, String source)
    {
    }

    private InitialOverlaps()
    {
    }

    /**
     * The overlaps of the run with this seed at step 0, bit for bit: W* and W0 are drawn exactly as the run
     * draws them (teacher and student streams of the seed), then M0 = W0·W*ᵀ and Q0 = W0·W0ᵀ. Costs O((p + k)·d).
     */
    public static Initial fromSeed(final StudentInit init, final Expression target, final int width, final int dim,
        final long seed)
    {
        final Teacher teacher = Teacher.create(dim, target, 0.0, seed);
        final double[] w = init.weights(teacher, width, seed);
        final int k = teacher.k();
        final double[] m = new double[width * k];
        final double[] q = new double[width * width];
        Kernels.gram(w, width, teacher.directions(), k, dim, m);
        Kernels.gram(w, width, w, width, dim, q);
        return new Initial(m, q, "the run's own W0 and W* for seed " + seed + " (" + init.describe() + ")");
    }

    /**
     * The d → ∞ idealisation of the initialisation, without drawing anything:
     * <ul>
     * <li>explicit: M0 and Q0 as given;</li>
     * <li>overlap m0: w_j = m0·w*_1 + √(1 − m0²)·o_j with independent unit o_j orthogonal to span(W*), so
     *     M_j1 = m0, M_jr = 0 (r &gt; 1), Q_jj = 1 and Q_jl = m0² + (1 − m0²)·o_j·o_l → m0² since o_j·o_l =
     *     O(1/√d): Q0 = I + m0²(11ᵀ − I);</li>
     * <li>random: overlap 1/√d with a uniform direction u_j of span(W*); the idealisation spreads it evenly,
     *     M_jr = 1/√(d·k) (‖M_j‖ = 1/√d), and Q0 = I (in a run the off-diagonal Q_jl are O(1/√d));</li>
     * <li>zero: M0 = 0, Q0 = I — a fixed point of the equations for targets without a linear part, which
     *     the run leaves only through its O(1/√d) fluctuations.</li>
     * </ul>
     */
    public static Initial idealised(final StudentInit init, final int width, final int k, final int dim)
    {
        final double[] m = new double[width * k];
        final double[] q = new double[width * width];
        for (int j = 0; j < width; j++)
        {
            q[j * width + j] = 1.0;
        }
        if (init instanceof StudentInit.Explicit explicit)
        {
            return new Initial(explicit.m0().clone(), explicit.q0().clone(), "explicit M0/Q0");
        }
        if (init instanceof StudentInit.Overlap overlap)
        {
            final double m0 = overlap.m0();
            for (int j = 0; j < width; j++)
            {
                m[j * k] = m0;
                for (int l = 0; l < width; l++)
                {
                    if (l != j)
                    {
                        q[j * width + l] = m0 * m0;
                    }
                }
            }
            return new Initial(m, q, "idealised overlap " + m0 + ": M_j1 = m0, Q = I + m0^2 (11^T - I)");
        }
        if (init instanceof StudentInit.Random)
        {
            Arrays.fill(m, 1.0 / Math.sqrt((double)dim * k));
            return new Initial(m, q, "idealised random: M_jr = 1/sqrt(d k), Q = I");
        }
        return new Initial(m, q, "idealised zero: M = 0, Q = I");
    }
}
