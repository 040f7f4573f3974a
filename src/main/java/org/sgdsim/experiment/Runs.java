package org.sgdsim.experiment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.OrderParameters;

/** Runs one experiment into its folder: resolved config, metrics rows, summary. */
public final class Runs
{
    /** The parameterisation every number in a run's output uses (online-sgd.md §1.1). */
    public static final String CONVENTION =
        "unit-norm: ||w*_r|| = 1, lambda = w.x, M = W W*^T, Q = W W^T (no 1/d); "
            + "step w_j += (lr/(nb p)) sum_u a_j sigma'(lambda_j) e_u x_u";

    private Runs()
    {
    }

    /** A run in progress: its folder and the trainer that can be asked to stop. */
    public record Started(RunFolder folder, ReferenceTrainer trainer, RunModel model)
    {
    }

    /** Builds the model, creates the folder and writes config.conf; nothing is written if building fails. */
    public static Started start(final ExperimentSpec spec, final Path out, final PrintStream progress)
    {
        final RunModel model = RunModel.build(spec);
        final RunFolder folder = RunFolder.create(spec.outputDir(), spec.name(), out);
        folder.writeAtomically("config.conf", renderConfig(spec));
        final ReferenceTrainer trainer = new ReferenceTrainer(model, folder::appendMetricsLine, progress);
        return new Started(folder, trainer, model);
    }

    /** Runs a started run to its end, closes metrics.csv and writes summary.json. */
    public static RunResult finish(final Started started)
    {
        final RunResult result;
        try (RunFolder folder = started.folder())
        {
            result = started.trainer().run();
        }
        started.folder().writeAtomically("summary.json", Json.write(summary(started.model(), result)));
        return result;
    }

    /** The resolved config as HOCON, with the evaluated numbers as comments. */
    static String renderConfig(final ExperimentSpec spec)
    {
        final ExperimentSpec.Training t = spec.training();
        final StringBuilder out = new StringBuilder();
        out.append("# Resolved configuration of this run (sgdsim ").append(Version.get()).append(").\n");
        out.append("# Evaluated: d = ").append(spec.data().dim()).append(", k = ").append(spec.k())
            .append(", p = ").append(spec.student().width()).append(", nb = ").append(t.batchSize())
            .append(", learning-rate = ").append(t.learningRate())
            .append(", dataset-size = ").append(t.online() ? "online" : Integer.toString(t.datasetSize()))
            .append(", max-steps = ").append(budget(spec.stop().maxSteps()))
            .append(", max-samples = ").append(budget(spec.stop().maxSamples())).append('\n');
        final Config experiment = spec.resolved();
        out.append(experiment.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
            .setComments(false).setJson(false).setFormatted(true)));
        return out.toString();
    }

    private static String budget(final long v)
    {
        return v == Long.MAX_VALUE ? "none" : Long.toString(v);
    }

    /** The summary.json content. */
    static Map<String, Object> summary(final RunModel model, final RunResult r)
    {
        final ExperimentSpec spec = model.spec();
        final ExperimentSpec.Training t = spec.training();
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", spec.name());
        s.put("seed", spec.seed());
        s.put("steps", r.steps());
        s.put("samples", r.samples());
        s.put("wall_seconds", r.wallSeconds());
        s.put("reached", r.reached());
        s.put("threshold", spec.stop().when() == null ? null : spec.stop().when().describe());
        s.put("steps_to_threshold", r.reached() ? r.stepsToThreshold() : null);
        s.put("samples_to_threshold", r.reached() ? r.samplesToThreshold() : null);
        s.put("stop_reason", r.stopReason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
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
        final Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("d", spec.data().dim());
        resolved.put("k", spec.k());
        resolved.put("p", spec.student().width());
        resolved.put("target", spec.target().text());
        resolved.put("activation", spec.student().activation().name());
        resolved.put("rule", t.rule().configName());
        resolved.put("loss", t.loss().configName());
        resolved.put("normalization", t.normalization().configName());
        resolved.put("batch_size", t.batchSize());
        resolved.put("learning_rate", t.learningRate());
        resolved.put("repeats", t.repeats());
        resolved.put("rho", t.rho(spec.student().width(), spec.data().dim()));
        resolved.put("dataset_size", t.online() ? "online" : t.datasetSize());
        resolved.put("max_steps", spec.stop().maxSteps() == Long.MAX_VALUE ? null : spec.stop().maxSteps());
        resolved.put("max_samples", spec.stop().maxSamples() == Long.MAX_VALUE ? null : spec.stop().maxSamples());
        resolved.put("second_layer", model.student().secondLayer().clone());
        s.put("resolved", resolved);
        s.put("convention", CONVENTION);
        s.put("trainer", "reference (single thread)");
        s.put("sgdsim_version", Version.get());
        s.put("java_version", System.getProperty("java.version"));
        return s;
    }
}
