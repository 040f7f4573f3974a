package org.sgdsim.experiment.dfa;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.typesafe.config.ConfigRenderOptions;
import org.sgdsim.experiment.CheckpointStore;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.experiment.Runs;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Version;
import org.sgdsim.experiment.WallBudget;
import org.sgdsim.model.Digits;
import org.sgdsim.model.LabelledData;
import org.sgdsim.model.Mlp;
import org.sgdsim.model.Streams;
import org.sgdsim.model.TeacherStudentRegression;
import org.sgdsim.optics.OpticalProcessingUnit;
import org.sgdsim.optics.Projector;
import org.sgdsim.run.DfaPlan;
import org.sgdsim.run.MlpSession;
import org.sgdsim.run.TrainingState;
import org.sgdsim.stream.DfaRun;
import org.sgdsim.stream.DfaSupervisor;
import org.sgdsim.train.DeviceMeter;
import org.sgdsim.train.FeedbackRule;
import org.sgdsim.train.MlpTrainer;
import org.sgdsim.train.SoftwareProjector;

/**
 * Direct feedback alignment and its relatives ({@code experiment.kind = dfa}): a multi-layer perceptron trained on a
 * fixed dataset, one metrics.csv row per epoch, through the learner and optical-unit stages or the reference loop.
 */
public final class DfaKind implements RunKind<DfaSpec, DfaKind.Result>
{
    /** The kind. */
    public static final DfaKind KIND = new DfaKind();

    private DfaKind()
    {
    }

    @Override
    public String name()
    {
        return "dfa";
    }

