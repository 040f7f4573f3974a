package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.sgdsim.experiment.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.Runs;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Version;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.math.expr.ExpressionException;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.MetricsRow;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.theory.InitialOverlaps;
import org.sgdsim.theory.RowNormalization;
import org.sgdsim.theory.StudentTeacher;
import org.sgdsim.theory.TheoryCurve;
import org.sgdsim.theory.TheoryProblem;
import org.sgdsim.theory.WeakRecovery;
import org.sgdsim.train.Rule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sgdsim theory FILE}: the order-parameter theory of an experiment into theory.csv (the columns and rows of
 * metrics.csv) and theory.json; {@code sgdsim theory --thresholds TARGET}: the weak-learnability threshold α_c.
 */
@Command(name = "theory",
    description = {"Integrate the order-parameter theory of an experiment into theory.csv and theory.json,",
        "or print the weak-learnability threshold alpha_c of a target (--thresholds)."})
final class TheoryCommand implements java.util.concurrent.Callable<Integer>
{
    /** Above this many SGD steps the one-step recursion is refused (one expectation evaluation per step). */
    static final long MAX_RECURSION_STEPS = 100_000_000L;
    /** Above this many rows theory.csv is refused (it is built in memory before it is written). */
    static final int MAX_ROWS = 10_000_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Experiment file (HOCON), the same as for run.")
    private Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config key (repeatable).")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: <output.dir>/<name>-theory-<time>/); must be new or empty.")
    private Path out;

    @Option(names = "--thresholds", paramLabel = "TARGET", description = "Print alpha_c of a target expression in z1..zk and exit.")
    private String thresholds;

    @Option(names = "--integrator", paramLabel = "auto|ode|recursion",
        description = "auto (default): the ODE for batch size 1, the one-step recursion otherwise.")
    private String integrator = "auto";

    @Option(names = "--tolerance", paramLabel = "TOL", description = "Relative = absolute tolerance of the adaptive ODE integrator (default 1e-10; 1e-4 with Monte Carlo expectations).")
    private double tolerance;

    @Option(names = "--dt", paramLabel = "DT", description = "Fixed-step RK4 with this step in t instead of adaptive Dormand-Prince.")
    private double dt;

    @Option(names = "--initial", paramLabel = "seed|ideal", description = "seed (default): start from the run's own step-0 overlaps; ideal: the d -> infinity idealisation of student.init.")
    private String initial = "seed";

    @Option(names = "--no-noise-term", description = "Drop the I4 terms (eta d/nb -> 0): the population gradient flow.")
    private boolean population;

    @Override
    public Integer call()
    {
        if (thresholds != null)
        {
            if (file != null)
            {
                throw new UserError("theory: give either an experiment FILE or --thresholds TARGET, not both");
            }
            return printThreshold();
        }
        if (file == null)
        {
            throw new UserError("theory: expected an experiment FILE or --thresholds TARGET");
        }
        return writeTheory();
    }

    private int printThreshold()
    {
        final Expression target;
        try
        {
            target = Expression.parseTarget(thresholds);
        }
        catch (final ExpressionException ex)
        {
            throw new UserError("--thresholds: " + ex.getMessage());
        }
        if (target.arity() < 1)
        {
            throw new UserError("--thresholds: expected an expression in z1..zk, got '" + thresholds + "'");
        }
        final WeakRecovery.Result r;
        try
        {
            r = WeakRecovery.threshold(target);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError("--thresholds: " + ex.getMessage());
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final String value = r.kind() == WeakRecovery.Kind.HARD ? "infinity"
            : (r.kind() == WeakRecovery.Kind.TRIVIAL ? "0" : String.format(Locale.ROOT, "%.4f", r.alphaC()));
        stdout.println("alpha_c(" + target.text() + ") = " + value + "  [" + r.kind().name().toLowerCase(Locale.ROOT) + "]");
        stdout.println("method: " + r.method());
        stdout.flush();
        return 0;
    }

    private int writeTheory()
    {
        final long started = System.nanoTime();
        final ExperimentSpec experiment = ExperimentConfig.load(file, overrides, Main.applicationConf());
        final ExperimentSpec.Training t = experiment.training();
        if (t.rule() != Rule.SGD)
        {
            throw new UserError("training.rule: the theory covers rule sgd on fresh samples, got '"
                + t.rule().configName() + "'");
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
        final TheoryCurve.Method method;
        try
        {
            method = TheoryCurve.Method.parse(integrator);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError("--integrator: " + ex.getMessage());
        }
        if (!("seed".equals(initial) || "ideal".equals(initial)))
        {
            throw new UserError("--initial: expected seed or ideal, got '" + initial + "'");
        }
        if (!(tolerance >= 0.0) || !(dt >= 0.0))
        {
            throw new UserError("--tolerance and --dt: expected numbers > 0");
        }

        final int width = experiment.student().width();
        final int k = experiment.k();
        final int dim = experiment.data().dim();
        final double[] secondLayer = experiment.student().secondLayer().weights(width, experiment.seed());
        final StudentTeacher model = new StudentTeacher(experiment.target(), experiment.student().activation(),
            secondLayer, t.loss(), experiment.data().noise());
        final TheoryProblem problem = new TheoryProblem(model, RowNormalization.parse(t.normalization().configName()),
            t.learningRate(), t.batchSize(), dim);
        final InitialOverlaps.Initial start = "seed".equals(initial)
            ? InitialOverlaps.fromSeed(experiment.student().init(), experiment.target(), width, dim, experiment.seed())
            : InitialOverlaps.idealised(experiment.student().init(), width, k, dim);
        final long last = lastStep(experiment);
        final long[] steps = reportSteps(experiment.metrics().every(), last);
        final TheoryCurve.Options options = TheoryCurve.Options.defaults().withMethod(method).withTolerance(tolerance)
            .withFixedStep(dt).withNoiseTerms(!population)
            .withMonteCarlo(experiment.metrics().riskSamples(), experiment.seed());
        if (TheoryCurve.resolve(problem, method) == TheoryCurve.Method.RECURSION && last > MAX_RECURSION_STEPS)
        {
            throw new UserError("stop.max-steps: the one-step recursion maps every SGD step and " + last
                + " steps exceed " + MAX_RECURSION_STEPS + "; lower the budget or use --integrator ode");
        }
        final TheoryCurve curve;
        try
        {
            curve = TheoryCurve.compute(problem, start.m(), start.q(), steps, options);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError("student.init: the initial overlaps are not a valid covariance (" + ex.getMessage() + ")");
        }

        final MetricsRow format = new MetricsRow(width, k);
        final StringBuilder csv = new StringBuilder(format.header()).append('\n');
        final Threshold when = experiment.stop().when();
        TheoryCurve.Point reached = null;
        for (final TheoryCurve.Point p : curve.points())
        {
            final OrderParameters op = OrderParameters.of(width, k, p.m(), p.q());
            csv.append(format.format(p.step(), p.step() * t.batchSize(), 0.0, op, p.risk())).append('\n');
            if (when != null && reached == null && when.holds(op, p.risk()))
            {
                reached = p;
            }
        }

        final RunFolder folder = RunFolder.create(experiment.outputDir(), experiment.name() + "-theory", out);
        folder.writeAtomically("theory.csv", csv.toString());
        folder.writeAtomically("theory.json", Json.write(summary(experiment, problem, curve, start, when, reached,
            last, (System.nanoTime() - started) * 1e-9)));

        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("theory: " + curve.method().configName() + " (" + curve.reason() + "); " + curve.integrator()
            + "; expectations " + curve.expectations());
        final TheoryCurve.Point end = curve.points().isEmpty() ? null : curve.points().get(curve.points().size() - 1);
        stdout.println(folder.dir() + ": " + curve.points().size() + " rows to step "
            + (end == null ? 0 : end.step()) + (end == null ? "" : String.format(Locale.ROOT, " (t = %.6g), risk %.5g", end.time(), end.risk()))
            + (curve.stopped() != null ? ", stopped early: " + curve.stopped() : "")
            + (when != null ? (reached != null ? ", " + when.describe() + " from step " + reached.step()
                : ", " + when.describe() + " not reached") : ""));
        stdout.flush();
        return 0;
    }

    /** The run's last step: stop.max-steps, or the last step whose batch fits in stop.max-samples. */
    static long lastStep(final ExperimentSpec experiment)
    {
        final long bySamples = experiment.stop().maxSamples() == Long.MAX_VALUE ? Long.MAX_VALUE
            : experiment.stop().maxSamples() / experiment.training().batchSize();
        return Math.min(experiment.stop().maxSteps(), bySamples);
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
                throw new UserError("metrics.every: more than " + MAX_ROWS + " theory rows up to step " + last
                    + "; use a coarser schedule or a smaller budget");
            }
            s = schedule.nextAfter(s);
        }
        steps.add(last);
        return steps.stream().mapToLong(Long::longValue).toArray();
    }

    private static Map<String, Object> summary(final ExperimentSpec experiment, final TheoryProblem problem,
        final TheoryCurve curve, final InitialOverlaps.Initial start, final Threshold when,
        final TheoryCurve.Point reached, final long last, final double seconds)
    {
        final ExperimentSpec.Training t = experiment.training();
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", experiment.name());
        s.put("rows", curve.points().size());
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
        final Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("d", experiment.data().dim());
        resolved.put("k", experiment.k());
        resolved.put("p", experiment.student().width());
        resolved.put("target", experiment.target().text());
        resolved.put("activation", experiment.student().activation().name());
        resolved.put("loss", t.loss().configName());
        resolved.put("normalization", t.normalization().configName());
        resolved.put("batch_size", t.batchSize());
        resolved.put("learning_rate", t.learningRate());
        resolved.put("noise", experiment.data().noise());
        resolved.put("second_layer", problem.model().secondLayer());
        resolved.put("row_schedule", experiment.metrics().every().describe());
        s.put("resolved", resolved);
        s.put("columns", "as metrics.csv; wall_s = 0, samples = step * batch_size; the run's rows stop at "
            + "stop.when, theory rows go to the budget");
        s.put("convention", Runs.CONVENTION);
        s.put("wall_seconds", seconds);
        s.put("sgdsim_version", Version.get());
        return s;
    }
}
