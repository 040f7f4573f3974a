package org.sgdsim.theory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.nonstiff.ClassicalRungeKuttaIntegrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;

/**
 * The theory's prediction of the overlaps (M, Q) and the risk at given SGD step counts, for one
 * {@link TheoryProblem} from given initial overlaps: the entry point for {@code sgdsim theory} and for runs that
 * write theory.csv next to metrics.csv.
 * <p>
 * Integrators (online-sgd.md §3): the continuous equations of {@link OverlapOde} in t = steps·η, by adaptive
 * Dormand–Prince 8(5,3) (or fixed-step classical RK4), for n_b = 1 — the Saad–Solla ODE for free rows (§3.2),
 * the renormalised ODE for unit rows (§3.3); the exact one-step map of {@link OverlapRecursion} (§3.1) for
 * n_b &gt; 1, where the I4 terms of order η²·d/n_b and η² are not negligible per step.
 */
public final class TheoryCurve
{
    /** Default relative and absolute tolerance of the adaptive integrator with exact expectations. */
    public static final double EXACT_TOLERANCE = 1e-10;
    /** Default tolerance with Monte Carlo expectations, whose fixed draws carry their own O(N^-1/2) error. */
    public static final double MONTE_CARLO_TOLERANCE = 1e-4;

    /** Which integrator to use. */
    public enum Method
    {
        /** The continuous equations for n_b = 1, the one-step recursion for n_b &gt; 1. */
        AUTO,
        /** The continuous equations (§3.2 for free rows, §3.3 for unit rows). */
        ODE,
        /** The exact one-step recursion (§3.1). */
        RECURSION;

        /** The option name (auto, ode, recursion). */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses auto, ode or recursion. */
        public static Method parse(final String name)
        {
            for (final Method m : values())
            {
                if (m.configName().equals(name))
                {
                    return m;
                }
            }
            throw new IllegalArgumentException("expected auto, ode or recursion, got '" + name + "'");
        }
    }

    /**
     * How to integrate.
     *
     * @param method            integrator choice.
     * @param tolerance         relative = absolute tolerance of the adaptive ODE integrator; 0 = automatic
     *                          ({@link #EXACT_TOLERANCE}, or {@link #MONTE_CARLO_TOLERANCE} with Monte Carlo).
     * @param fixedStep         dt of fixed-step RK4 in units of t; 0 = adaptive Dormand–Prince.
     * @param noiseTerms        keep the I4 terms (false: the population gradient flow, η d/n_b → 0).
     * @param monteCarloSamples draws for Monte Carlo expectations.
     * @param seed              seed of those draws.
     */
    public record Options(Method method, double tolerance, double fixedStep, boolean noiseTerms, int monteCarloSamples,
        long seed)
    {
        /** Validates the numbers. */
        public Options
        {
            if (!(tolerance >= 0.0) || !(fixedStep >= 0.0) || monteCarloSamples < 1)
            {
                throw new IllegalArgumentException("tolerance and dt must be ≥ 0 and the sample count ≥ 1");
            }
        }

        /** Automatic method and tolerance, adaptive steps, I4 terms kept, 100 000 Monte Carlo draws, seed 1. */
        public static Options defaults()
        {
            return new Options(Method.AUTO, 0.0, 0.0, true, 100_000, 1L);
        }

        /** A copy with another method. */
        public Options withMethod(final Method m)
        {
            return new Options(m, tolerance, fixedStep, noiseTerms, monteCarloSamples, seed);
        }

        /** A copy with another tolerance. */
        public Options withTolerance(final double t)
        {
            return new Options(method, t, fixedStep, noiseTerms, monteCarloSamples, seed);
        }

        /** A copy with fixed-step RK4 of step dt (0 = adaptive). */
        public Options withFixedStep(final double dt)
        {
            return new Options(method, tolerance, dt, noiseTerms, monteCarloSamples, seed);
        }

        /** A copy with or without the I4 terms. */
        public Options withNoiseTerms(final boolean on)
        {
            return new Options(method, tolerance, fixedStep, on, monteCarloSamples, seed);
        }

        /** A copy with other Monte Carlo draws. */
        public Options withMonteCarlo(final int samples, final long s)
        {
            return new Options(method, tolerance, fixedStep, noiseTerms, samples, s);
        }
    }