    @Override
    public Model<Result> build(final DfaSpec spec)
    {
        return new DfaModel(built(spec));
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
    static Built built(final DfaSpec spec)
    {
        final DfaSpec.Network network = spec.network();
        final DfaSpec.Training training = spec.training();
        final DfaSpec.Feedback feedback = spec.feedback();
        final LabelledData.Split data = switch (spec.data().task())
        {
            case DIGITS -> Digits.p0();
            case TEACHER_STUDENT -> TeacherStudentRegression.generate(spec.data().trainSize(), spec.data().testSize());
        };
        final Mlp net = new Mlp(network.widths(), network.activation(), network.output());
        if (!network.zeroInit())
        {
            net.initUniform(spec.gaussian().stream(spec.seed(), Streams.MLP_INIT));
        }
        final FeedbackRule rule = training.rule();
        SoftwareProjector software = null;
        OpticalProcessingUnit opu = null;
        Projector projector = null;
        Projector ideal = null;
        DeviceMeter meter = DeviceMeter.NONE;
        if (rule.projects())
        {
            final int rows = MlpTrainer.feedbackRows(network.widths(), feedback.options().slicing());
            final int k = network.widths()[network.widths().length - 1];
            if (feedback.projector() == DfaSpec.Projection.OPU)
            {
                // The optical unit takes the place of B_big (§1.5): M = the feedback rows, K = the outputs.
                opu = new OpticalProcessingUnit(feedback.optics().unit(), k, rows, spec.seed(), spec.gaussian());
                projector = opu;
                ideal = new IdealOf(opu);
                meter = new MeterOf(opu);
            }
            else
            {
                software = new SoftwareProjector(rows, k, feedback.options().distribution(), spec.seed(),
                    Streams.FEEDBACK, rule == FeedbackRule.DFA_REDRAWN, spec.gaussian());
                projector = software;
            }
        }
        final MlpTrainer trainer = new MlpTrainer(net, rule, feedback.options(), training.learningRate(),
            training.momentum(), training.batchSize(), projector, ideal,
            spec.gaussian().stream(spec.seed(), Streams.FEEDBACK));
        final MlpSession session = new MlpSession(trainer, data, training.batchSize(), training.epochs(), spec.seed(),
            training.alignmentEvery(), meter);
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

    /** One DFA run's model. */
    private record DfaModel(Built built) implements Model<Result>
    {
        @Override
        public String renderConfig()
        {
            return RunFolder.renderConfig(recordedConfig());
        }

        @Override
        public com.typesafe.config.Config recordedConfig()
        {
            return built.spec.resolved();
        }

        @Override
        public Result reportStop(final Result r, final WallBudget budget)
        {
            return new Result(r.dir(), r.spec(), r.outcome(), r.trainScore(), r.testScore(), r.testLoss(),
                r.alignment(), r.outcome().interrupted()
                    ? budget.report(org.sgdsim.metrics.RunResult.StopReason.INTERRUPTED).configName() : "epochs");
        }

        @Override
        public void checkFits(final CheckpointStore.Saved saved, final Path config)
        {
            if (saved.state().weights().length < built.session.trainer().stateLength())
            {
                throw new UserError("checkpoint " + saved.file() + " does not fit " + config
                    + ": it holds " + saved.state().weights().length + " values, the configured network needs "
                    + built.session.trainer().stateLength() + " (was config.conf edited?)");
            }
        }

        @Override
        public List<String> restartTruncates()
        {
            return List.of();
        }

        @Override
        public Training<Result> start(final RunFolder folder, final RunFolder.LineLog rows,
            final Consumer<TrainingState> checkpoint, final TrainingState resumed, final PrintStream progress,
            final boolean reference)
        {
            if (resumed == null)
            {
                rows.accept(built.session.header());
            }
            else
            {
                final MlpTrainer trainer = built.session.trainer();
                trainer.loadState(resumed.weights(), 0, resumed.steps());
                built.session.seekEpoch((int)resumed.batches());
                if (built.software != null)
                {
                    built.software.skipTo(resumed.steps());
                }
                if (built.opu != null)
                {
                    replay(built.opu, built.session, (int)resumed.batches());
                }
            }
            if (reference)
            {
                return new ReferenceTraining(built, rows, progress, folder.dir());
            }
            final DfaSpec spec = built.spec;
            final DfaPlan plan = new DfaPlan(spec.name(), built.session, rows, checkpoint, null,
                spec.checkpoints().everySteps(), spec.checkpoints().everySeconds() * 1_000_000_000L,
                resumed == null ? 0 : resumed.elapsedNs(), progress);
            final List<Projector> units = built.projector == null ? List.of() : List.of(built.projector);
            return new PipelineTraining(built, folder.dir(), DfaRun.start(List.of(plan), units,
                new int[] {built.projector == null ? -1 : 0}, Runs.pekko(spec)));
        }

        @Override
        public Map<String, Object> summary(final Result r, final Training<Result> training)
        {
            final DfaSpec spec = r.spec();
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", spec.name());
            s.put("kind", "dfa");
            s.put("seed", spec.seed());
            s.put("gaussian", spec.gaussian().key());
            s.put("task", spec.data().task().configName());
            s.put("rule", spec.training().rule().configName());
            s.put("widths", java.util.Arrays.stream(spec.network().widths()).boxed().toList());
            s.put("epochs", r.outcome().epochs());
            s.put("steps", r.outcome().steps());
            s.put("stop_reason", r.stopReason());
            final Map<String, Object> last = new LinkedHashMap<>();
            final boolean classes = spec.data().task() == DfaSpec.Task.DIGITS;
            last.put(classes ? "train_acc" : "train_nmse", r.trainScore());
            last.put(classes ? "test_acc" : "test_nmse", r.testScore());
            last.put("test_loss", r.testLoss());
            last.put("alignment", r.alignment());
            s.put("final", last);
            s.put("projector", spec.training().rule().projects() ? spec.feedback().projector().configName() : null);
            s.put("wall_seconds", r.outcome().trainingSeconds());
            s.put("trainer", training.report().get("trainer"));
            s.put("sgdsim_version", Version.get());
            s.put("java_version", System.getProperty("java.version"));
            return s;
        }

        @Override
        public void afterSummary(final Result result, final RunFolder folder)
        {
            // one row per epoch is the whole record: no theory and no plots for this kind
        }

        @Override
        public String oneLine(final Result result, final Path dir)
        {
            return result.oneLine();
        }

        @Override
        public Map<String, Object> seedFigures(final Result r)
        {
            final Map<String, Object> f = new LinkedHashMap<>();
            f.put(r.scoreName(), r.testScore());
            f.put("epochs", r.outcome().epochs());
            f.put("steps", r.outcome().steps());
            f.put("training_s", r.outcome().trainingSeconds());
            return f;
        }
    }

    /** Training through the learner and optical-unit stages. */
    private static final class PipelineTraining implements Training<Result>
    {
        private final Built built;
        private final Path dir;
        private final DfaRun run;

        PipelineTraining(final Built built, final Path dir, final DfaRun run)
        {
            this.built = built;
            this.dir = dir;
            this.run = run;
        }

        @Override
        public void requestStop()
        {
            run.requestStop();
        }

        @Override
        public Result await()
        {
            try (DfaRun p = run)
            {
                return new Result(dir, built.spec, p.await().get(0), built.session);
            }
        }

        @Override
        public Map<String, Object> report()
        {
            return Map.of("trainer", "pipeline (learner and optical-unit stages)");
        }
    }

    /** Training through the single-threaded reference loop, epoch by epoch, run by {@link #await}. */
    private static final class ReferenceTraining implements Training<Result>
    {
        private final Built built;
        private final Consumer<CharSequence> rows;
        private final PrintStream progress;
        private final Path dir;
        private volatile boolean stopRequested;

        ReferenceTraining(final Built built, final Consumer<CharSequence> rows, final PrintStream progress,
            final Path dir)
        {
            this.built = built;
            this.rows = rows;
            this.progress = progress;
            this.dir = dir;
        }

        @Override
        public void requestStop()
        {
            stopRequested = true;
        }

        @Override
        public Result await()
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
            return new Result(dir, built.spec, new DfaSupervisor.Outcome(built.spec.name(), !s.done(), s.epoch(),
                s.trainer().steps(), (System.nanoTime() - t0) * 1e-9, 0, 0.0), s);
        }

        @Override
        public Map<String, Object> report()
        {
            return Map.of("trainer", "reference (single thread)");
        }
    }

    /** How a DFA run ended, with its final scores. */
    public record Result(Path dir, DfaSpec spec, DfaSupervisor.Outcome outcome, double trainScore, double testScore,
        double testLoss, double[] alignment, String stopReason)
    {
        Result(final Path dir, final DfaSpec spec, final DfaSupervisor.Outcome outcome, final MlpSession session)
        {
            this(dir, spec, outcome, session.trainScore(), session.testScore(), session.testLoss(),
                session.trainer().alignment(), outcome.interrupted() ? "interrupted" : "epochs");
        }

        /** The name of the score: accuracy for classification, normalised MSE for regression. */
        public String scoreName()
        {
            return spec.data().task() == DfaSpec.Task.DIGITS ? "test_acc" : "test_nmse";
        }

        /** One line for the console; with an optical-unit stage, also its vectors and its busy (wall) time. */
        public String oneLine()
        {
            final String unit = outcome.projectedVectors() == 0 ? ""
                : String.format(Locale.ROOT, ", optical-unit stage %d vectors in %.1f s", outcome.projectedVectors(),
                    outcome.projectionBusySeconds());
            return String.format(Locale.ROOT, "%s: %s, %d epochs, %d steps, %s %.4f, test_loss %.4g, %.1f s%s [%s]",
                dir, spec.training().rule().configName(), outcome.epochs(), outcome.steps(), scoreName(), testScore,
                testLoss, outcome.trainingSeconds(), unit, stopReason);
        }
    }

}
