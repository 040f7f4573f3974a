package org.sgdsim.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.expr.Expression;

/**
 * The weak-learnability threshold α_c of online-sgd.md §3.6 (arXiv 2405.15480) for a noiseless target
 * y = g(z), z ~ N(0, I_k): with n = α·d samples, first-order methods recover a direction for α &gt; α_c.
 * <ul>
 * <li>Trivial subspace: if E[z|y] ≠ 0, one step learns it for any α &gt; 0, so α_c = 0. Tested on Monte Carlo
 *     draws binned by y: E|E[z|y]|² from split halves (unbiased) above {@value #TRIVIAL_LEVEL}.</li>
 * <li>Otherwise α_c⁻¹ is the largest eigenvalue of M ↦ E_y[G(y) M G(y)] on symmetric k × k matrices,
 *     G(y) = E[zzᵀ|y] − I. Continuous single-index targets (k = 1, no atoms): exactly, by Gauss–Legendre
 *     quadrature of E_z[G(g(z))²] with G(y) = Σ_i x_i² φ(x_i)/|g'(x_i)| ⁄ Σ_i φ(x_i)/|g'(x_i)| − 1 over the
 *     roots x_i of g(x) = y. Else by Monte Carlo: y in equal-probability bins (or exact label values when y
 *     takes few values), G per bin from each half of the draws, and E[G M G] from products of the two halves,
 *     which removes the upward bias of the within-bin sampling variance.</li>
 * <li>If that eigenvalue is below {@value #HARD_LEVEL} (G ≡ 0 up to Monte Carlo noise, e.g. a parity), α_c = ∞.</li>
 * </ul>
 */
public final class WeakRecovery
{
    /** Default Monte Carlo draws. */
    public static final int DEFAULT_SAMPLES = 2_000_000;
    /** Stream id of the draws (apart from the simulation's streams). */
    public static final long STREAM = 102;
    /** E|E[z|y]|² above this means a trivial subspace (Monte Carlo noise is ~1e-5 at the default size). */
    public static final double TRIVIAL_LEVEL = 1e-3;
    /** 1/α_c below this is reported as α_c = ∞. */
    public static final double HARD_LEVEL = 1e-3;

    private static final int MAX_LABELS = 64;
    private static final int SAMPLES_PER_BIN = 2000;
    private static final int MAX_BINS = 1000;
    private static final double ATOM_FRACTION = 0.01;
    private static final double SCAN_RANGE = 12.0;
    private static final double SCAN_STEP = 0.005;
    private static final double Z_RANGE = 9.0;
    private static final double PANEL = 0.05;
    private static final int LEGENDRE_POINTS = 10;
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** The verdict. */
    public enum Kind
    {
        /** E[z|y] ≠ 0: α_c = 0. */
        TRIVIAL,
        /** A finite α_c &gt; 0. */
        FINITE,
        /** G ≡ 0: α_c = ∞. */
        HARD
    }

    /**
     * A threshold.
     *
     * @param alphaC          α_c (0, finite, or +∞).
     * @param kind            which case applies.
     * @param conditionalMean E|E[z|y]|², the trivial-subspace statistic.
     * @param inverse         1/α_c as computed (the eigenvalue), NaN when trivial.
     * @param method          how it was computed.
     */
    public record Result(double alphaC, Kind kind, double conditionalMean, double inverse, String method)
    {
    }

    private WeakRecovery()
    {
    }

    /** α_c with {@link #DEFAULT_SAMPLES} draws from seed 1. */
    public static Result threshold(final Expression target)
    {
        return threshold(target, DEFAULT_SAMPLES, 1L);
    }

