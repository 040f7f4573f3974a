package org.sgdsim.experiment.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Version;
import org.sgdsim.metrics.MetricsRow;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.theory.InitialOverlaps;
import org.sgdsim.theory.StudentTeacher;
import org.sgdsim.theory.TheoryCurve;
import org.sgdsim.theory.TheoryProblem;
import org.sgdsim.train.Rule;

/**
 * The theory of an experiment as files: theory.csv (the columns and row steps of metrics.csv) and theory.json.
 * Used by {@code sgdsim theory} and by {@code run} with {@code theory.enabled = true}.
 */
public final class TheoryRun
{
    /** Above this many SGD steps the one-step recursion is refused (one expectation evaluation per step). */
    public static final long MAX_RECURSION_STEPS = 100_000_000L;
    /** Above this many rows theory.csv is refused (it is built in memory before it is written). */
    public static final int MAX_ROWS = 10_000_000;

    private TheoryRun()
    {
    }

    /** How to integrate: method, tolerance (0 = default), fixed RK4 step (0 = adaptive), idealised start, I4 terms. */
    public record Settings(TheoryCurve.Method method, double tolerance, double dt, boolean ideal, boolean noiseTerms)
    {
        /** What {@code run} uses: automatic method, default tolerance, the run's own initial overlaps. */
        public static Settings defaults()
        {
            return new Settings(TheoryCurve.Method.AUTO, 0.0, 0.0, false, true);
        }
    }

    /**
     * The computed curve, theory.csv's text, theory.json's content, the first row where stop.when holds, and what
     * it was computed from.
     */
    public record Output(TheoryCurve curve, String csv, Map<String, Object> summary, TheoryCurve.Point reached,
        TheoryProblem problem, InitialOverlaps.Initial start)
    {
    }

    /** Fails with a one-line UserError when the theory does not cover this experiment. */
    public static void check(final ExperimentSpec experiment)
    {
        final ExperimentSpec.Training t = experiment.training();
        if (t.rule() != Rule.SGD)
        {
            throw new UserError("training.rule: the theory covers rule sgd on fresh samples, got '"
                + t.rule().configName() + "'");
        }
        if (!t.loss().linearInLabel() && experiment.data().noise() != 0.0)
        {
            throw new UserError("training.loss: the theory covers the " + t.loss().configName()
                + " loss without label noise (data.noise = 0), got data.noise = " + experiment.data().noise());
        }
        if (t.repeats() != 1)
        {
            throw new UserError("training.repeats: the theory covers one step per fresh batch (repeats = 1), got "
                + t.repeats());
        }
        if (!t.online())
        {
            throw new UserError("training.dataset-size: the theory covers online training (dataset-size = online), got "
                + t.datasetSize());
        }
    }

