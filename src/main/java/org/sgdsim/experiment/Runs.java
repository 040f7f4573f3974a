package org.sgdsim.experiment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.metrics.Json;
import org.sgdsim.metrics.LiveRows;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.run.TrainingState;

/**
 * The run engine: starts a run of any kind into its folder (config.conf, metrics.csv, summary.json and what the kind
 * writes), resumes one from its newest valid checkpoint, and waits for it. Everything here is the same for every
 * {@link RunKind}; what differs is the kind's.
 */
public final class Runs
{
    private Runs()
    {
    }

    /** A run under way, of kind {@code R}'s. */
    public static final class Active<R>
    {
        private final RunKind<?, R> kind;
        private final Experiment spec;
        private final RunKind.Model<R> model;
        private final RunFolder folder;
        private final RunKind.Training<R> training;
        private final WallBudget budget;
        private Map<String, Object> summary;

        private Active(final RunKind<?, R> kind, final Experiment spec, final RunKind.Model<R> model,
            final RunFolder folder, final RunKind.Training<R> training)
        {
            this.kind = kind;
            this.spec = spec;
            this.model = model;
            this.folder = folder;
            this.training = training;
            // Armed last: the timer thread may drain the run at once and must see every field.
            this.budget = WallBudget.arm(spec.resolved(), training::requestStop);
        }

        /** The run folder. */
        public Path dir()
        {
            return folder.dir();
        }

        /** The run's live feed (the last live.buffer-rows rows), or null when the kind or trainer has none. */
        public LiveRows live()
        {
            return training.live();
        }

        /** The spec being run. */
        public Experiment spec()
        {
            return spec;
        }

        /** The run's kind. */
        public RunKind<?, R> kind()
        {
            return kind;
        }

        /** This run as one of {@code expected}'s, or a {@link UserError} naming both kinds. */
        @SuppressWarnings("unchecked")
        public <T> Active<T> as(final RunKind<?, T> expected)
        {
            if (kind != expected)
            {
                throw new UserError(dir() + " holds a " + kind.name() + " run, not a " + expected.name() + " run");
            }
            return (Active<T>)this;
        }

        /** Drain: stop at the next checkpointable point, then write everything (safe from a signal handler). */
        public void requestStop()
        {
            budget.stop(RunResult.StopReason.INTERRUPTED);
        }

        /** Waits for the end, closes the logs, writes summary.json and what follows it; a failure still closes the logs. */
        public R finish()
        {
            final R result;
            try (RunFolder f = folder)
            {
                result = model.reportStop(training.await(), budget);
            }
            finally
            {
                budget.close();
            }
            summary = model.summary(result, training);
            folder.writeAtomically("summary.json", Json.write(summary));
            model.afterSummary(result, folder);
            return result;
        }

        /**
         * What {@link #finish()} wrote into summary.json, as the map it was written from (null before): a sweep reads
         * the run's record from it instead of parsing the file back.
         */
        public Map<String, Object> summary()
        {
            return summary;
        }

        /** The command's one line for this run's result. */
        public String oneLine(final R result)
        {
            return model.oneLine(result, dir());
        }

        /** The figures of this run as one seed of a seed set. */
        Map<String, Object> seedFigures(final R result)
        {
            return model.seedFigures(result);
        }
    }

    /**
     * A run of whatever kind {@code spec} is (online runs through the pipeline, or with {@code reference} the
     * single-threaded reference loop); {@link Active#as} gives it its kind's result type.
     */
    public static Active<?> start(final Experiment spec, final Path out, final PrintStream progress,
        final boolean reference)
    {
        return start(kindOf(spec), spec, out, progress, reference);
    }

    /** The spec's kind, typed for the engine's generic calls (every kind's spec names its own kind). */
    @SuppressWarnings("unchecked")
    private static <S extends Experiment> RunKind<S, ?> kindOf(final S spec)
    {
        return (RunKind<S, ?>)spec.kind();
    }

    /**
     * Builds the model, creates the folder, writes config.conf and starts the run; nothing is written if the
     * model cannot be built.
     */
    static <S extends Experiment, R> Active<R> start(final RunKind<S, R> kind, final S spec, final Path out,
        final PrintStream progress, final boolean reference)
    {
        Footprint.of(spec).check(1);
        final RunKind.Model<R> model = kind.build(spec);
        final RunFolder folder = RunFolder.create(spec.outputDir(), spec.name(), out)
            .durable(spec.resolved().getBoolean("output.fsync"));
        final ConfigTexts.Texts texts = ConfigTexts.of(model);
        folder.writeConfig(texts.hocon(), texts.json());
        return launch(kind, spec, model, folder, null, progress, reference);
    }