    /**
     * α_c of the target with the given Monte Carlo size and seed.
     *
     * @throws IllegalArgumentException if the target has no variable or is not finite on the draws.
     */
    public static Result threshold(final Expression target, final int samples, final long seed)
    {
        final int k = target.arity();
        if (k < 1)
        {
            throw new IllegalArgumentException("the target uses no variable z1..zk");
        }
        if (samples < 4 * SAMPLES_PER_BIN)
        {
            throw new IllegalArgumentException("at least " + 4 * SAMPLES_PER_BIN + " samples are needed");
        }
        final double[] z = new double[Math.multiplyExact(samples, k)];
        final double[] y = new double[samples];
        final double[] point = new double[k];
        final GaussianStream g = new GaussianStream(seed, STREAM);
        g.fill(z, 0, z.length);
        for (int i = 0; i < samples; i++)
        {
            System.arraycopy(z, i * k, point, 0, k);
            y[i] = target.evaluate(point);
            if (!Double.isFinite(y[i]))
            {
                throw new IllegalArgumentException("the target is not finite at z = " + Arrays.toString(point));
            }
        }
        final Bins bins = Bins.of(y);
        final Moments moments = new Moments(bins, z, k);
        final double mean = moments.conditionalMeanSquare();
        final String sampling = samples + " Monte Carlo draws (seed " + seed + "), " + bins.describe();
        if (mean > TRIVIAL_LEVEL)
        {
            return new Result(0.0, Kind.TRIVIAL, mean, Double.NaN,
                "trivial subspace: E|E[z|y]|^2 = " + mean + " > " + TRIVIAL_LEVEL + " (" + sampling + ")");
        }
        final double inverse;
        final String method;
        if (k == 1 && !bins.discrete && bins.largestAtom < ATOM_FRACTION)
        {
            inverse = singleIndexInverse(target);
            method = "single-index root quadrature: E_z[G(g(z))^2] by " + LEGENDRE_POINTS
                + "-point Gauss-Legendre on panels <= " + PANEL + " over [-" + Z_RANGE + ", " + Z_RANGE
                + "] split at the preimages of critical values; roots of g(x) = y on [-" + SCAN_RANGE + ", "
                + SCAN_RANGE + "]";
        }
        else
        {
            inverse = moments.largestEigenvalue();
            method = "E_y[G M G] from split halves of " + sampling;
        }
        if (!(inverse >= HARD_LEVEL))
        {
            return new Result(Double.POSITIVE_INFINITY, Kind.HARD, mean, inverse,
                "G(y) = 0 within resolution: 1/alpha_c = " + inverse + " < " + HARD_LEVEL + " (" + method + ")");
        }
        return new Result(1.0 / inverse, Kind.FINITE, mean, inverse, method);
    }

    /** y grouped by exact value (few labels) or into equal-probability bins. */
    private static final class Bins
    {
        final int[] group;
        final int groups;
        final boolean discrete;
        final double largestAtom;

        private Bins(final int[] group, final int groups, final boolean discrete, final double largestAtom)
        {
            this.group = group;
            this.groups = groups;
            this.discrete = discrete;
            this.largestAtom = largestAtom;
        }

        static Bins of(final double[] y)
        {
            final int n = y.length;
            final double[] sorted = y.clone();
            Arrays.sort(sorted);
            int distinct = 0;
            int run = 0;
            int longest = 0;
            for (int i = 0; i < n; i++)
            {
                if (i == 0 || sorted[i] != sorted[i - 1])
                {
                    distinct++;
                    run = 0;
                }
                run++;
                longest = Math.max(longest, run);
            }
            final int[] group = new int[n];
            if (distinct <= MAX_LABELS)
            {
                final double[] labels = new double[distinct];
                int c = 0;
                for (int i = 0; i < n; i++)
                {
                    if (i == 0 || sorted[i] != sorted[i - 1])
                    {
                        labels[c++] = sorted[i];
                    }
                }
                for (int i = 0; i < n; i++)
                {
                    group[i] = Arrays.binarySearch(labels, y[i]);
                }
                return new Bins(group, distinct, true, (double)longest / n);
            }
            final int bins = Math.max(2, Math.min(MAX_BINS, n / SAMPLES_PER_BIN));
            final double[] edges = new double[bins - 1];
            for (int b = 1; b < bins; b++)
            {
                edges[b - 1] = sorted[(int)((long)b * n / bins)];
            }
            for (int i = 0; i < n; i++)
            {
                // Number of edges ≤ y: ties at an atom all land in one bin, whatever its size.
                int lo = 0;
                int hi = edges.length;
                while (lo < hi)
                {
                    final int mid = (lo + hi) >>> 1;
                    if (edges[mid] <= y[i])
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }
                group[i] = lo;
            }
            return new Bins(group, bins, false, (double)longest / n);
        }

        String describe()
        {
            return discrete ? groups + " label values" : groups + " equal-probability bins of y";
        }
    }

    /** Per group and per half of the draws (even / odd index): counts, Σz and Σzzᵀ. */
    private static final class Moments
    {
        final int k;
        final int groups;
        final long total;
        final long[][] count;
        final double[][] first;
        final double[][] second;

        Moments(final Bins bins, final double[] z, final int k)
        {
            this.k = k;
            this.groups = bins.groups;
            this.total = bins.group.length;
            this.count = new long[2][groups];
            this.first = new double[2][groups * k];
            this.second = new double[2][groups * k * k];
            for (int i = 0; i < bins.group.length; i++)
            {
                final int h = i & 1;
                final int b = bins.group[i];
                count[h][b]++;
                for (int r = 0; r < k; r++)
                {
                    final double zr = z[i * k + r];
                    first[h][b * k + r] += zr;
                    for (int s = 0; s < k; s++)
                    {
                        second[h][(b * k + r) * k + s] += zr * z[i * k + s];
                    }
                }
            }
        }

