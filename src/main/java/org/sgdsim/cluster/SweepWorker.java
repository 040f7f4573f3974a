package org.sgdsim.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.Runs;
import org.sgdsim.experiment.sweep.RunRecord;
import org.sgdsim.experiment.sweep.SweepRunner;

/**
 * Runs sweep points handed out by a {@link SweepCoordinator}, {@code parallel} at a time, each exactly as the
 * local sweep runs it: the run's config resolves to an experiment of whatever kind it names, started through the one
 * engine ({@link SweepRunner#startRun(org.sgdsim.experiment.Experiment, Path)}: same folder contents, resumed from its
 * checkpoint when it was under way), and its summary.json and metrics.csv are sent back. Work is pulled: the worker
 * asks for one run per free slot. Registers under {@link #KEY} so coordinators find it through the Receptionist.
 */
public final class SweepWorker extends AbstractBehavior<SweepWorker.Command>
{
    /** The Receptionist key every worker registers under. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "sgdsim-sweep-worker");
    /** Characters of metrics.csv per message: well under Artery's 256 KiB frame. */
    static final int PART_CHARS = 64 * 1024;

    /** The worker's protocol. */
    public sealed interface Command permits Offer, Assign, SweepOver, Drain, RunEnded, CoordinatorGone
    {
    }

    /** A coordinator has runs to hand out; the worker answers with one request per free slot. */
    public record Offer(ActorRef<SweepCoordinator.Command> coordinator, String sweep) implements Command,
        CborSerializable
    {
    }

    /**
     * One run to do.
     *
     * @param coordinator who handed it out.
     * @param sweep       the sweep's id (names the worker's folder for it).
     * @param run         the run's position in the plan.
     * @param folder      the run's folder name.
     * @param config      the run's user layers (HOCON), validated again here.
     */
    public record Assign(ActorRef<SweepCoordinator.Command> coordinator, String sweep, int run, String folder,
        String config) implements Command, CborSerializable
    {
    }

    /** The coordinator's sweep has ended (or was stopped): its runs still going here are drained. */
    public record SweepOver(ActorRef<SweepCoordinator.Command> coordinator) implements Command, CborSerializable
    {
    }

    /** Local: drain every run (checkpoint and stop) and reply when none is left; no new work is asked for. */
    public record Drain(ActorRef<Done> replyTo) implements Command
    {
    }

    private record RunEnded(Assign assign, Path dir, boolean interrupted, String failure, double seconds,
        boolean stopRequested)
        implements Command
    {
    }

    private record CoordinatorGone(ActorRef<SweepCoordinator.Command> coordinator) implements Command
    {
    }

    /** A run on the pool: its stop request may come before the run exists. */
    private static final class Running
    {
        final Assign assign;
        private Runs.Active<?> active;
        private boolean stop;

        Running(final Assign assign)
        {
            this.assign = assign;
        }

        synchronized void started(final Runs.Active<?> a)
        {
            active = a;
            if (stop)
            {
                a.requestStop();
            }
        }

        synchronized boolean stopRequested()
        {
            return stop;
        }

        synchronized void stop()
        {
            stop = true;
            if (active != null)
            {
                active.requestStop();
            }
        }
    }

    private final int parallel;
    private final Path dir;
    private final PrintStream log;
    private final ClusterStatus status;
    private final ExecutorService pool;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Set<ActorRef<SweepCoordinator.Command>> watched = new HashSet<>();
    private final List<ActorRef<Done>> drained = new ArrayList<>();
    private ActorRef<SweepCoordinator.Command> coordinator;
    private String sweep;
    private int requested;
    private boolean draining;

    /**
     * A worker.
     *
     * @param parallel runs at a time.
     * @param dir      its folder: runs go to {@code dir/<sweep>/runs/<run>/}.
     * @param status   where it publishes the runs it is running.
     * @param log      one line per run, or null.
     */
    public static Behavior<Command> create(final int parallel, final Path dir, final ClusterStatus status,
        final PrintStream log)
    {
        return Behaviors.setup(context -> new SweepWorker(context, parallel, dir, status, log));
    }

    private SweepWorker(final ActorContext<Command> context, final int parallel, final Path dir,
        final ClusterStatus status, final PrintStream log)
    {
        super(context);
        this.parallel = parallel;
        this.dir = dir;
        this.log = log;
        this.status = status;
        this.pool = Executors.newFixedThreadPool(parallel, r ->
        {
            final Thread t = new Thread(r, "sweep-worker-run");
            t.setDaemon(true);
            return t;
        });
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
        publish();
    }

    @Override
    public Receive<Command> createReceive()
    {
        return newReceiveBuilder()
            .onMessage(Offer.class, this::onOffer)
            .onMessage(Assign.class, this::onAssign)
            .onMessage(RunEnded.class, this::onRunEnded)
            .onMessage(SweepOver.class, this::onSweepOver)
            .onMessage(CoordinatorGone.class, this::onCoordinatorGone)
            .onMessage(Drain.class, this::onDrain)
            .onSignal(PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onOffer(final Offer offer)
    {
        if (!offer.coordinator().equals(coordinator))
        {
            coordinator = offer.coordinator();
            sweep = offer.sweep();
            requested = 0;
            if (watched.add(coordinator))
            {
                getContext().watchWith(coordinator, new CoordinatorGone(coordinator));
            }
        }
        requestWork();
        return this;
    }

    private Behavior<Command> onAssign(final Assign assign)
    {
        if (assign.coordinator().equals(coordinator) && requested > 0)
        {
            requested--;
        }
        final String key = assign.sweep() + "/" + assign.folder();
        if (running.containsKey(key) || draining)
        {
            // Already running here (handed out again after a partition), or shutting down: the coordinator gets
            // the one result, or re-queues the run when this node leaves.
            requestWork();
            return this;
        }
        final Running run = new Running(assign);
        running.put(key, run);
        final Path runDir = dir.resolve(assign.sweep()).resolve("runs").resolve(assign.folder());
        final long start = System.nanoTime();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> execute(run, runDir), pool), (interrupted, ex) ->
            new RunEnded(assign, runDir, interrupted != null && interrupted, ex == null ? null : describe(ex),
                (System.nanoTime() - start) / 1e9, run.stopRequested()));
        publish();
        return this;
    }

