package org.sgdsim.experiment.online;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import org.sgdsim.experiment.CheckpointStore;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.experiment.Runs;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Version;
import org.sgdsim.experiment.WallBudget;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.LatencyLog;
import org.sgdsim.metrics.LiveRows;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.run.ReferenceTrainer;
import org.sgdsim.run.TrainingState;
import org.sgdsim.stream.PipelineRun;
import org.sgdsim.stream.plane.PipelineResult;
import org.sgdsim.stream.plane.PipelineSinks;

/**
 * Online SGD ({@code experiment.kind = online}): a two-layer student learning from a stream of fresh Gaussian samples,
 * through the generator → batcher → learner → tracker stages or the reference loop; metrics.csv, pipeline.csv,
 * latency.hlog, theory.csv and the plots.
 */
public final class OnlineKind implements RunKind<ExperimentSpec, RunResult>
{
    /** The kind. */
    public static final OnlineKind KIND = new OnlineKind();

    /** The parameterisation every number in a run's output uses (online-sgd.md §1.1). */
    public static final String CONVENTION =
        "unit-norm: ||w*_r|| = 1, lambda = w.x, M = W W*^T, Q = W W^T (no 1/d); "
            + "step w_j += (lr/(nb p)) sum_u a_j sigma'(lambda_j) e_u x_u";

    /**
     * With {@code output.plots = auto}, runs shorter than this draw no PNG/SVG: drawing costs about a second of a
     * fresh JVM (fonts, rasteriser), more than a short run, whose few rows the dashboard or a notebook shows anyway.
     */
    static final double AUTO_PLOTS_SECONDS = 2.0;

    private OnlineKind()
    {
    }

    /** {@code output.plots}: true, false, or null for auto (plots for runs of at least {@link #AUTO_PLOTS_SECONDS}). */
    public static Boolean plots(final String value)
    {
        return switch (value)
        {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            case "auto" -> null;
            default -> throw new IllegalArgumentException("expected true, false or auto, got '" + value + "'");
        };
    }

    @Override
    public String name()
    {
        return "online";
    }

    @Override
    public Model<RunResult> build(final ExperimentSpec spec)
    {
        if (spec.execution().theory())
        {
            TheoryRun.check(spec);
        }
        final RunModel model = RunModel.build(spec);
        // The theory to the run's budget first, so a dashboard overlays it from the first row; afterSummary cuts it
        // back to the run's last row. A budget the integrator refuses leaves it to afterSummary, as before.
        TheoryRun.Output early = null;
        if (spec.execution().theory())
        {
            try
            {
                early = TheoryRun.compute(spec, TheoryRun.Settings.defaults(),
                    Math.min(TheoryRun.lastStep(spec), TheoryRun.MAX_RECURSION_STEPS));
            }
            catch (final UserError tooLong)
            {
                early = null;
            }
        }
        final org.sgdsim.giant.GiantSpec.Readout settings = org.sgdsim.giant.GiantConfig.onlineReadout(
            org.sgdsim.experiment.config.ExperimentConfig.reader(spec.resolved()), spec.data().dim(), spec.student().width(), spec.k());
        return new OnlineModel(spec, model, early, settings == null ? null : new EndReadout(spec, model, settings));
    }

    /**
     * The readout of an online run with {@code readout.enabled = true}: ridge fits of a on fresh samples for W0 (the
     * random-features baseline) and the trained W, and their feature spectra, computed once when summary.json is
     * written (the learner has finished with the student's weights by then); between them the fits the trainer took at
     * {@code readout.at-steps} ({@link #during}, null without).
     */
    private static final class EndReadout
    {
        private final org.sgdsim.giant.GiantSpec.Readout settings;
        private final org.sgdsim.metrics.FreshReadout fresh;
        private final org.sgdsim.model.TwoLayerNetwork initial;
        private final org.sgdsim.metrics.StepReadouts during;
        private List<org.sgdsim.metrics.FreshReadout.Errors> errors;
        private double[] before;
        private double[] after;
        private org.sgdsim.metrics.FeatureSpectrum.Outliers outliers;

