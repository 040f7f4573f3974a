package org.sgdsim.experiment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import org.HdrHistogram.HistogramLogWriter;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.LiveRows;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.stream.PipelineResult;
import org.sgdsim.stream.PipelineRun;
import org.sgdsim.stream.PipelineSinks;
import org.sgdsim.stream.TrainingState;

/** Runs one experiment into its folder: resolved config, metrics rows, pipeline rows, latency log, summary. */
public final class Runs
{
    /** The parameterisation every number in a run's output uses (online-sgd.md §1.1). */
    public static final String CONVENTION =
        "unit-norm: ||w*_r|| = 1, lambda = w.x, M = W W*^T, Q = W W^T (no 1/d); "
            + "step w_j += (lr/(nb p)) sum_u a_j sigma'(lambda_j) e_u x_u";

    private Runs()
    {
    }

    /** A run under way: through the actor pipeline, or through the single-threaded reference loop. */
    public static final class Active
    {
        private final ExperimentSpec spec;
        private final RunModel model;
        private final RunFolder folder;
        private final PipelineRun pipeline;
        private final ReferenceTrainer reference;
        private final LiveRows live;

        private Active(final ExperimentSpec spec, final RunModel model, final RunFolder folder,
            final PipelineRun pipeline, final ReferenceTrainer reference, final LiveRows live)
        {
            this.live = live;
            this.spec = spec;
            this.model = model;
            this.folder = folder;
            this.pipeline = pipeline;
            this.reference = reference;
        }

        /** The run folder. */
        public Path dir()
        {
            return folder.dir();
        }

        /** The run's live feed (the last live.buffer-rows rows), or null for the reference loop. */
        public LiveRows live()
        {
            return live;
        }

        /** The spec being run. */
        public ExperimentSpec spec()
        {
            return spec;
        }

        /** Drain: stop after the current batch, then write everything (safe from a signal handler). */
        public void requestStop()
        {
            if (pipeline != null)
            {
                pipeline.requestStop();
            }
            else
            {
                reference.requestStop();
            }
        }

        /** Waits for the end, closes the logs and writes summary.json; a failed stage still closes the logs. */
        public RunResult finish()
        {
            final RunResult run;
            final Map<String, Object> latency;
            final Map<String, Object> stats;
            try (RunFolder f = folder)
            {
                if (pipeline != null)
                {
                    try (PipelineRun p = pipeline)
                    {
                        final PipelineResult r = p.await();
                        run = r.run();
                        latency = r.latency();
                        stats = r.pipeline();
                    }
                }
                else
                {
                    run = reference.run();
                    latency = null;
                    stats = null;
                }
            }
            folder.writeAtomically("summary.json", Json.write(summary(model, run, latency, stats,
                pipeline != null ? "pipeline (" + spec.generators() + " generators)" : "reference (single thread)")));
            if (spec.theory())
            {
                // The theory at the run's own row steps, up to where the run ended.
                final TheoryRun.Output theory = TheoryRun.compute(spec, TheoryRun.Settings.defaults(), run.steps());
                folder.writeAtomically("theory.csv", theory.csv());
                folder.writeAtomically("theory.json", Json.write(theory.summary()));
            }
            RunPlots.write(folder.dir(), spec.name());
            return run;
        }
    }

    /**
     * Builds the model, creates the folder, writes config.conf and starts the run; nothing is written if the
     * model cannot be built.
     *
     * @param reference run the single-threaded reference loop instead of the pipeline.
     */
    public static Active start(final ExperimentSpec spec, final Path out, final PrintStream progress,
        final boolean reference)
    {
        if (spec.theory())
        {
            TheoryRun.check(spec);
        }
        Footprint.online(spec).check(1);
        final RunModel model = RunModel.build(spec);
        final RunFolder folder = RunFolder.create(spec.outputDir(), spec.name(), out);
        folder.writeAtomically("config.conf", renderConfig(spec));
        if (reference)
        {
            return new Active(spec, model, folder, null,
                new ReferenceTrainer(model.plan(), folder.log("metrics.csv"), progress), null);
        }
        return launch(spec, model, folder, null, progress);
    }

    /**
     * Continues the run in {@code dir} from its newest valid checkpoint (through the pipeline): metrics.csv is cut
     * back to the length it had at that checkpoint, so the rows after it are redone exactly. Without any checkpoint
     * the run starts over in the same folder. {@code notes} gets one line per damaged checkpoint passed over.
     */
    public static Active resume(final Path dir, final PrintStream progress, final Consumer<String> notes)
    {
        return resume(dir, false, progress, notes);
    }

