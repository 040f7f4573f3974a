package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.online.TheoryRun;
import org.sgdsim.experiment.UserError;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.math.expr.ExpressionException;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.theory.TheoryCurve;
import org.sgdsim.theory.WeakRecovery;
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
        final ExperimentSpec experiment = ExperimentConfig.load(file, overrides, Main.applicationConf());
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
        TheoryRun.check(experiment);
        org.sgdsim.experiment.Footprint.theory(experiment, TheoryRun.lastStep(experiment)).check(1);
        final TheoryRun.Output theory = TheoryRun.compute(experiment,
            new TheoryRun.Settings(method, tolerance, dt, "ideal".equals(initial), !population),
            TheoryRun.lastStep(experiment));
        final TheoryCurve curve = theory.curve();
        final RunFolder folder = RunFolder.create(experiment.outputDir(), experiment.name() + "-theory", out);
        folder.writeAtomically("theory.csv", theory.csv());
        folder.writeAtomically("theory.json", Json.write(theory.summary()));

        final Threshold when = experiment.stop().when();
        final TheoryCurve.Point reached = theory.reached();
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
}