        EndReadout(final ExperimentSpec spec, final RunModel model, final org.sgdsim.giant.GiantSpec.Readout settings)
        {
            this.settings = settings;
            this.fresh = new org.sgdsim.metrics.FreshReadout(model.teacher(), spec.seed(), spec.data().blockSize(),
                spec.data().gaussian(), settings.lambda(), settings.samples(), settings.testSamples());
            final org.sgdsim.model.TwoLayerNetwork s = model.student();
            this.initial = new org.sgdsim.model.TwoLayerNetwork(s.dim(), s.weights().clone(), s.secondLayer(),
                s.activation());
            this.during = settings.atSteps().isEmpty() ? null
                : new org.sgdsim.metrics.StepReadouts(fresh, settings.atSteps());
        }

        /** Fits and spectra at the end ({@code steps}), into {@code summary}. */
        synchronized void report(final org.sgdsim.model.TwoLayerNetwork trained, final long steps,
            final Map<String, Object> summary)
        {
            if (errors == null)
            {
                final List<org.sgdsim.metrics.FreshReadout.Errors> rows = new java.util.ArrayList<>();
                rows.add(fresh.fit(0, initial));
                if (during != null)
                {
                    // A listed 0 or last step is the same fit as the rows either side: one row each.
                    during.taken().stream().filter(e -> e.step() != 0 && e.step() != steps).forEach(rows::add);
                }
                rows.add(fresh.fit(steps, trained));
                errors = List.copyOf(rows);
                if (settings.spectrum())
                {
                    before = fresh.spectrum(initial);
                    after = fresh.spectrum(trained);
                    outliers = org.sgdsim.metrics.FeatureSpectrum.outliers(before, after, settings.margin());
                }
            }
            summary.put("lambda", settings.lambda());
            summary.put("readout_samples", settings.samples());
            summary.put("train_error", errors.get(errors.size() - 1).trainError());
            summary.put("test_error", errors.get(errors.size() - 1).testError());
            summary.put("rf_train_error", errors.get(0).trainError());
            summary.put("rf_test_error", errors.get(0).testError());
            if (outliers != null)
            {
                summary.put("outliers", outliers.outliers());
                summary.put("bulk_edge", outliers.edge());
                summary.put("structural_outliers", outliers.structural());
                summary.put("spectrum_margin", settings.margin());
            }
        }

        /** readout.csv and spectrum.csv, after summary.json. */
        synchronized void write(final RunFolder folder)
        {
            if (errors != null)
            {
                folder.writeAtomically("readout.csv", fresh.csv(errors));
            }
            if (outliers != null)
            {
                folder.writeAtomically("spectrum.csv", org.sgdsim.metrics.FreshReadout.spectrumCsv(before, after,
                    outliers));
            }
        }
    }

