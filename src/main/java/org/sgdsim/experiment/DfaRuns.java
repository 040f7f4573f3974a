package org.sgdsim.experiment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.metrics.Json;
import org.sgdsim.model.Digits;
import org.sgdsim.model.LabelledData;
import org.sgdsim.model.Mlp;
import org.sgdsim.model.Streams;
import org.sgdsim.model.TeacherStudentRegression;
import org.sgdsim.optics.OpticalProcessingUnit;
import org.sgdsim.optics.Projector;
import org.sgdsim.stream.DfaPlan;
import org.sgdsim.stream.DfaRun;
import org.sgdsim.stream.DfaSupervisor;
import org.sgdsim.stream.MlpSession;
import org.sgdsim.stream.TrainingState;
import org.sgdsim.train.DeviceMeter;
import org.sgdsim.train.FeedbackRule;
import org.sgdsim.train.MlpTrainer;
import org.sgdsim.train.SoftwareProjector;

/**
 * Runs a DFA experiment ({@code experiment.kind = dfa}) into its run folder — config.conf, metrics.csv (one row per
 * epoch), checkpoints/, summary.json — through the learner and optical-unit stages, or through the single-threaded
 * reference loop; resumes one from its newest valid checkpoint.
 */
public final class DfaRuns
{
    private DfaRuns()
    {
    }

    /** The model of one run: data, network, trainer, projector and the session driving them. */
    static final class Built
    {
        final DfaSpec spec;
        final MlpSession session;
        final Projector projector;
        final SoftwareProjector software;
        final OpticalProcessingUnit opu;

        Built(final DfaSpec spec, final MlpSession session, final Projector projector, final SoftwareProjector software,
            final OpticalProcessingUnit opu)
        {
            this.spec = spec;
            this.session = session;
            this.projector = projector;
            this.software = software;
            this.opu = opu;
        }
    }

    /** Builds the run's objects; every random object takes its own stream of the run seed. */
    static Built build(final DfaSpec spec)
    {
        final LabelledData.Split data = switch (spec.task())
        {
            case DIGITS -> Digits.p0();
            case TEACHER_STUDENT -> TeacherStudentRegression.generate(spec.trainSize(), spec.testSize());
        };
        final Mlp net = new Mlp(spec.widths(), spec.activation(), spec.output());
        if (!spec.zeroInit())
        {
            net.initUniform(new GaussianStream(spec.seed(), Streams.MLP_INIT));
        }
        final FeedbackRule rule = spec.rule();
        SoftwareProjector software = null;
        OpticalProcessingUnit opu = null;
        Projector projector = null;
        Projector ideal = null;
        DeviceMeter meter = DeviceMeter.NONE;
        if (rule.projects())
        {
            final int rows = MlpTrainer.feedbackRows(spec.widths(), spec.feedback().slicing());
            final int k = spec.widths()[spec.widths().length - 1];
            if (spec.projector() == DfaSpec.Projection.OPU)
            {
                // The optical unit takes the place of B_big (§1.5): M = the feedback rows, K = the outputs.
                opu = new OpticalProcessingUnit(spec.optics().unit(), k, rows, spec.seed());
                projector = opu;
                ideal = new IdealOf(opu);
                meter = new MeterOf(opu);
            }
            else
            {
                software = new SoftwareProjector(rows, k, spec.feedback().distribution(), spec.seed(), Streams.FEEDBACK,
                    rule == FeedbackRule.DFA_REDRAWN);
                projector = software;
            }
        }
        final MlpTrainer trainer = new MlpTrainer(net, rule, spec.feedback(), spec.learningRate(), spec.momentum(),
            spec.batchSize(), projector, ideal, new GaussianStream(spec.seed(), Streams.FEEDBACK));
        final MlpSession session = new MlpSession(trainer, data, spec.batchSize(), spec.epochs(), spec.seed(),
            spec.alignmentEvery(), meter);
        return new Built(spec, session, projector, software, opu);
    }

