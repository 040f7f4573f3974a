package org.sgdsim.giant;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.typesafe.config.Config;
import org.sgdsim.experiment.CheckpointStore;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Version;
import org.sgdsim.experiment.WallBudget;
import org.sgdsim.metrics.FeatureSpectrum;
import org.sgdsim.metrics.FreshReadout;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.run.TrainingState;

/**
 * Giant steps ({@code experiment.kind = giant-step}): T full-batch steps on W, then ridge readouts and feature spectra
 * ({@link GiantSteps}). Writes metrics.csv (max_cos per direction after each step), readout.csv, spectrum.csv and,
 * unless output.plots = false, spectrum.png. A run takes seconds and no checkpoint: resume starts it over.
 */
public final class GiantKind implements RunKind<GiantSpec, GiantKind.Result>
{
    /** {@code experiment.kind} of this kind. */
    public static final String NAME = "giant-step";
    /** The kind. */
    public static final GiantKind KIND = new GiantKind();

    private GiantKind()
    {
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Model<Result> build(final GiantSpec spec)
    {
        return new GiantModel(spec);
    }

    @Override
    public List<String> sweepPlots(final List<Map<String, Object>> runs, final Path plots)
    {
        return StaircasePlot.write(runs, plots);
    }

    /**
     * How a giant-step run ended.
     *
     * @param spec       the experiment.
     * @param steps      steps taken.
     * @param samples    training samples drawn.
     * @param overlaps   max_cos per direction after each step (row 0: W0).
     * @param readouts   the readouts, by step (step 0 is the random-features baseline).
     * @param before     feature-covariance eigenvalues at W0 (largest first), or null without spectra.
     * @param after      the same at the last W, or null.
     * @param outliers   the outliers of {@code after} against {@code before}, or null.
     * @param stopReason steps, diverged, interrupted or max-wall.
     * @param wall       seconds of the protocol.
     * @param fresh      the readout's samples (readout.csv's λ and n_r).
     */
    public record Result(GiantSpec spec, int steps, long samples, double[][] overlaps,
        List<FreshReadout.Errors> readouts, double[] before, double[] after, FeatureSpectrum.Outliers outliers,
        String stopReason, double wall, FreshReadout fresh)
    {
        /** The readout at the last step taken, or null (a run stopped before it). */
        public FreshReadout.Errors last()
        {
            return readouts.isEmpty() || readouts.get(readouts.size() - 1).step() != steps ? null
                : readouts.get(readouts.size() - 1);
        }

        /** The random-features readout (no step), or null. */
        public FreshReadout.Errors baseline()
        {
            return readouts.isEmpty() || readouts.get(0).step() != 0 ? null : readouts.get(0);
        }

        Result withStopReason(final String reason)
        {
            return new Result(spec, steps, samples, overlaps, readouts, before, after, outliers, reason, wall, fresh);
        }
    }

    /** Runs the protocol of {@code spec} into the rows sink; {@code stop} is polled between steps. */
    static Result run(final GiantSpec spec, final Consumer<CharSequence> rows, final java.util.function.BooleanSupplier stop,
        final PrintStream progress)
    {
        final long t0 = System.nanoTime();
        final GiantSteps g = new GiantSteps(spec);
        final int k = spec.k();
        final StringBuilder header = new StringBuilder("step,samples,wall_s");
        for (int c = 1; c <= k; c++)
        {
            header.append(",max_cos_").append(c);
        }
        rows.accept(header);
        final TreeSet<Integer> readoutSteps = new TreeSet<>(spec.readout().atSteps());
        readoutSteps.add(0);
        readoutSteps.add(spec.steps().count());
        final List<double[]> overlaps = new ArrayList<>();
        final List<FreshReadout.Errors> readouts = new ArrayList<>();
        String reason = "steps";
        overlaps.add(g.overlaps());
        rows.accept(row(g, overlaps.get(0), t0));
        final double[] before = spec.readout().spectrum() ? g.spectrum() : null;
        while (true)
        {
            if (readoutSteps.contains(g.steps()))
            {
                readouts.add(g.readout());
                if (progress != null)
                {
                    final FreshReadout.Errors r = readouts.get(readouts.size() - 1);
                    progress.println(String.format(Locale.ROOT, "%s: readout at step %d: train %.4g, test %.4g",
                        spec.name(), r.step(), r.trainError(), r.testError()));
                }
            }
            if (g.steps() == spec.steps().count())
            {
                break;
            }
            if (stop.getAsBoolean())
            {
                reason = RunResult.StopReason.INTERRUPTED.configName();
                break;
            }
            g.step();
            overlaps.add(g.overlaps());
            rows.accept(row(g, overlaps.get(overlaps.size() - 1), t0));
            if (!g.finite())
            {
                reason = RunResult.StopReason.DIVERGED.configName();
                break;
            }
        }
        double[] after = null;
        FeatureSpectrum.Outliers outliers = null;
        if (before != null && reason.equals("steps"))
        {
            after = g.spectrum();
            outliers = FeatureSpectrum.outliers(before, after, spec.readout().margin());
        }
        return new Result(spec, g.steps(), g.samples(), overlaps.toArray(new double[0][]), readouts, before, after,
            outliers, reason, (System.nanoTime() - t0) * 1e-9, g.fresh());
    }

    private static String row(final GiantSteps g, final double[] overlaps, final long t0)
    {
        final StringBuilder s = new StringBuilder();
        s.append(g.steps()).append(',').append(g.samples()).append(',')
            .append(String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) * 1e-9));
        for (final double o : overlaps)
        {
            s.append(',').append(o);
        }
        return s.toString();
    }

    /** One giant-step run's model. */
    private record GiantModel(GiantSpec spec) implements Model<Result>
    {
        @Override
        public String renderConfig()
        {
            return RunFolder.renderConfig(recordedConfig());
        }

        @Override
        public Config recordedConfig()
        {
            return spec.resolved();
        }

        @Override
        public Result reportStop(final Result result, final WallBudget budget)
        {
            return RunResult.StopReason.INTERRUPTED.configName().equals(result.stopReason())
                ? result.withStopReason(budget.report(RunResult.StopReason.INTERRUPTED).configName()) : result;
        }

        @Override
        public void checkFits(final CheckpointStore.Saved saved, final Path config)
        {
            throw new UserError("checkpoint " + saved.file() + ": giant-step runs take no checkpoints (was it copied "
                + "from another run?)");
        }

        @Override
        public List<String> restartTruncates()
        {
            return List.of("readout.csv", "spectrum.csv");
        }

        @Override
        public Training<Result> start(final RunFolder folder, final RunFolder.LineLog rows,
            final Consumer<TrainingState> checkpoint, final TrainingState resumed, final PrintStream progress,
            final boolean reference)
        {
            return new StepsTraining(spec, folder, rows, progress, reference);
        }

        @Override
        public Map<String, Object> summary(final Result r, final Training<Result> training)
        {
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", spec.name());
            s.put("kind", NAME);
            s.put("seed", spec.seed());
            s.put("gaussian", spec.data().gaussian().key());
            s.put("d", spec.data().dim());
            s.put("p", spec.student().width());
            s.put("k", spec.k());
            s.put("target", spec.target().text());
            s.put("activation", spec.student().activation().name());
            s.put("sampler", spec.data().sampler().configName());
            s.put("kappa", spec.steps().kappa());
            s.put("n", spec.steps().batchSize());
            s.put("batch", spec.steps().reuse() ? "reuse" : "fresh");
            s.put("loss", spec.steps().loss().configName());
            s.put("learning_rate", spec.steps().learningRate());
            s.put("steps", r.steps());
            s.put("samples", r.samples());
            s.put("stop_reason", r.stopReason());
            final FreshReadout.Errors last = r.last();
            final FreshReadout.Errors base = r.baseline();
            s.put("lambda", spec.readout().lambda());
            s.put("readout_samples", spec.readout().samples());
            s.put("train_error", last == null ? null : last.trainError());
            s.put("test_error", last == null ? null : last.testError());
            s.put("rf_train_error", base == null ? null : base.trainError());
            s.put("rf_test_error", base == null ? null : base.testError());
            final Map<String, Object> fin = new LinkedHashMap<>();
            final double[] o = r.overlaps()[r.overlaps().length - 1];
            for (int c = 0; c < o.length; c++)
            {
                fin.put("max_cos_" + (c + 1), o[c]);
            }
            s.put("final", fin);
            s.put("learned_above", spec.steps().learnedAbove());
            for (int c = 0; c < o.length; c++)
            {
                s.put("learned_" + (c + 1), o[c] >= spec.steps().learnedAbove());
            }
            final List<List<Double>> perStep = new ArrayList<>();
            for (final double[] step : r.overlaps())
            {
                perStep.add(Arrays.stream(step).boxed().toList());
            }
            s.put("max_cos_per_step", perStep);
            if (r.outliers() != null)
            {
                s.put("outliers", r.outliers().outliers());
                s.put("bulk_edge", r.outliers().edge());
                s.put("structural_outliers", r.outliers().structural());
                s.put("spectrum_margin", spec.readout().margin());
                s.put("top_eigenvalue_before", r.before()[0]);
                s.put("top_eigenvalue_after", r.after()[0]);
            }
            s.put("wall_seconds", r.wall());
            s.put("trainer", training.report().get("trainer"));
            s.put("sgdsim_version", Version.get());
            s.put("java_version", System.getProperty("java.version"));
            return s;
        }

        @Override
        public void afterSummary(final Result result, final RunFolder folder)
        {
            // readout.csv and spectrum.csv are written by the training; the plot is drawn from the closed folder
            if (result.after() != null && plots(spec.resolved()))
            {
                SpectrumPlot.write(result, folder.dir());
            }
        }

        @Override
        public String oneLine(final Result r, final Path dir)
        {
            final FreshReadout.Errors last = r.last();
            final FreshReadout.Errors base = r.baseline();
            final double[] o = r.overlaps()[r.overlaps().length - 1];
            return String.format(Locale.ROOT, "%s: %d step(s) at n = d^%.3g = %d, max_cos %s, test %s (no step %s)%s, "
                + "%.1f s [%s]", dir, r.steps(), spec.steps().kappa(), spec.steps().batchSize(), format(o),
                last == null ? "-" : String.format(Locale.ROOT, "%.4g", last.testError()),
                base == null ? "-" : String.format(Locale.ROOT, "%.4g", base.testError()),
                r.outliers() == null ? "" : ", " + r.outliers().outliers() + " spectral outlier(s)", r.wall(),
                r.stopReason());
        }

        @Override
        public Map<String, Object> seedFigures(final Result r)
        {
            final Map<String, Object> f = new LinkedHashMap<>();
            final FreshReadout.Errors last = r.last();
            f.put("test_error", last == null ? Double.NaN : last.testError());
            final FreshReadout.Errors base = r.baseline();
            f.put("rf_test_error", base == null ? Double.NaN : base.testError());
            final double[] o = r.overlaps()[r.overlaps().length - 1];
            for (int c = 0; c < o.length; c++)
            {
                f.put("max_cos_" + (c + 1), o[c]);
            }
            f.put("outliers", r.outliers() == null ? Double.NaN : r.outliers().outliers());
            f.put("training_s", r.wall());
            return f;
        }
    }

    private static String format(final double[] values)
    {
        final StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++)
        {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return s.append(']').toString();
    }

    /** True unless output.plots = false (a giant-step run's plot costs little next to its steps). */
    static boolean plots(final Config resolved)
    {
        return !"false".equals(String.valueOf(resolved.getValue("output.plots").unwrapped()));
    }

    /**
     * The protocol on the caller's thread, run by {@link #await}. The pipeline and the reference loop are this one
     * loop: its work is one pass over each batch and a p × p solve, with nothing for stages to overlap.
     */
    private static final class StepsTraining implements Training<Result>
    {
        private final GiantSpec spec;
        private final RunFolder folder;
        private final RunFolder.LineLog rows;
        private final PrintStream progress;
        private final boolean reference;
        private volatile boolean stopRequested;

        StepsTraining(final GiantSpec spec, final RunFolder folder, final RunFolder.LineLog rows,
            final PrintStream progress, final boolean reference)
        {
            this.spec = spec;
            this.folder = folder;
            this.rows = rows;
            this.progress = progress;
            this.reference = reference;
        }

        @Override
        public void requestStop()
        {
            stopRequested = true;
        }

        @Override
        public Result await()
        {
            final Result r = run(spec, rows, () -> stopRequested, progress);
            folder.writeAtomically("readout.csv", r.fresh().csv(r.readouts()));
            if (r.after() != null)
            {
                folder.writeAtomically("spectrum.csv", FreshReadout.spectrumCsv(r.before(), r.after(), r.outliers()));
            }
            return r;
        }

        @Override
        public Map<String, Object> report()
        {
            return Map.of("trainer", reference ? "reference (single thread)" : "plain Java (single thread; no stages)");
        }
    }
}