    /**
     * The prediction at one step count.
     *
     * @param step SGD steps.
     * @param time t = step·η.
     * @param m    M, row-major p × k.
     * @param q    Q, row-major p × p (symmetric).
     * @param risk R = ½E[(f* − f)²], label noise excluded.
     * @param a    the second layer when it is trained, else null.
     */
    public record Point(long step, double time, double[] m, double[] q, double risk, double[] a)
    {
    }

    private final TheoryProblem problem;
    private final Method method;
    private final String reason;
    private final String equations;
    private final String integrator;
    private final String expectations;
    private final List<Point> points;
    private final String stopped;
    private final long evaluations;

    private TheoryCurve(final TheoryProblem problem, final Method method, final String reason, final String equations,
        final String integrator, final String expectations, final List<Point> points, final String stopped,
        final long evaluations)
    {
        this.problem = problem;
        this.method = method;
        this.reason = reason;
        this.equations = equations;
        this.integrator = integrator;
        this.expectations = expectations;
        this.points = Collections.unmodifiableList(points);
        this.stopped = stopped;
        this.evaluations = evaluations;
    }

    /** The integrator {@link Method#AUTO} picks for this problem: ODE for n_b = 1, recursion otherwise. */
    public static Method resolve(final TheoryProblem problem, final Method requested)
    {
        if (requested != Method.AUTO)
        {
            return requested;
        }
        return problem.batchSize() == 1 ? Method.ODE : Method.RECURSION;
    }

    /**
     * Integrates the theory from (M0, Q0) and reports it at the given steps.
     *
     * @param m0      initial M, row-major p × k.
     * @param q0      initial Q, row-major p × p.
     * @param steps   step counts to report, strictly increasing, the first ≥ 0.
     * @param options integrator and expectation settings.
     * @return the curve; if the overlaps diverge, the points before that and {@link #stopped()} saying why.
     * @throws IllegalArgumentException on inconsistent sizes, unordered steps, or an initial Ω that is not PSD.
     */
    public static TheoryCurve compute(final TheoryProblem problem, final double[] m0, final double[] q0,
        final long[] steps, final Options options)
    {
        return compute(problem, m0, q0, steps, options, null);
    }

    /**
     * As {@link #compute(TheoryProblem, double[], double[], long[], Options)} for the adaptive loss: the problem's
     * loss (correlation) until {@code switchToSquare} holds at a reported point, the square loss from the next step
     * on — what a run does when it checks the switch at its metrics rows. The switch is an event at a step, so this
     * always takes the exact one-step recursion.
     *
     * @param switchToSquare the switch condition on a reported point, or null for no switch.
     */
    public static TheoryCurve compute(final TheoryProblem problem, final double[] m0, final double[] q0,
        final long[] steps, final Options options, final java.util.function.Predicate<Point> switchToSquare)
    {
        final StudentTeacher model = problem.model();
        final int width = model.width();
        final int k = model.k();
        if (m0.length != width * k || q0.length != width * width)
        {
            throw new IllegalArgumentException("M0 must be p × k = " + width + " × " + k + " and Q0 p × p");
        }
        for (int i = 0; i < steps.length; i++)
        {
            if (steps[i] < 0 || (i > 0 && steps[i] <= steps[i - 1]))
            {
                throw new IllegalArgumentException("report steps must be non-negative and strictly increasing");
            }
        }
        final FieldExpectations fields = FieldExpectations.choose(model, options.monteCarloSamples(), options.seed());
        // An invalid initial state is the caller's mistake, not a divergence: fail here.
        fields.evaluate(m0, q0, new FieldTerms(width, k));
        final Method method = switchToSquare != null ? Method.RECURSION : resolve(problem, options.method());
        final String reason = switchToSquare != null ? "adaptive loss: its switch is an event at a step, which the "
            + "one-step map takes exactly" : options.method() != Method.AUTO ? "requested"
            : (method == Method.ODE ? "n_b = 1: one step moves t by eta = lr/p, the continuous limit"
                : "n_b = " + problem.batchSize() + " > 1: the exact one-step map keeps the finite-batch I4 terms");
        final List<Point> points = new ArrayList<>();
        if (method == Method.RECURSION)
        {
            return recursion(problem, fields, m0, q0, steps, options, reason, points, switchToSquare);
        }
        return ode(problem, fields, m0, q0, steps, options, reason, points);
    }