    /** The optical unit's ideal projection A_norm e, as a projector (the reference of the fidelity metric). */
    private record IdealOf(OpticalProcessingUnit opu) implements Projector
    {
        @Override
        public int inputSize()
        {
            return opu.inputSize();
        }

        @Override
        public int outputSize()
        {
            return opu.outputSize();
        }

        @Override
        public void project(final double[] errors, final int batch, final double[] out)
        {
            opu.idealProject(errors, batch, out);
        }
    }

    /** The optical unit's frame, time and energy counters. */
    private record MeterOf(OpticalProcessingUnit opu) implements DeviceMeter
    {
        @Override
        public long frames()
        {
            return opu.frames();
        }

        @Override
        public double deviceSeconds()
        {
            return opu.deviceSeconds();
        }

        @Override
        public double joules()
        {
            return opu.energyJoules();
        }
    }

    /**
     * Brings a fresh optical unit to the state it had after {@code epochs} epochs: every batch the run projected,
     * replayed with zero vectors of the same sizes. The unit's random draws (camera noise, drift) and counters
     * depend on the number of frames, never on the vectors' values, so this reproduces its state exactly; it
     * costs the optical simulation time of those epochs.
     */
    private static void replay(final OpticalProcessingUnit opu, final MlpSession session, final int epochs)
    {
        final double[] zeros = new double[session.batchLength(0) * opu.inputSize()];
        final double[] out = new double[session.batchLength(0) * opu.outputSize()];
        for (int e = 0; e < epochs; e++)
        {
            for (int i = 0; i < session.batches(); i++)
            {
                opu.project(zeros, session.batchLength(i), out);
            }
        }
    }

    /** A DFA run under way. */
    public static final class Active
    {
        private final Built built;
        private final RunFolder folder;
        private final RunFolder.LineLog rows;
        private final DfaRun pipeline;
        private final PrintStream progress;
        private volatile boolean stopRequested;

        private Active(final Built built, final RunFolder folder, final RunFolder.LineLog rows, final DfaRun pipeline,
            final PrintStream progress)
        {
            this.built = built;
            this.folder = folder;
            this.rows = rows;
            this.pipeline = pipeline;
            this.progress = progress;
        }

        /** The run folder. */
        public Path dir()
        {
            return folder.dir();
        }

        /** Drain: stop at the end of the current epoch, checkpoint, write the summary. */
        public void requestStop()
        {
            stopRequested = true;
            if (pipeline != null)
            {
                pipeline.requestStop();
            }
        }

        /** Waits for the end (or runs the reference loop), closes the logs, writes summary.json. */
        public Result finish()
        {
            final DfaSupervisor.Outcome outcome;
            try (RunFolder f = folder)
            {
                if (pipeline != null)
                {
                    try (DfaRun p = pipeline)
                    {
                        outcome = p.await().get(0);
                    }
                }
                else
                {
                    outcome = reference();
                }
            }
            final Result result = new Result(folder.dir(), built.spec, outcome, built.session);
            folder.writeAtomically("summary.json", Json.write(summary(result,
                pipeline != null ? "pipeline (learner and optical-unit stages)" : "reference (single thread)")));
            return result;
        }

        private DfaSupervisor.Outcome reference()
        {
            final MlpSession s = built.session;
            final long t0 = System.nanoTime();
            while (!s.done() && !stopRequested)
            {
                s.runEpoch();
                rows.accept(s.endEpoch((System.nanoTime() - t0) * 1e-9));
                if (progress != null)
                {
                    progress.println(String.format(Locale.ROOT, "%s: epoch %d/%d, test %.4f", built.spec.name(),
                        s.epoch(), s.epochs(), s.testScore()));
                }
            }
            return new DfaSupervisor.Outcome(built.spec.name(), !s.done(), s.epoch(), s.trainer().steps(),
                (System.nanoTime() - t0) * 1e-9, 0, 0.0);
        }
    }