    /**
     * As {@link #resume(Path, PrintStream, Consumer)}; when checkpoints exist but none is intact, the run starts over
     * only with {@code restart} (otherwise a {@link UserError}, so days of rows are never dropped by accident).
     * Every check happens before anything in the folder changes; checkpoints passed over are renamed
     * {@code *.damaged}, kept for inspection and out of the way of the new ones.
     */
    public static Active resume(final Path dir, final boolean restart, final PrintStream progress,
        final Consumer<String> notes)
    {
        final RunFolder folder = RunFolder.existing(dir);
        final Path config = dir.resolve("config.conf");
        if (!Files.isRegularFile(config))
        {
            throw new UserError(dir + " is not a run folder: it has no config.conf");
        }
        final ExperimentSpec spec = ExperimentConfig.load(config, List.of(), null);
        final Path summary = dir.resolve("summary.json");
        if (Files.isRegularFile(summary) && !readString(summary).contains("\"stop_reason\": \"interrupted\""))
        {
            throw new UserError("run " + dir + " has finished (summary.json); nothing to resume");
        }
        Footprint.online(spec).check(1);
        final RunModel model = RunModel.build(spec);
        final Path metrics = dir.resolve("metrics.csv");
        final CheckpointStore.Saved saved = latestUsable(dir, spec.checkpoints().keep(), restart, notes, s ->
        {
            if (s.state().weights().length != model.student().weights().length)
            {
                throw new UserError("checkpoint " + s.file() + " does not fit " + config + ": it holds "
                    + s.state().weights().length + " first-layer weights, the configured student has "
                    + model.student().weights().length + " (was config.conf edited?)");
            }
        });
        truncate(metrics, saved == null ? 0 : saved.metricsBytes());
        if (saved == null)
        {
            truncate(dir.resolve("pipeline.csv"), 0);
            truncate(dir.resolve("latency.hlog"), 0);
        }
        deleteIfExists(summary);
        return launch(spec, model, folder, saved == null ? null : saved.state(), progress);
    }

    /**
     * The checkpoint a resume of the run in {@code dir} continues from: the newest that reads back intact and
     * refers to no more of metrics.csv than exists, or null to start over. Every check — none intact without
     * {@code restart}, {@code fits} (which throws a {@link UserError} when the checkpoint does not fit the run's
     * config) — happens before the folder changes; then the checkpoints passed over are set aside and
     * {@code notes} gets a line for each.
     */
    static CheckpointStore.Saved latestUsable(final Path dir, final int keep, final boolean restart,
        final Consumer<String> notes, final Consumer<CheckpointStore.Saved> fits)
    {
        final CheckpointStore store = new CheckpointStore(dir, keep);
        final Path metrics = dir.resolve("metrics.csv");
        final CheckpointStore.Choice choice = store.newestUsable(size(metrics));
        final CheckpointStore.Saved saved = choice.saved();
        if (saved == null && !choice.passedOver().isEmpty() && !restart)
        {
            throw new UserError("no intact checkpoint in " + dir + " (" + choice.passedOver().size()
                + " damaged: " + choice.reasons().get(0) + (choice.passedOver().size() > 1 ? ", …" : "")
                + "); 'sgdsim resume --restart' starts the run over");
        }
        if (saved != null)
        {
            fits.accept(saved);
        }
        choice.notes().forEach(notes);
        store.setAside(choice.passedOver());
        if (saved == null)
        {
            notes.accept("no valid checkpoint in " + dir + "; starting the run over");
        }
        return saved;
    }

    private static Active launch(final ExperimentSpec spec, final RunModel model, final RunFolder folder,
        final TrainingState resume, final PrintStream progress)
    {
        final RunFolder.LineLog rows = folder.log("metrics.csv");
        final CheckpointStore store = new CheckpointStore(folder.dir(), spec.checkpoints().keep());
        final HistogramLogWriter latency = new HistogramLogWriter(folder.stream("latency.hlog"));
        final LiveRows live = new LiveRows(spec.resolved().getInt("live.buffer-rows"));
        final PipelineSinks sinks = new PipelineSinks(rows, folder.log("pipeline.csv"), progress, latency,
            state -> store.save(state, rows.sync()), live);
        final Config pekko = spec.resolved().hasPath("pekko") ? spec.resolved().withOnlyPath("pekko") : ConfigFactory.empty();
        return new Active(spec, model, folder, PipelineRun.start(model.plan(resume), spec.generators(), sinks, pekko),
            null, live);
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static String readString(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new UserError("cannot read " + file + ": " + ex.getMessage());
        }
    }

    static void truncate(final Path file, final long length)
    {
        if (!Files.isRegularFile(file))
        {
            return;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE))
        {
            ch.truncate(length);
            ch.force(true);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot truncate " + file, ex);
        }
    }

    static void deleteIfExists(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot delete " + file, ex);
        }
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
            .append(", max-samples = ").append(budget(spec.stop().maxSamples()))
            .append(", generators = ").append(spec.generators()).append('\n');
        // With gd the batch is the dataset: leaving the default batch size out keeps config.conf re-runnable.
        final Config experiment = t.rule() == org.sgdsim.train.Rule.GD
            ? spec.resolved().withoutPath("training.batch-size") : spec.resolved();
        out.append(experiment.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
            .setComments(false).setJson(false).setFormatted(true)));
        return out.toString();
    }

    private static String budget(final long v)
    {
        return v == Long.MAX_VALUE ? "none" : Long.toString(v);
    }

    /** The summary.json content. */
    static Map<String, Object> summary(final RunModel model, final RunResult r, final Map<String, Object> latency,
        final Map<String, Object> pipeline, final String trainer)
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
        if (latency != null)
        {
            s.put("latency", latency);
        }
        if (pipeline != null)
        {
            s.put("pipeline", pipeline);
        }
        s.put("convention", CONVENTION);
        s.put("trainer", trainer);
        s.put("sgdsim_version", Version.get());
        s.put("java_version", System.getProperty("java.version"));
        return s;
    }
}