    /** One online run's model; {@code readout} is null without {@code readout.enabled = true}. */
    private record OnlineModel(ExperimentSpec spec, RunModel model, TheoryRun.Output early, EndReadout readout)
        implements Model<RunResult>
    {
        @Override
        public String renderConfig()
        {
            final ExperimentSpec.Training t = spec.training();
            final StringBuilder out = new StringBuilder();
            out.append("# Resolved configuration of this run (sgdsim ").append(Version.get()).append(").\n");
            out.append("# Evaluated: d = ").append(spec.data().dim()).append(", k = ").append(spec.k())
                .append(", p = ").append(spec.student().width()).append(", nb = ").append(t.batchSize())
                .append(", learning-rate = ").append(t.learningRate())
                .append(", dataset-size = ").append(t.online() ? "online" : Integer.toString(t.datasetSize()))
                .append(", max-steps = ").append(budget(spec.stop().maxSteps()))
                .append(", max-samples = ").append(budget(spec.stop().maxSamples()))
                .append(", generators = ").append(spec.execution().generators()).append('\n');
            out.append(recordedConfig().root().render(ConfigRenderOptions.defaults().setOriginComments(false)
                .setComments(false).setJson(false).setFormatted(true)));
            return out.toString();
        }

        @Override
        public Config recordedConfig()
        {
            // With gd the batch is the dataset: leaving the default batch size out keeps config.conf re-runnable.
            return spec.training().rule() == org.sgdsim.train.Rule.GD
                ? spec.resolved().withoutPath("training.batch-size") : spec.resolved();
        }

        @Override
        public RunResult reportStop(final RunResult result, final WallBudget budget)
        {
            return result.withStopReason(budget.report(result.stopReason()));
        }

        @Override
        public void checkFits(final CheckpointStore.Saved saved, final Path config)
        {
            if (saved.state().weights().length != model.student().weights().length)
            {
                throw new UserError("checkpoint " + saved.file() + " does not fit " + config + ": it holds "
                    + saved.state().weights().length + " first-layer weights, the configured student has "
                    + model.student().weights().length + " (was config.conf edited?)");
            }
            final ExperimentSpec.Training t = spec.training();
            if (t.trainsSecondLayer() && saved.state().secondLayer() == null)
            {
                throw new UserError("checkpoint " + saved.file() + " holds no second layer (written before checkpoints "
                    + "held a trained a), so the run cannot resume from it exactly; run it again");
            }
            if (t.lossSwitch() != null && !saved.holdsLossSwitch())
            {
                throw new UserError("checkpoint " + saved.file() + " does not say whether the adaptive loss had switched "
                    + "(written before checkpoints held it), so the run cannot resume from it exactly; run it again");
            }
        }

        @Override
        public List<String> restartTruncates()
        {
            return List.of("pipeline.csv", "latency.hlog");
        }

        @Override
        public Training<RunResult> start(final RunFolder folder, final RunFolder.LineLog rows,
            final Consumer<TrainingState> checkpoint, final TrainingState resumed, final PrintStream progress,
            final boolean reference)
        {
            if (early != null)
            {
                folder.writeAtomically("theory.csv", early.csv());
            }
            final org.sgdsim.run.RunPlan plan = model.plan(resumed)
                .withReadouts(readout == null ? null : readout.during);
            if (reference)
            {
                return new ReferenceTraining(new ReferenceTrainer(plan, rows, progress));
            }
            final LatencyLog latency = new LatencyLog(folder.stream("latency.hlog"));
            final LiveRows live = new LiveRows(spec.resolved().getInt("live.buffer-rows"));
            final PipelineSinks sinks = new PipelineSinks(rows, folder.log("pipeline.csv"), progress, latency,
                checkpoint, live);
            return new PipelineTraining(PipelineRun.start(plan, spec.execution().generators(), sinks,
                Runs.pekko(spec)), live, spec.execution().generators());
        }

        @Override
        public Map<String, Object> summary(final RunResult r, final Training<RunResult> training)
        {
            final ExperimentSpec.Training t = spec.training();
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", spec.name());
            s.put("seed", spec.seed());
            s.put("gaussian", spec.data().gaussian().key());
            s.put("steps", r.steps());
            s.put("samples", r.samples());
            s.put("wall_seconds", r.wallSeconds());
            s.put("reached", r.reached());
            s.put("threshold", spec.stop().when() == null ? null : spec.stop().when().describe());
            s.put("steps_to_threshold", r.reached() ? r.stepsToThreshold() : null);
            s.put("samples_to_threshold", r.reached() ? r.samplesToThreshold() : null);
            s.put("stop_reason", r.stopReason().configName());
            final Map<String, Object> last = new LinkedHashMap<>();
            final OrderParameters op = r.finalOverlaps();
            for (int c = 0; c < op.k(); c++)
            {
                last.put("max_cos_" + (c + 1), op.maxCos(c));
            }
            last.put("risk", r.finalRisk());
            last.put("test_loss", r.finalRisk() + spec.data().noise() / 2);
            last.put("M", op.mMatrix().clone());
            last.put("Q", op.qMatrix().clone());
            s.put("final", last);
            s.put("risk_method", model.risk().method());
            final Map<String, Object> resolved = spec.describeModel();
            resolved.put("repeats", t.repeats());
            resolved.put("rho", t.rho(spec.student().width(), spec.data().dim()));
            resolved.put("dataset_size", t.online() ? "online" : t.datasetSize());
            resolved.put("max_steps", spec.stop().maxSteps() == Long.MAX_VALUE ? null : spec.stop().maxSteps());
            resolved.put("max_samples", spec.stop().maxSamples() == Long.MAX_VALUE ? null : spec.stop().maxSamples());
            resolved.put("second_layer", model.student().secondLayer().clone());
            s.put("resolved", resolved);
            final Map<String, Object> report = training.report();
            if (report.get("latency") != null)
            {
                s.put("latency", report.get("latency"));
            }
            if (report.get("pipeline") != null)
            {
                s.put("pipeline", report.get("pipeline"));
            }
            if (readout != null)
            {
                readout.report(model.student(), r.steps(), s);
            }
            s.put("convention", CONVENTION);
            s.put("trainer", report.get("trainer"));
            s.put("sgdsim_version", Version.get());
            s.put("java_version", System.getProperty("java.version"));
            return s;
        }

        @Override
        public void afterSummary(final RunResult result, final RunFolder folder)
        {
            if (readout != null)
            {
                readout.write(folder);
            }
            if (spec.execution().theory())
            {
                // The theory at the run's own row steps, up to where the run ended: the one written at the start,
                // cut back, when the run ended on one of its rows; else computed to the run's last step.
                final TheoryRun.Output cut = early == null ? null : TheoryRun.cut(spec, early, result.steps());
                final TheoryRun.Output theory = cut != null ? cut
                    : TheoryRun.compute(spec, TheoryRun.Settings.defaults(), result.steps());
                folder.writeAtomically("theory.csv", theory.csv());
                folder.writeAtomically("theory.json", Json.write(theory.summary()));
            }
            final Boolean plots = plots(String.valueOf(spec.resolved().getValue("output.plots").unwrapped()));
            if (plots == null ? result.wallSeconds() >= AUTO_PLOTS_SECONDS : plots)
            {
                RunPlots.write(folder.dir(), spec.name());
            }
        }

        @Override
        public String oneLine(final RunResult r, final Path dir)
        {
            final StringBuilder s = new StringBuilder();
            s.append(dir).append(": ").append(r.steps()).append(" steps, ").append(r.samples()).append(" samples, ");
            for (int c = 0; c < r.finalOverlaps().k(); c++)
            {
                s.append(String.format("max_cos_%d %.4f, ", c + 1, r.finalOverlaps().maxCos(c)));
            }
            s.append(String.format("risk %.5g, %.1f s", r.finalRisk(), r.wallSeconds()));
            if (spec.stop().when() != null)
            {
                s.append(r.reached()
                    ? String.format(", reached %s at step %d (%d samples)", spec.stop().when().describe(),
                        r.stepsToThreshold(), r.samplesToThreshold())
                    : ", threshold not reached");
            }
            s.append(" [").append(r.stopReason().configName()).append(']');
            return s.toString();
        }

        @Override
        public Map<String, Object> seedFigures(final RunResult r)
        {
            final Map<String, Object> f = new LinkedHashMap<>();
            if (spec.stop().when() != null)
            {
                f.put("steps_to_threshold", r.reached() ? (double)r.stepsToThreshold() : Double.NaN);
            }
            for (int c = 0; c < r.finalOverlaps().k(); c++)
            {
                f.put("max_cos_" + (c + 1), r.finalOverlaps().maxCos(c));
            }
            f.put("risk", r.finalRisk());
            f.put("steps", r.steps());
            f.put("samples", r.samples());
            f.put("wall_s", r.wallSeconds());
            return f;
        }

        private static String budget(final long v)
        {
            return v == Long.MAX_VALUE ? "none" : Long.toString(v);
        }
    }