    /** The theory of {@code experiment} up to step {@code last}, at the steps its metrics rows would have. */
    public static Output compute(final ExperimentSpec experiment, final Settings settings, final long last)
    {
        final long started = System.nanoTime();
        check(experiment);
        final ExperimentSpec.Training t = experiment.training();
        final int width = experiment.student().width();
        final int k = experiment.k();
        final int dim = experiment.data().dim();
        final double[] secondLayer = experiment.student().secondLayer().weights(width, experiment.seed());
        final StudentTeacher model = new StudentTeacher(experiment.target(), experiment.student().activation(),
            secondLayer, t.loss(), experiment.data().noise());
        final TheoryProblem problem = new TheoryProblem(model, t.normalization(),
            t.learningRate(), t.batchSize(), dim, t.secondLayerRate());
        final InitialOverlaps.Initial start = settings.ideal()
            ? InitialOverlaps.idealised(experiment.student().init(), width, k, dim)
            : InitialOverlaps.fromSeed(experiment.student().init(), experiment.target(), width, dim, experiment.seed());
        final long[] steps = reportSteps(experiment.metrics().every(), last);
        final TheoryCurve.Options options = TheoryCurve.Options.defaults().withMethod(settings.method())
            .withTolerance(settings.tolerance()).withFixedStep(settings.dt()).withNoiseTerms(settings.noiseTerms())
            .withMonteCarlo(experiment.metrics().riskSamples(), experiment.seed());
        if ((t.lossSwitch() != null || TheoryCurve.resolve(problem, settings.method()) == TheoryCurve.Method.RECURSION)
            && last > MAX_RECURSION_STEPS)
        {
            throw new UserError("stop.max-steps: the one-step recursion maps every SGD step and " + last
                + " steps exceed " + MAX_RECURSION_STEPS + "; lower the budget or use --integrator ode");
        }
        final TheoryCurve curve;
        try
        {
            final Threshold lossSwitch = t.lossSwitch();
            curve = TheoryCurve.compute(problem, start.m(), start.q(), steps, options, lossSwitch == null ? null
                : p -> lossSwitch.holds(overlaps(p, width, k), p.risk()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError("student.init: the initial overlaps are not a valid covariance (" + ex.getMessage() + ")");
        }
        return output(experiment, problem, start, curve, curve.points(), last, (System.nanoTime() - started) * 1e-9);
    }

    /**
     * The rows of {@code full} (computed to a later step) up to step {@code last}, as {@link #compute} to
     * {@code last} gives them, when {@code last} is one of its row steps; null otherwise (then compute again).
     */
    public static Output cut(final ExperimentSpec experiment, final Output full, final long last)
    {
        final List<TheoryCurve.Point> kept = new ArrayList<>();
        for (final TheoryCurve.Point p : full.curve().points())
        {
            if (p.step() <= last)
            {
                kept.add(p);
            }
        }
        if (kept.isEmpty() || kept.get(kept.size() - 1).step() != last)
        {
            return null;
        }
        final Object seconds = full.summary().get("wall_seconds");
        return output(experiment, full.problem(), full.start(), full.curve(), kept, last,
            seconds instanceof Double d ? d : 0.0);
    }

    private static Output output(final ExperimentSpec experiment, final TheoryProblem problem,
        final InitialOverlaps.Initial start, final TheoryCurve curve, final List<TheoryCurve.Point> points,
        final long last, final double seconds)
    {
        final int width = experiment.student().width();
        final int k = experiment.k();
        final MetricsRow format = new MetricsRow(width, k, experiment.training().trainsSecondLayer());
        final StringBuilder csv = new StringBuilder(format.header()).append('\n');
        final Threshold when = experiment.stop().when();
        TheoryCurve.Point reached = null;
        for (final TheoryCurve.Point p : points)
        {
            final OrderParameters op = overlaps(p, width, k);
            csv.append(format.format(p.step(), p.step() * experiment.training().batchSize(), 0.0, op, p.risk()))
                .append('\n');
            if (when != null && reached == null && when.holds(op, p.risk()))
            {
                reached = p;
            }
        }
        return new Output(curve, csv.toString(), summary(experiment, problem, curve, points.size(), start, when,
            reached, last, seconds), reached, problem, start);
    }

    private static OrderParameters overlaps(final TheoryCurve.Point p, final int width, final int k)
    {
        final OrderParameters op = OrderParameters.of(width, k, p.m(), p.q());
        if (p.a() != null)
        {
            System.arraycopy(p.a(), 0, op.trackSecondLayer().secondLayer(), 0, width);
        }
        return op;
    }

    /** The run's last step: stop.max-steps, or the last step whose batch fits in stop.max-samples. */
    public static long lastStep(final ExperimentSpec experiment)
    {
        final long bySamples = experiment.stop().maxSamples() == Long.MAX_VALUE ? Long.MAX_VALUE
            : experiment.stop().maxSamples() / experiment.training().batchSize();
        return Math.min(experiment.stop().maxSteps(), bySamples);
    }

    /** The refusal of a theory with more than {@link #MAX_ROWS} rows up to step {@code last}. */
    public static UserError tooManyRows(final long last)
    {
        return new UserError("metrics.every: more than " + MAX_ROWS + " theory rows up to step " + last
            + "; use a coarser schedule or a smaller budget");
    }

    /** The steps that get a metrics row in a run that goes to {@code last}: the schedule, then the final step. */
    static long[] reportSteps(final RowSchedule schedule, final long last)
    {
        final List<Long> steps = new ArrayList<>();
        long s = 0;
        while (s < last)
        {
            steps.add(s);
            if (steps.size() > MAX_ROWS)
            {
                throw tooManyRows(last);
            }
            s = schedule.nextAfter(s);
        }
        steps.add(last);
        return steps.stream().mapToLong(Long::longValue).toArray();
    }

    private static Map<String, Object> summary(final ExperimentSpec experiment, final TheoryProblem problem,
        final TheoryCurve curve, final int rows, final InitialOverlaps.Initial start, final Threshold when,
        final TheoryCurve.Point reached, final long last, final double seconds)
    {
        final ExperimentSpec.Training t = experiment.training();
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", experiment.name());
        s.put("rows", rows);
        s.put("last_step", last);
        s.put("theory", curve.describe());
        final Map<String, Object> init = new LinkedHashMap<>();
        init.put("source", start.source());
        init.put("M0", start.m().clone());
        init.put("Q0", start.q().clone());
        s.put("initial", init);
        if (when != null)
        {
            final Map<String, Object> threshold = new LinkedHashMap<>();
            threshold.put("condition", when.describe());
            threshold.put("first_row_step", reached == null ? null : reached.step());
            threshold.put("first_row_samples", reached == null ? null : reached.step() * t.batchSize());
            s.put("threshold", threshold);
        }
        final Map<String, Object> resolved = experiment.describeModel();
        resolved.put("noise", experiment.data().noise());
        resolved.put("second_layer", problem.model().secondLayer());
        resolved.put("row_schedule", experiment.metrics().every().describe());
        s.put("resolved", resolved);
        s.put("columns", "as metrics.csv; wall_s = 0, samples = step * batch_size; the run's rows stop at "
            + "stop.when, theory rows go to the budget");
        s.put("convention", OnlineKind.CONVENTION);
        s.put("wall_seconds", seconds);
        s.put("sgdsim_version", Version.get());
        return s;
    }
}