    private static TheoryCurve recursion(final TheoryProblem problem, final FieldExpectations fields,
        final double[] m0, final double[] q0, final long[] steps, final Options options, final String reason,
        final List<Point> points, final java.util.function.Predicate<Point> switchToSquare)
    {
        FieldExpectations current = fields;
        OverlapRecursion map = new OverlapRecursion(fields, problem, options.noiseTerms());
        boolean switched = false;
        final double[] m = m0.clone();
        final double[] q = q0.clone();
        String stopped = null;
        long step = 0;
        long evaluations = 0;
        for (final long target : steps)
        {
            try
            {
                while (step < target)
                {
                    map.step(m, q);
                    evaluations++;
                    step++;
                    if (!finite(m) || !finite(q))
                    {
                        throw new OverlapOde.Diverged("the overlaps became non-finite at step " + step);
                    }
                }
            }
            catch (final OverlapOde.Diverged | IllegalArgumentException ex)
            {
                stopped = ex instanceof OverlapOde.Diverged ? ex.getMessage()
                    : "the overlaps left the set of covariances at step " + step + " (" + ex.getMessage() + ")";
                break;
            }
            final Point p = point(problem, current, target, m, q, problem.trainsSecondLayer() ? map.secondLayer() : null);
            points.add(p);
            if (switchToSquare != null && !switched && switchToSquare.test(p))
            {
                switched = true;
                final StudentTeacher model = problem.model();
                current = FieldExpectations.choose(new StudentTeacher(model.target(), model.activation(),
                    map.secondLayer(), Loss.SQUARE, model.noise()), options.monteCarloSamples(), options.seed());
                map = new OverlapRecursion(current, problem, options.noiseTerms());
            }
        }
        final String equations = "one-step recursion (online-sgd.md 3.1): dM = eta a_j E[e s'_j nu_r]; "
            + "dQ = eta (a_j E[e s'_j l_l] + a_l E[e s'_l l_j])"
            + (options.noiseTerms() ? " + eta^2 a_j a_l ((d/nb) (E[e^2 s'_j s'_l] + Delta E[s'_j s'_l])"
                + " + (1 - 1/nb) g_j.g_l), g_j.g_l = A_j.A_l + B_j pinv(Q - M M^T) B_l^T" : " (I4 terms off)")
            + (problem.normalization().unitRows() ? "; then rows renormalised: M_jr/sqrt(Q_jj + dQ_jj), "
                + "Q_jl/sqrt((Q_jj + dQ_jj)(Q_ll + dQ_ll))" : "; rows free")
            + (problem.normalization() == RowNormalization.SPHERICAL ? " (spherical integrated as projected: the two "
                + "differ by O(eta^2) terms without the d/nb factor)" : "")
            + "; eta = lr/p"
            + (switchToSquare == null ? "" : "; adaptive loss: correlation until the switch condition holds at a "
                + "reported step, square from the next step on" + (switched ? "" : " (it never held)"));
        return new TheoryCurve(problem, Method.RECURSION, reason, equations, "exact one-step map, one per SGD step",
            fields.method(), points, stopped, evaluations);
    }