    /** How a DFA run ended, with its final scores. */
    public record Result(Path dir, DfaSpec spec, DfaSupervisor.Outcome outcome, double trainScore, double testScore,
        double testLoss, double[] alignment)
    {
        Result(final Path dir, final DfaSpec spec, final DfaSupervisor.Outcome outcome, final MlpSession session)
        {
            this(dir, spec, outcome, session.trainScore(), session.testScore(), session.testLoss(),
                session.trainer().alignment());
        }

        /** The name of the score: accuracy for classification, normalised MSE for regression. */
        public String scoreName()
        {
            return spec.task() == DfaSpec.Task.DIGITS ? "test_acc" : "test_nmse";
        }

        /** One line for the console; with an optical-unit stage, also its vectors and its busy (wall) time. */
        public String oneLine()
        {
            final String unit = outcome.projectedVectors() == 0 ? ""
                : String.format(Locale.ROOT, ", optical-unit stage %d vectors in %.1f s", outcome.projectedVectors(),
                    outcome.projectionBusySeconds());
            return String.format(Locale.ROOT, "%s: %s, %d epochs, %d steps, %s %.4f, test_loss %.4g, %.1f s%s [%s]",
                dir, spec.rule().configName(), outcome.epochs(), outcome.steps(), scoreName(), testScore, testLoss,
                outcome.trainingSeconds(), unit, outcome.interrupted() ? "interrupted" : "epochs");
        }
    }

    /** Builds the model, creates the folder, writes config.conf and starts the run. */
    public static Active start(final DfaSpec spec, final Path out, final PrintStream progress, final boolean reference)
    {
        Footprint.dfa(spec).check(1);
        final Built built = build(spec);
        final RunFolder folder = RunFolder.create(spec.outputDir(), spec.name(), out);
        folder.writeAtomically("config.conf", renderConfig(spec));
        final RunFolder.LineLog rows = folder.log("metrics.csv");
        rows.accept(built.session.header());
        if (reference)
        {
            return new Active(built, folder, rows, null, progress);
        }
        return launch(built, folder, rows, null, progress);
    }

    /** True when {@code dir} holds a DFA run (its config.conf says experiment.kind = dfa). */
    public static boolean isDfaRun(final Path dir)
    {
        final Path config = dir.resolve("config.conf");
        if (!Files.isRegularFile(config))
        {
            return false;
        }
        try
        {
            final Config c = ConfigFactory.parseFile(config.toFile());
            return c.hasPath("experiment.kind") && "dfa".equals(c.getString("experiment.kind"));
        }
        catch (final com.typesafe.config.ConfigException ex)
        {
            return false;
        }
    }

    /**
     * Continues the DFA run in {@code dir} from its newest valid checkpoint: metrics.csv is cut back to the length it
     * had then and the epochs after it are redone exactly; without a checkpoint the run starts over in its folder.
     */
    public static Active resume(final Path dir, final PrintStream progress, final Consumer<String> notes)
    {
        return resume(dir, false, progress, notes);
    }