    /** Training through the actor pipeline. */
    private static final class PipelineTraining implements Training<RunResult>
    {
        private final PipelineRun run;
        private final LiveRows live;
        private final Map<String, Object> report = new LinkedHashMap<>();

        PipelineTraining(final PipelineRun run, final LiveRows live, final int generators)
        {
            this.run = run;
            this.live = live;
            report.put("trainer", "pipeline (" + generators + " generators)");
        }

        @Override
        public void requestStop()
        {
            run.requestStop();
        }

        @Override
        public RunResult await()
        {
            try (PipelineRun p = run)
            {
                final PipelineResult r = p.await();
                report.put("latency", r.latency());
                report.put("pipeline", r.pipeline());
                return r.run();
            }
        }

        @Override
        public LiveRows live()
        {
            return live;
        }

        @Override
        public Map<String, Object> report()
        {
            return report;
        }
    }

    /** Training through the single-threaded reference loop (the oracle), run by {@link #await}. */
    private record ReferenceTraining(ReferenceTrainer trainer) implements Training<RunResult>
    {
        @Override
        public void requestStop()
        {
            trainer.requestStop();
        }

        @Override
        public RunResult await()
        {
            return trainer.run();
        }

        @Override
        public Map<String, Object> report()
        {
            return Map.of("trainer", "reference (single thread)");
        }
    }
}