    private static TheoryCurve ode(final TheoryProblem problem, final FieldExpectations fields, final double[] m0,
        final double[] q0, final long[] steps, final Options options, final String reason, final List<Point> points)
    {
        final StudentTeacher model = problem.model();
        final int width = model.width();
        final int k = model.k();
        final boolean unitRows = problem.normalization().unitRows();
        final double noiseFactor = options.noiseTerms() ? problem.noiseFactor() : 0.0;
        final boolean trainsA = problem.trainsSecondLayer();
        final OverlapOde equations = new OverlapOde(fields, unitRows, noiseFactor,
            trainsA ? problem.secondLayerTimeScale() : 0.0);
        final double[] y0 = new double[equations.getDimension()];
        System.arraycopy(m0, 0, y0, 0, width * k);
        System.arraycopy(q0, 0, y0, width * k, width * width);
        if (trainsA)
        {
            System.arraycopy(model.secondLayer(), 0, y0, width * k + width * width, width);
        }
        if (unitRows)
        {
            // The simulation renormalises after every step, so from step 1 on the rows have unit norm.
            normalizeRows(y0, width, k);
        }
        final boolean monteCarlo = fields instanceof MonteCarloExpectations;
        final double tolerance = options.tolerance() > 0.0 ? options.tolerance()
            : (monteCarlo ? MONTE_CARLO_TOLERANCE : EXACT_TOLERANCE);
        final double end = steps.length == 0 ? 0.0 : problem.time(steps[steps.length - 1]);
        final String integratorName;
        final ODEIntegrator integrator;
        if (options.fixedStep() > 0.0)
        {
            integrator = new ClassicalRungeKuttaIntegrator(options.fixedStep());
            integratorName = "classical RK4, fixed dt = " + options.fixedStep() + " (Hipparchus)";
        }
        else
        {
            integrator = new DormandPrince853Integrator(1e-12 * Math.max(1.0, end), Math.max(end, 1e-300),
                tolerance, tolerance);
            integratorName = "Dormand-Prince 8(5,3) adaptive, relative = absolute tolerance " + tolerance + " (Hipparchus)";
        }
        final Reporter reporter = new Reporter(problem, fields, steps, width, k, points);
        String stopped = null;
        int index = 0;
        while (index < steps.length && steps[index] == 0)
        {
            // Step 0 is the state before training, as the run's first metrics row shows it.
            points.add(point(problem, fields, 0, m0, q0, trainsA ? model.secondLayer() : null));
            index++;
        }
        reporter.next = index;
        if (index < steps.length)
        {
            integrator.addStepHandler(reporter);
            try
            {
                integrator.integrate(equations, new ODEState(0.0, y0), end);
            }
            catch (final OverlapOde.Diverged ex)
            {
                stopped = ex.getMessage();
            }
            catch (final MathIllegalStateException ex)
            {
                stopped = "the integrator gave up (" + ex.getMessage() + ")"
                    + (monteCarlo ? "; Monte Carlo expectations of a non-smooth activation: try a fixed step (--dt)" : "");
            }
        }
        final String text = (unitRows ? "renormalised ODE (online-sgd.md 3.3): dM_jr/dt = a_j E[e s'_j nu_r] - M_jr Phi_jj/2, "
            + "dQ_jl/dt = Phi_jl - Q_jl (Phi_jj + Phi_ll)/2, Phi_jl = " : "Saad-Solla ODE (online-sgd.md 3.2): "
            + "dM_jr/dt = a_j E[e s'_j nu_r], dQ_jl/dt = ")
            + "a_j E[e s'_j l_l] + a_l E[e s'_l l_j]"
            + (options.noiseTerms() ? " + (eta d/nb) a_j a_l (E[e^2 s'_j s'_l] + Delta E[s'_j s'_l])"
                : " (I4 term off: population gradient flow)")
            + (trainsA ? "; da_j/dt = (lr_a/lr) E[e s_j] (second layer trained)" : "")
            + "; t = steps * eta, eta = lr/p";
        return new TheoryCurve(problem, Method.ODE, reason, text, integratorName, fields.method(), points, stopped,
            equations.evaluations());
    }

    /** Records interpolated states at the report times as the integrator passes them. */
    private static final class Reporter implements ODEStepHandler
    {
        private final TheoryProblem problem;
        private final FieldExpectations fields;
        private final long[] steps;
        private final int width;
        private final int k;
        private final List<Point> points;
        private final double[] m;
        private final double[] q;
        private final double[] a;
        int next;