    /** As {@link #resume(Path, PrintStream, Consumer)}, with the rules of {@link Runs#resume(Path, boolean, PrintStream, Consumer)} for damaged checkpoints. */
    public static Active resume(final Path dir, final boolean restart, final PrintStream progress,
        final Consumer<String> notes)
    {
        final RunFolder folder = RunFolder.existing(dir);
        final Path config = dir.resolve("config.conf");
        if (!Files.isRegularFile(config))
        {
            throw new UserError(dir + " is not a run folder: it has no config.conf");
        }
        if (!(ExperimentConfig.loadAny(config, List.of(), null) instanceof DfaSpec spec))
        {
            throw new UserError(dir + " is not a DFA run");
        }
        final Path summary = dir.resolve("summary.json");
        if (Files.isRegularFile(summary) && !Runs.readString(summary).contains("\"stop_reason\": \"interrupted\""))
        {
            throw new UserError("run " + dir + " has finished (summary.json); nothing to resume");
        }
        Footprint.dfa(spec).check(1);
        final Built built = build(spec);
        final CheckpointStore.Saved saved = Runs.latestUsable(dir, spec.checkpoints().keep(), restart, notes, s ->
        {
            if (s.state().weights().length < built.session.trainer().stateLength())
            {
                throw new UserError("checkpoint " + s.file() + " does not fit " + dir.resolve("config.conf")
                    + ": it holds " + s.state().weights().length + " values, the configured network needs "
                    + built.session.trainer().stateLength() + " (was config.conf edited?)");
            }
        });
        final Path metrics = dir.resolve("metrics.csv");
        Runs.truncate(metrics, saved == null ? 0 : saved.metricsBytes());
        Runs.deleteIfExists(summary);
        final RunFolder.LineLog rows = folder.log("metrics.csv");
        if (saved == null)
        {
            rows.accept(built.session.header());
            return launch(built, folder, rows, null, progress);
        }
        final TrainingState state = saved.state();
        final MlpTrainer trainer = built.session.trainer();
        trainer.loadState(state.weights(), 0, state.steps());
        built.session.seekEpoch((int)state.batches());
        if (built.software != null)
        {
            built.software.skipTo(state.steps());
        }
        if (built.opu != null)
        {
            replay(built.opu, built.session, (int)state.batches());
        }
        return launch(built, folder, rows, state, progress);
    }

    private static Active launch(final Built built, final RunFolder folder, final RunFolder.LineLog rows,
        final TrainingState resumed, final PrintStream progress)
    {
        final DfaSpec spec = built.spec;
        final CheckpointStore store = new CheckpointStore(folder.dir(), spec.checkpoints().keep());
        final DfaPlan plan = new DfaPlan(spec.name(), built.session, rows, state -> store.save(state, rows.sync()),
            null, spec.checkpoints().everySteps(), spec.checkpoints().everySeconds() * 1_000_000_000L,
            resumed == null ? 0 : resumed.elapsedNs(), progress);
        final Config pekko = spec.resolved().hasPath("pekko") ? spec.resolved().withOnlyPath("pekko")
            : ConfigFactory.empty();
        final List<Projector> units = built.projector == null ? List.of() : List.of(built.projector);
        final DfaRun run = DfaRun.start(List.of(plan), units, new int[] {built.projector == null ? -1 : 0}, pekko);
        return new Active(built, folder, rows, run, progress);
    }

    /** The resolved config as HOCON (re-runnable with ./sgdsim run). */
    static String renderConfig(final DfaSpec spec)
    {
        return "# Resolved configuration of this run (sgdsim " + Version.get() + ").\n"
            + spec.resolved().root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false).setFormatted(true));
    }

    /** summary.json of a DFA run. */
    static Map<String, Object> summary(final Result r, final String trainer)
    {
        final DfaSpec spec = r.spec();
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", spec.name());
        s.put("kind", "dfa");
        s.put("seed", spec.seed());
        s.put("task", spec.task().configName());
        s.put("rule", spec.rule().configName());
        s.put("widths", java.util.Arrays.stream(spec.widths()).boxed().toList());
        s.put("epochs", r.outcome().epochs());
        s.put("steps", r.outcome().steps());
        s.put("stop_reason", r.outcome().interrupted() ? "interrupted" : "epochs");
        final Map<String, Object> last = new LinkedHashMap<>();
        final boolean classes = spec.task() == DfaSpec.Task.DIGITS;
        last.put(classes ? "train_acc" : "train_nmse", r.trainScore());
        last.put(classes ? "test_acc" : "test_nmse", r.testScore());
        last.put("test_loss", r.testLoss());
        last.put("alignment", r.alignment());
        s.put("final", last);
        s.put("projector", spec.rule().projects() ? spec.projector().configName() : null);
        s.put("wall_seconds", r.outcome().trainingSeconds());
        s.put("trainer", trainer);
        s.put("sgdsim_version", Version.get());
        s.put("java_version", System.getProperty("java.version"));
        return s;
    }
}