    /**
     * Continues the run in {@code dir} from its newest valid checkpoint (through the pipeline): metrics.csv is cut
     * back to the length it had at that checkpoint, so the rows after it are redone exactly. Without any checkpoint
     * the run starts over in the same folder. {@code notes} gets one line per damaged checkpoint passed over.
     */
    public static Active<?> resume(final Path dir, final PrintStream progress, final Consumer<String> notes)
    {
        return resume(dir, false, progress, notes);
    }

    /**
     * As {@link #resume(Path, PrintStream, Consumer)}; when checkpoints exist but none is intact, the run starts over
     * only with {@code restart} (otherwise a {@link UserError}, so days of rows are never dropped by accident).
     * Every check happens before anything in the folder changes; checkpoints passed over are renamed
     * {@code *.damaged}, kept for inspection and out of the way of the new ones.
     */
    public static Active<?> resume(final Path dir, final boolean restart, final PrintStream progress,
        final Consumer<String> notes)
    {
        return resume(dir, restart, List.of(), progress, notes);
    }

    /**
     * As {@link #resume(Path, boolean, PrintStream, Consumer)} with {@code --set} overrides of {@code stop.*} keys
     * (a fresh stop.max-wall, a longer budget), written into config.conf and config.json once every check passed.
     */
    public static Active<?> resume(final Path dir, final boolean restart, final List<String> stopOverrides,
        final PrintStream progress, final Consumer<String> notes)
    {
        final RunFolder folder = RunFolder.existing(dir);
        final Path config = dir.resolve("config.conf");
        if (!Files.isRegularFile(config))
        {
            throw new UserError(dir + " is not a run folder: it has no config.conf");
        }
        stopKeysOnly(stopOverrides);
        final Experiment spec = ExperimentConfig.loadRunFolder(config, stopOverrides);
        return resume(kindOf(spec), spec, folder, restart, !stopOverrides.isEmpty(), progress, notes);
    }

    private static <S extends Experiment, R> Active<R> resume(final RunKind<S, R> kind, final S spec,
        final RunFolder folder, final boolean restart, final boolean rewriteConfig, final PrintStream progress,
        final Consumer<String> notes)
    {
        final Path dir = folder.dir();
        folder.durable(spec.resolved().getBoolean("output.fsync"));
        final Path summary = dir.resolve("summary.json");
        if (finished(summary))
        {
            throw new UserError("run " + dir + " has finished (summary.json); nothing to resume");
        }
        Footprint.of(spec).check(1);
        final RunKind.Model<R> model = kind.build(spec);
        final CheckpointStore.Saved saved = latestUsable(dir, spec.checkpoints().keep(), restart, notes,
            s -> model.checkFits(s, dir.resolve("config.conf")));
        if (rewriteConfig)
        {
            folder.writeConfig(model.renderConfig(), ConfigTexts.json(model.recordedConfig()));
        }
        truncate(dir.resolve("metrics.csv"), saved == null ? 0 : saved.metricsBytes());
        if (saved == null)
        {
            for (final String file : model.restartTruncates())
            {
                truncate(dir.resolve(file), 0);
            }
        }
        deleteIfExists(summary);
        return launch(kind, spec, model, folder, saved == null ? null : saved.state(), progress, false);
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

    private static <R> Active<R> launch(final RunKind<?, R> kind, final Experiment spec,
        final RunKind.Model<R> model, final RunFolder folder, final org.sgdsim.run.TrainingState resumed,
        final PrintStream progress, final boolean reference)
    {
        final RunFolder.LineLog rows = folder.log("metrics.csv");
        final CheckpointStore store = new CheckpointStore(folder.dir(), spec.checkpoints().keep());
        return new Active<>(kind, spec, model, folder, model.start(folder, rows,
            state -> store.save(state, rows.sync()), resumed, progress, reference));
    }

    /** The experiment's {@code pekko} section (the process's actor-system settings), or an empty config. */
    public static Config pekko(final Experiment spec)
    {
        return spec.resolved().hasPath("pekko") ? spec.resolved().withOnlyPath("pekko") : ConfigFactory.empty();
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

    /** Refuses --set on resume for anything but stop.* keys: the rest of a run is fixed by its checkpoints. */
    static void stopKeysOnly(final List<String> overrides)
    {
        for (final String override : overrides)
        {
            ExperimentConfig.parseOverride(override);
            final String key = override.substring(0, override.indexOf('=')).trim();
            if (!key.startsWith("stop."))
            {
                throw new UserError("--set " + key + ": resume takes stop.* keys only (e.g. stop.max-wall=2h); the "
                    + "rest of a run is fixed by its config.conf and checkpoints");
            }
        }
    }

    /** True when {@code summary} exists and says the run ended (not interrupted, not stopped by stop.max-wall). */
    static boolean finished(final Path summary)
    {
        if (!Files.isRegularFile(summary))
        {
            return false;
        }
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"stop_reason\": \"([^\"]*)\"")
            .matcher(readString(summary));
        return !(m.find() && RunResult.StopReason.unfinished(m.group(1)));
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
}