        Reporter(final TheoryProblem problem, final FieldExpectations fields, final long[] steps, final int width,
            final int k, final List<Point> points)
        {
            this.problem = problem;
            this.fields = fields;
            this.steps = steps;
            this.width = width;
            this.k = k;
            this.points = points;
            this.m = new double[width * k];
            this.q = new double[width * width];
            this.a = problem.trainsSecondLayer() ? new double[width] : null;
        }

        @Override
        public void handleStep(final ODEStateInterpolator interpolator)
        {
            final ODEStateAndDerivative current = interpolator.getCurrentState();
            final double now = current.getTime();
            while (next < steps.length)
            {
                final double t = problem.time(steps[next]);
                if (t > now)
                {
                    break;
                }
                // The last report time is the integration end, which the final step hits exactly.
                final double[] y = t == now ? current.getPrimaryState()
                    : interpolator.getInterpolatedState(t).getPrimaryState();
                System.arraycopy(y, 0, m, 0, width * k);
                for (int j = 0; j < width; j++)
                {
                    for (int l = 0; l < width; l++)
                    {
                        q[j * width + l] = 0.5 * (y[width * k + j * width + l] + y[width * k + l * width + j]);
                    }
                }
                points.add(point(problem, fields, steps[next], m, q, a == null ? null
                    : java.util.Arrays.copyOfRange(y, width * k + width * width, width * k + width * width + width)));
                next++;
            }
        }
    }

    private static Point point(final TheoryProblem problem, final FieldExpectations fields, final long step,
        final double[] m, final double[] q, final double[] a)
    {
        if (a != null)
        {
            fields.secondLayer(a);
        }
        return new Point(step, problem.time(step), m.clone(), q.clone(), fields.risk(m, q), a == null ? null : a.clone());
    }

    private static void normalizeRows(final double[] y, final int width, final int k)
    {
        final int qOff = width * k;
        final double[] norm = new double[width];
        for (int j = 0; j < width; j++)
        {
            norm[j] = Math.sqrt(y[qOff + j * width + j]);
        }
        for (int j = 0; j < width; j++)
        {
            for (int r = 0; r < k; r++)
            {
                y[j * k + r] /= norm[j];
            }
            for (int l = 0; l < width; l++)
            {
                y[qOff + j * width + l] /= norm[j] * norm[l];
            }
        }
    }

    private static boolean finite(final double[] v)
    {
        for (final double x : v)
        {
            if (!Double.isFinite(x))
            {
                return false;
            }
        }
        return true;
    }

    /** The reported points, in step order (fewer than asked if {@link #stopped()} is set). */
    public List<Point> points()
    {
        return points;
    }

    /** The problem that was integrated. */
    public TheoryProblem problem()
    {
        return problem;
    }

    /** The integrator actually used. */
    public Method method()
    {
        return method;
    }

    /** Why that integrator was used. */
    public String reason()
    {
        return reason;
    }

    /** The equations integrated, in one line. */
    public String equations()
    {
        return equations;
    }

    /** The numerical integrator and its step control / tolerance. */
    public String integrator()
    {
        return integrator;
    }

    /** How the expectations were computed ({@link FieldExpectations#method()}). */
    public String expectations()
    {
        return expectations;
    }

    /** Why the curve ends early (divergence), or null when every step was reached. */
    public String stopped()
    {
        return stopped;
    }

    /** Expectation evaluations used (right-hand sides or recursion steps). */
    public long evaluations()
    {
        return evaluations;
    }

    /** Everything a theory.json states about this curve, in insertion order. */
    public Map<String, Object> describe()
    {
        final Map<String, Object> d = new LinkedHashMap<>();
        d.put("method", method.configName());
        d.put("method_reason", reason);
        d.put("equations", equations);
        d.put("integrator", integrator);
        d.put("expectations", expectations);
        d.put("expectation_evaluations", evaluations);
        d.put("eta", problem.eta());
        d.put("noise_factor_eta_d_over_nb", problem.noiseFactor());
        d.put("time", "t = steps * eta, eta = learning-rate / p (unit-norm convention; = steps * gamma_SS / (p d) "
            + "in the sqrt(d) convention, gamma_SS = d * learning-rate)");
        d.put("stopped", stopped);
        return d;
    }
}
