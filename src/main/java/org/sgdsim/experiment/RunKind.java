package org.sgdsim.experiment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.sgdsim.metrics.LiveRows;
import org.sgdsim.run.TrainingState;

/**
 * What a kind of run (online SGD, DFA, …) gives the engine: its model built from its spec, how its training starts
 * (fresh or from a checkpoint, through its stages or the reference loop), and what it reports. Run folders,
 * config.conf, checkpoints, resume, seeds, sweeps and summary.json are the engine's ({@link Runs}), written once.
 *
 * @param <S> the kind's spec.
 * @param <R> how one of its runs ended.
 */
public interface RunKind<S extends Experiment, R>
{
    /** The kind's name, as {@code experiment.kind} spells it. */
    String name();

    /** Builds one run's model; nothing is on disk yet, so a mistake here leaves nothing behind. */
    Model<R> build(S spec);

    /**
     * Plots of a sweep of this kind, drawn into {@code plots} from its runs: one map per run with the grid point
     * ({@code point}), each axis key's value label, {@code seed} and the run's summary.json figures (nested objects
     * flattened to {@code final.max_cos_1}). Returns lines for the command to print; none by default.
     */
    default List<String> sweepPlots(final List<Map<String, Object>> runs, final Path plots)
    {
        return List.of();
    }

    /** One run's model: its resolved config, its fit to a checkpoint, its training and its reports. */
    interface Model<R>
    {
        /** The text of config.conf: the resolved config, re-runnable with {@code ./sgdsim run}. */
        String renderConfig();

        /** The config the folder records (config.conf's keys, also written as config.json). */
        com.typesafe.config.Config recordedConfig();

        /** {@code result} with the stop reason the budget reports (stop.max-wall or a signal drained the run). */
        R reportStop(R result, WallBudget budget);

        /** Throws a {@link UserError} when {@code saved} was not written by a run of this model's config. */
        void checkFits(CheckpointStore.Saved saved, Path config);

        /** Files besides metrics.csv that a run starting over in its folder empties. */
        List<String> restartTruncates();

        /**
         * Starts training: rows go to {@code rows}, checkpoints to {@code checkpoint}; from {@code resumed} when not
         * null (the engine has cut metrics.csv back to it), else from the start.
         */
        Training<R> start(RunFolder folder, RunFolder.LineLog rows, Consumer<TrainingState> checkpoint,
            TrainingState resumed, PrintStream progress, boolean reference);

        /** summary.json of a run that ended with {@code result}. */
        Map<String, Object> summary(R result, Training<R> training);

        /** Files written after summary.json (theory.csv, plots), from the closed folder. */
        void afterSummary(R result, RunFolder folder);

        /** The command's one line for a run in {@code dir} that ended with {@code result}. */
        String oneLine(R result, Path dir);

        /** The figures of one seed of a seed set ({@code seeds.csv}): the first is the score averaged over seeds. */
        Map<String, Object> seedFigures(R result);
    }

    /** Training under way. */
    interface Training<R>
    {
        /** Drain: stop at the next point a checkpoint can be taken, then end normally. */
        void requestStop();

        /** Waits for the end (a failed stage surfaces as an exception). */
        R await();

        /** The run's live feed, or null for a training that has none. */
        default LiveRows live()
        {
            return null;
        }

        /** Which trainer ran (pipeline or reference) and, for the pipeline, its stage figures. */
        Map<String, Object> report();
    }
}
