package org.sgdsim.stream.plane;

import java.util.Locale;
import java.util.function.Consumer;

import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.metrics.StepMonitor;
import org.sgdsim.run.DfaPlan;
import org.sgdsim.run.MlpSession;
import org.sgdsim.run.TrainingState;
import org.sgdsim.train.MlpTrainer;

/**
 * Trains one MLP epoch by epoch, one batch per duty cycle. With a projecting rule (dfa, dfa-redrawn) each batch
 * is: forward pass and output error; offer the error signal to the optical unit; then, while the unit projects,
 * the output-layer update and the BP reference of the alignment diagnostic (phase 2 of {@link MlpTrainer}); then
 * wait for the projection and update the hidden layers. Phase 2 never reads what phase 3 writes and vice versa,
 * so the numbers are those of the in-line reference loop bit for bit. The next forward pass waits for the hidden
 * updates: overlapping it too would make DFA a one-step-delayed rule.
 */
public final class DfaLearnerAgent implements LearnerStage<DfaLearnerAgent.Outcome>
{
    private static final long PROGRESS_INTERVAL_NS = 1_000_000_000L;

    /** How the learner ended. */
    public record Outcome(int learner, String name, boolean interrupted, int epochs, long steps, double trainingSeconds)
    {
    }

    private final int id;
    private final DfaPlan plan;
    private final MlpSession session;
    private final MlpTrainer trainer;
    private final OpticalUnitAgent unit;
    private final ProjectionRequest request;
    private final OneToOneConcurrentArrayQueue<ProjectionRequest> requests;
    private final OneToOneConcurrentArrayQueue<ProjectionRequest> replies;
    private Consumer<Outcome> onFinished = outcome -> { };

    private volatile boolean stopRequested;
    private boolean started;
    private boolean finished;
    private boolean waiting;
    private int batch;
    private long startNs;
    private long lastCheckpointNs;
    private long lastCheckpointSteps;
    private long lastProgressNs;

    /** A learner; {@code unit} is the optical unit it sends to (null for rules that do not project). */
    public DfaLearnerAgent(final int id, final DfaPlan plan, final OpticalUnitAgent unit, final int slotOnUnit)
    {
        this.id = id;
        this.plan = plan;
        this.session = plan.session();
        this.trainer = session.trainer();
        this.unit = unit;
        if (trainer.rule().projects() != (unit != null))
        {
            throw new IllegalArgumentException("rule " + trainer.rule().configName()
                + (unit == null ? " needs an optical unit" : " takes no optical unit"));
        }
        this.request = unit == null ? null : new ProjectionRequest(slotOnUnit, maxBatch(), unit.outputs(), unit.knowsIdeal());
        this.requests = unit == null ? null : unit.requests(slotOnUnit);
        this.replies = unit == null ? null : unit.replies(slotOnUnit);
    }

    private int maxBatch()
    {
        return session.batchLength(0);
    }

    /** Where the outcome goes (set by the actor before the agent runs). */
    @Override
    public void onFinished(final Consumer<Outcome> listener)
    {
        this.onFinished = listener;
    }

    /** Stop at the end of the current epoch (after its row and a checkpoint). */
    @Override
    public void requestStop()
    {
        stopRequested = true;
    }

    @Override
    public void onStart()
    {
        startNs = System.nanoTime();
        lastCheckpointNs = startNs;
        lastProgressNs = startNs;
        lastCheckpointSteps = trainer.steps();
    }

    @Override
    public int doWork()
    {
        if (finished)
        {
            return 0;
        }
        if (waiting)
        {
            final ProjectionRequest reply = replies.poll();
            if (reply == null)
            {
                return 0;
            }
            waiting = false;
            trainer.applyProjection(reply.projection, reply.ideal);
            return endBatch();
        }
        if (!started)
        {
            if (session.done() || stopRequested)
            {
                return finish();
            }
            session.startEpoch();
            started = true;
            batch = 0;
        }
        trainer.forward(session.x(), session.y(), session.rows(), session.batchStart(batch),
            session.batchLength(batch), session.measureNext());
        if (unit != null)
        {
            request.signal = trainer.signal();
            request.batch = trainer.batch();
            if (!requests.offer(request))
            {
                throw new IllegalStateException("request queue of learner " + id + " is full");
            }
            trainer.updateWithoutProjection();
            waiting = true;
            return 1;
        }
        trainer.updateWithoutProjection();
        return endBatch();
    }

    private int endBatch()
    {
        batch++;
        if (batch < session.batches())
        {
            return 1;
        }
        started = false;
        final long now = System.nanoTime();
        final double seconds = trainingSeconds(now);
        plan.rows().accept(session.endEpoch(seconds));
        final int epoch = session.epoch();
        if (plan.checkpoints() != null && (session.done() || stopRequested
            || (plan.checkpointEverySteps() > 0 && trainer.steps() - lastCheckpointSteps >= plan.checkpointEverySteps())
            || (plan.checkpointEveryNs() > 0 && now - lastCheckpointNs >= plan.checkpointEveryNs())))
        {
            plan.checkpoints().accept(state(now));
            lastCheckpointNs = now;
            lastCheckpointSteps = trainer.steps();
        }
        if (plan.progress() != null && (now - lastProgressNs >= PROGRESS_INTERVAL_NS || session.done()))
        {
            lastProgressNs = now;
            plan.progress().println(String.format(Locale.ROOT, "%s: epoch %d/%d, step %d, test %.4f, %.1f s",
                plan.name(), epoch, session.epochs(), trainer.steps(), session.testScore(), seconds));
        }
        return 1;
    }

    private TrainingState state(final long now)
    {
        final double[] device = plan.deviceState() == null ? new double[0] : plan.deviceState().get();
        final double[] weights = new double[trainer.stateLength() + device.length];
        trainer.saveState(weights, 0);
        System.arraycopy(device, 0, weights, trainer.stateLength(), device.length);
        final int epoch = session.epoch();
        return new TrainingState(trainer.steps(), (long)epoch * session.rows().length, epoch, weights, null,
            new StepMonitor.State(epoch, trainer.steps(), false, 0, 0, false), plan.elapsedBeforeNs() + (now - startNs),
            java.util.List.of());
    }

    private double trainingSeconds(final long now)
    {
        return (plan.elapsedBeforeNs() + (now - startNs)) * 1e-9;
    }

    private int finish()
    {
        finished = true;
        if (unit != null)
        {
            unit.close(request.learner);
        }
        onFinished.accept(new Outcome(id, plan.name(), !session.done(), session.epoch(), trainer.steps(),
            trainingSeconds(System.nanoTime())));
        return 1;
    }

    @Override
    public String roleName()
    {
        return "dfa-learner-" + id;
    }
}