        /** Σ_b P(b)·E[z|b]·E[z|b] with the two factors from different halves: unbiased for E|E[z|y]|². */
        double conditionalMeanSquare()
        {
            double s = 0.0;
            for (int b = 0; b < groups; b++)
            {
                if (count[0][b] == 0 || count[1][b] == 0)
                {
                    continue;
                }
                final double w = (double)(count[0][b] + count[1][b]) / total;
                double dot = 0.0;
                for (int r = 0; r < k; r++)
                {
                    dot += first[0][b * k + r] / count[0][b] * (first[1][b * k + r] / count[1][b]);
                }
                s += w * dot;
            }
            return s;
        }

        /** Largest eigenvalue of M ↦ Σ_b P(b)·½(G0 M G1 + G1 M G0) on symmetric matrices (orthonormal basis). */
        double largestEigenvalue()
        {
            final int dim = k * (k + 1) / 2;
            final double[][] basis = new double[dim][];
            int a = 0;
            for (int i = 0; i < k; i++)
            {
                for (int j = i; j < k; j++)
                {
                    final double[] e = new double[k * k];
                    final double v = i == j ? 1.0 : Math.sqrt(0.5);
                    e[i * k + j] = v;
                    e[j * k + i] = v;
                    basis[a++] = e;
                }
            }
            final double[] map = new double[dim * dim];
            final double[] g0 = new double[k * k];
            final double[] g1 = new double[k * k];
            for (int b = 0; b < groups; b++)
            {
                if (count[0][b] == 0 || count[1][b] == 0)
                {
                    continue;
                }
                final double w = (double)(count[0][b] + count[1][b]) / total;
                for (int r = 0; r < k; r++)
                {
                    for (int s = 0; s < k; s++)
                    {
                        final double identity = r == s ? 1.0 : 0.0;
                        g0[r * k + s] = second[0][(b * k + r) * k + s] / count[0][b] - identity;
                        g1[r * k + s] = second[1][(b * k + r) * k + s] / count[1][b] - identity;
                    }
                }
                for (int u = 0; u < dim; u++)
                {
                    for (int v = 0; v < dim; v++)
                    {
                        map[u * dim + v] += w * 0.5
                            * (traceProduct(basis[u], g0, basis[v], g1, k) + traceProduct(basis[u], g1, basis[v], g0, k));
                    }
                }
            }
            return SmallMatrices.largestEigenvalue(map, dim);
        }