    /** On a pool thread: the run as the local sweep runs it; true when it was stopped before its end. */
    private static boolean execute(final Running run, final Path runDir)
    {
        if (RunRecord.finished(runDir))
        {
            return false; // finished here before its result reached a coordinator
        }
        final Runs.Active<?> active = SweepRunner.startRun(
            ExperimentConfig.fromUserConfigAny(ConfigFactory.parseString(run.assign.config())), runDir);
        run.started(active);
        active.finish();
        // Drained or stopped by stop.max-wall, the run is abandoned: handed out again, it resumes. "Finished" is
        // what the coordinator and the local sweep go by too, for every kind.
        return !RunRecord.finished(runDir);
    }

    private Behavior<Command> onRunEnded(final RunEnded ended)
    {
        final Assign a = ended.assign();
        running.remove(a.sweep() + "/" + a.folder());
        final ActorRef<SweepWorker.Command> self = getContext().getSelf();
        if (ended.failure() != null && !ended.stopRequested())
        {
            line("%s failed: %s", a.folder(), ended.failure());
            a.coordinator().tell(new SweepCoordinator.RunFailed(self, a.sweep(), a.run(), ended.failure()));
        }
        else if (ended.interrupted() || ended.failure() != null)
        {
            // Stopped on purpose: a failure while the JVM shuts down (its summary.json and checkpoint are
            // written before the plots, which then cannot start) is no failure of the run.
            line("%s stopped at a checkpoint (resumes here if handed out again)%s", a.folder(),
                ended.failure() == null ? "" : "; while stopping: " + ended.failure());
            a.coordinator().tell(new SweepCoordinator.RunAbandoned(self, a.sweep(), a.run()));
        }
        else
        {
            try
            {
                final String metrics = Files.readString(ended.dir().resolve("metrics.csv"), StandardCharsets.UTF_8);
                final String summary = Files.readString(ended.dir().resolve(RunRecord.SUMMARY), StandardCharsets.UTF_8);
                int parts = 0;
                for (int from = 0; from < metrics.length(); from += PART_CHARS)
                {
                    a.coordinator().tell(new SweepCoordinator.MetricsPart(self, a.sweep(), a.run(), parts++,
                        metrics.substring(from, Math.min(metrics.length(), from + PART_CHARS))));
                }
                a.coordinator().tell(new SweepCoordinator.RunFinished(self, a.sweep(), a.run(), parts, summary));
                line("%s done, %.1f s", a.folder(), ended.seconds());
            }
            catch (final IOException | UncheckedIOException ex)
            {
                a.coordinator().tell(new SweepCoordinator.RunFailed(self, a.sweep(), a.run(),
                    "cannot read the finished run's files: " + ex.getMessage()));
            }
        }
        if (draining && running.isEmpty())
        {
            drained.forEach(r -> r.tell(Done.getInstance()));
            drained.clear();
        }
        requestWork();
        publish();
        return this;
    }

    private Behavior<Command> onSweepOver(final SweepOver over)
    {
        stopRunsOf(over.coordinator());
        if (over.coordinator().equals(coordinator))
        {
            coordinator = null;
            requested = 0;
        }
        return this;
    }

    private Behavior<Command> onCoordinatorGone(final CoordinatorGone gone)
    {
        // Its runs stop at a checkpoint; a restarted coordinator hands them out again and they resume from it.
        watched.remove(gone.coordinator());
        stopRunsOf(gone.coordinator());
        if (gone.coordinator().equals(coordinator))
        {
            coordinator = null;
            requested = 0;
        }
        return this;
    }

    private Behavior<Command> onDrain(final Drain drain)
    {
        draining = true;
        running.values().forEach(Running::stop);
        if (running.isEmpty())
        {
            drain.replyTo().tell(Done.getInstance());
        }
        else
        {
            drained.add(drain.replyTo());
        }
        return this;
    }

    private Behavior<Command> onPostStop()
    {
        running.values().forEach(Running::stop);
        pool.shutdown();
        return this;
    }

    private void stopRunsOf(final ActorRef<SweepCoordinator.Command> c)
    {
        for (final Running r : running.values())
        {
            if (r.assign.coordinator().equals(c))
            {
                r.stop();
            }
        }
    }

    /** One request per free slot, to the coordinator whose offer came last. */
    private void requestWork()
    {
        if (coordinator == null || draining)
        {
            return;
        }
        while (running.size() + requested < parallel)
        {
            coordinator.tell(new SweepCoordinator.RequestWork(getContext().getSelf(), sweep));
            requested++;
        }
    }

    private void publish()
    {
        final List<String> runs = new ArrayList<>();
        for (final Running r : running.values())
        {
            runs.add(r.assign.folder());
        }
        final String self = org.apache.pekko.cluster.typed.Cluster.get(getContext().getSystem()).selfMember()
            .address().toString();
        status.publishWork(Map.of(self, runs), null);
    }

    private void line(final String format, final Object... args)
    {
        if (log != null)
        {
            log.printf("worker: " + format + "%n", args);
        }
    }

    private static String describe(final Throwable ex)
    {
        Throwable t = ex;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
            && t.getCause() != null)
        {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage().replace('\n', ' ') : t.toString();
    }
}