        /** tr(A·B·C·D) for k × k row-major matrices. */
        private static double traceProduct(final double[] a, final double[] b, final double[] c, final double[] d,
            final int k)
        {
            final double[] ab = multiply(a, b, k);
            final double[] cd = multiply(c, d, k);
            double t = 0.0;
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    t += ab[i * k + j] * cd[j * k + i];
                }
            }
            return t;
        }

        private static double[] multiply(final double[] a, final double[] b, final int k)
        {
            final double[] out = new double[k * k];
            for (int i = 0; i < k; i++)
            {
                for (int l = 0; l < k; l++)
                {
                    final double ail = a[i * k + l];
                    for (int j = 0; j < k; j++)
                    {
                        out[i * k + j] += ail * b[l * k + j];
                    }
                }
            }
            return out;
        }
    }

    /** E_z[G(g(z))²] for a continuous single-index target, by quadrature over z with root-based G. */
    private static double singleIndexInverse(final Expression target)
    {
        final Scan scan = new Scan(target);
        final List<Double> breaks = new ArrayList<>();
        breaks.add(-Z_RANGE);
        breaks.add(Z_RANGE);
        for (final double c : scan.criticalValues())
        {
            for (final double x : scan.roots(c, Double.NaN))
            {
                if (Math.abs(x) < Z_RANGE)
                {
                    breaks.add(x);
                }
            }
        }
        breaks.sort(Double::compare);
        final GaussIntegrator rule = new GaussIntegratorFactory().legendre(LEGENDRE_POINTS);
        double sum = 0.0;
        for (int i = 0; i + 1 < breaks.size(); i++)
        {
            final double lo = breaks.get(i);
            final double hi = breaks.get(i + 1);
            if (!(hi > lo))
            {
                continue;
            }
            final int panels = (int)Math.ceil((hi - lo) / PANEL);
            final double width = (hi - lo) / panels;
            for (int p = 0; p < panels; p++)
            {
                final double a = lo + p * width;
                for (int n = 0; n < rule.getNumberOfPoints(); n++)
                {
                    final double x = a + 0.5 * width * (rule.getPoint(n) + 1.0);
                    final double gval = scan.conditionalSecondMoment(target.evaluate(new double[] {x}), x) - 1.0;
                    sum += 0.5 * width * rule.getWeight(n) * INV_SQRT_2PI * Math.exp(-0.5 * x * x) * gval * gval;
                }
            }
        }
        return sum;
    }

    /** g on a fine grid of [−R, R], for roots of g(x) = y and critical points. */
    private static final class Scan
    {
        private final Expression target;
        private final double[] x;
        private final double[] gx;
        private final double[] arg = new double[1];

        Scan(final Expression target)
        {
            this.target = target;
            final int n = (int)Math.round(2 * SCAN_RANGE / SCAN_STEP) + 1;
            this.x = new double[n];
            this.gx = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = -SCAN_RANGE + i * SCAN_STEP;
                gx[i] = g(x[i]);
            }
        }

        private double g(final double v)
        {
            arg[0] = v;
            return target.evaluate(arg);
        }

        /** Values of g at its local extrema inside the scan range (refined by golden-section search). */
        List<Double> criticalValues()
        {
            final List<Double> values = new ArrayList<>();
            for (int i = 1; i + 1 < x.length; i++)
            {
                final double left = gx[i] - gx[i - 1];
                final double right = gx[i + 1] - gx[i];
                if (left * right < 0.0 || (left != 0.0 && right == 0.0))
                {
                    values.add(extremum(x[i - 1], x[i + 1], left > 0.0));
                }
            }
            return values;
        }

        private double extremum(final double lo, final double hi, final boolean maximum)
        {
            final double ratio = (Math.sqrt(5.0) - 1.0) / 2.0;
            double a = lo;
            double b = hi;
            for (int it = 0; it < 80 && b - a > 1e-13; it++)
            {
                final double c = b - ratio * (b - a);
                final double d = a + ratio * (b - a);
                final double gc = g(c);
                final double gd = g(d);
                if (maximum ? gc > gd : gc < gd)
                {
                    b = d;
                }
                else
                {
                    a = c;
                }
            }
            return g(0.5 * (a + b));
        }

        /** Roots of g(x) = y in the scan range; {@code known}, if not NaN, is a root already known exactly. */
        List<Double> roots(final double y, final double known)
        {
            final List<Double> roots = new ArrayList<>();
            boolean haveKnown = Double.isNaN(known);
            for (int i = 0; i < x.length; i++)
            {
                final double f = gx[i] - y;
                double root = Double.NaN;
                if (f == 0.0)
                {
                    root = x[i];
                }
                else if (i + 1 < x.length && f * (gx[i + 1] - y) < 0.0)
                {
                    root = bisect(x[i], x[i + 1], y, f);
                }
                if (!Double.isNaN(root))
                {
                    if (!haveKnown && Math.abs(root - known) < 1e-9)
                    {
                        root = known;
                        haveKnown = true;
                    }
                    roots.add(root);
                }
            }
            if (!haveKnown)
            {
                // Two roots inside one scan cell (near an extremum) leave no sign change; keep at least z itself.
                roots.add(known);
            }
            return roots;
        }

        private double bisect(final double lo, final double hi, final double y, final double fLo)
        {
            double a = lo;
            double b = hi;
            double fa = fLo;
            for (int it = 0; it < 60; it++)
            {
                final double mid = 0.5 * (a + b);
                if (mid <= a || mid >= b)
                {
                    break;
                }
                final double fm = g(mid) - y;
                if (fm == 0.0)
                {
                    return mid;
                }
                if ((fm < 0.0) == (fa < 0.0))
                {
                    a = mid;
                    fa = fm;
                }
                else
                {
                    b = mid;
                }
            }
            return 0.5 * (a + b);
        }

        /** E[z²|g(z) = y] = Σ x_i² φ(x_i)/|g'(x_i)| ⁄ Σ φ(x_i)/|g'(x_i)| over the roots x_i (z is one of them). */
        double conditionalSecondMoment(final double y, final double z)
        {
            double num = 0.0;
            double den = 0.0;
            for (final double r : roots(y, z))
            {
                final double h = 1e-6 * Math.max(1.0, Math.abs(r));
                final double slope = Math.abs(g(r + h) - g(r - h)) / (2.0 * h);
                if (!(slope > 0.0))
                {
                    continue;
                }
                final double w = Math.exp(-0.5 * r * r) / slope;
                num += r * r * w;
                den += w;
            }
            return den > 0.0 ? num / den : z * z;
        }
    }
}
