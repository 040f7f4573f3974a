package org.sgdsim.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.sgdsim.experiment.sweep.RunRecord;

/**
 * Hands the unfinished runs of one sweep to the {@link SweepWorker}s of the cluster by demand: each worker asks
 * for one run per free slot, and gets the first queued run in plan order. Finished runs are committed in groups:
 * appended to the sweep's {@link ResultLog}, made durable by one fsync per batch (at most {@link #BATCH} results or
 * {@link #LINGER} old), then written into the coordinator's own sweep folder as summary.json and metrics.csv (metrics
 * first, summary last; a file a crash tore is restored from the log), which is also the sweep's checkpoint: a
 * restarted coordinator hands out only the runs without a summary. Runs
 * of a worker that becomes unreachable, leaves or stops are queued again at once; runs are deterministic, so a
 * result that arrives twice is the same and the second is ignored.
 */
public final class SweepCoordinator extends AbstractBehavior<SweepCoordinator.Command>
{
    /** The coordinator's protocol. */
    public sealed interface Command permits RequestWork, MetricsPart, RunFinished, RunFailed, RunAbandoned, Stop,
        WorkersListed, WorkerGone, ReachabilityChanged, Flush
    {
    }

    /** Results committed by one fsync at most. */
    static final int BATCH = 256;
    /** How long a result waits for its batch to fill. */
    static final java.time.Duration LINGER = java.time.Duration.ofMillis(20);

    /** A worker has a free slot. */
    public record RequestWork(ActorRef<SweepWorker.Command> worker, String sweep) implements Command,
        CborSerializable
    {
    }

    /** Part {@code part} of a finished run's metrics.csv (the parts of a run arrive in order). */
    public record MetricsPart(ActorRef<SweepWorker.Command> worker, String sweep, int run, int part, String text)
        implements Command, CborSerializable
    {
    }

    /** A run finished on a worker: its summary.json, after {@code parts} parts of metrics.csv. */
    public record RunFinished(ActorRef<SweepWorker.Command> worker, String sweep, int run, int parts, String summary)
        implements Command, CborSerializable
    {
    }

    /** A run failed on a worker; the sweep fails as a local one would. */
    public record RunFailed(ActorRef<SweepWorker.Command> worker, String sweep, int run, String message)
        implements Command, CborSerializable
    {
    }

    /** A worker stopped a run before its end (it was shutting down): the run goes back to the queue. */
    public record RunAbandoned(ActorRef<SweepWorker.Command> worker, String sweep, int run) implements Command,
        CborSerializable
    {
    }

    /** Local: end the sweep now (workers drain their runs to a checkpoint); the result completes with false. */
    public enum Stop implements Command
    {
        /** The only instance. */
        INSTANCE
    }

    private record WorkersListed(Receptionist.Listing listing) implements Command
    {
    }

    private record WorkerGone(ActorRef<SweepWorker.Command> worker) implements Command
    {
    }

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command
    {
    }

    private enum Flush implements Command
    {
        INSTANCE
    }

    /** A result whose log record awaits the batch's fsync before its files are written. */
    private record Pending(Job job, String metrics, String summary)
    {
    }

    /**
     * One run to hand out.
     *
     * @param run    its position in the plan.
     * @param folder its folder name.
     * @param config renders its user layers (HOCON) when it is handed out: 10^5 rendered configs would not fit.
     * @param dir    its folder on the coordinator, where the result is written.
     */
    public record Job(int run, String folder, java.util.function.Supplier<String> config, Path dir)
    {
    }

    private final String sweep;
    private final Map<Integer, Job> jobs = new TreeMap<>();
    private final int total;
    private final int before;
    private final CompletableFuture<Boolean> result;
    private final ClusterStatus status;
    private final PrintStream log;
    private final TreeSet<Integer> queued = new TreeSet<>();
    private final Map<Integer, ActorRef<SweepWorker.Command>> inFlight = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private final ArrayDeque<ActorRef<SweepWorker.Command>> demand = new ArrayDeque<>();
    private final Set<ActorRef<SweepWorker.Command>> workers = new HashSet<>();
    private final Set<Address> unreachable = new HashSet<>();
    private final Map<String, List<String>> parts = new HashMap<>();
    private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
    private final Path sweepDir;
    private final List<Pending> pending = new ArrayList<>();
    private ResultLog results;

    /**
     * A coordinator for the given runs.
     *
     * @param sweep  the sweep's id; workers keep its runs under a folder of that name.
     * @param jobs   the runs left to do.
     * @param total  runs in the plan (for progress).
     * @param result completes with true when every job has a result, false when stopped, or exceptionally with
     *               the first run failure.
     * @param status where the coordinator publishes who runs what.
     * @param log    one line per finished run, or null.
     * @param dir    the sweep folder (holds the {@link ResultLog}).
     */
    public static Behavior<Command> create(final String sweep, final List<Job> jobs, final int total,
        final CompletableFuture<Boolean> result, final ClusterStatus status, final PrintStream log, final Path dir)
    {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new SweepCoordinator(context, timers, sweep,
            jobs, total, result, status, log, dir)));
    }

    private SweepCoordinator(final ActorContext<Command> context,
        final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers, final String sweep,
        final List<Job> jobs, final int total, final CompletableFuture<Boolean> result, final ClusterStatus status,
        final PrintStream log, final Path dir)
    {
        super(context);
        this.timers = timers;
        this.sweepDir = dir;
        this.sweep = sweep;
        for (final Job job : jobs)
        {
            this.jobs.put(job.run(), job);
            queued.add(job.run());
        }
        this.total = total;
        this.before = total - jobs.size();
        this.result = result;
        this.status = status;
        this.log = log;
        context.getSystem().receptionist().tell(Receptionist.subscribe(SweepWorker.KEY,
            context.messageAdapter(Receptionist.Listing.class, WorkersListed::new)));
        Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
            context.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
            ClusterEvent.ReachabilityEvent.class));
        publish();
    }

    @Override
    public Receive<Command> createReceive()
    {
        return newReceiveBuilder()
            .onMessage(WorkersListed.class, this::onWorkersListed)
            .onMessage(WorkerGone.class, this::onWorkerGone)
            .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
            .onMessage(RequestWork.class, this::onRequestWork)
            .onMessage(MetricsPart.class, this::onMetricsPart)
            .onMessage(RunFinished.class, this::onRunFinished)
            .onMessage(RunFailed.class, this::onRunFailed)
            .onMessage(RunAbandoned.class, this::onRunAbandoned)
            .onMessageEquals(Stop.INSTANCE, this::onStop)
            .onMessageEquals(Flush.INSTANCE, this::onFlush)
            .onSignal(org.apache.pekko.actor.typed.PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onWorkersListed(final WorkersListed listed)
    {
        final Set<ActorRef<SweepWorker.Command>> now = listed.listing().getServiceInstances(SweepWorker.KEY);
        for (final ActorRef<SweepWorker.Command> w : now)
        {
            if (workers.add(w))
            {
                getContext().watchWith(w, new WorkerGone(w));
                line("worker %s joined", w.path().address());
                w.tell(new SweepWorker.Offer(getContext().getSelf(), sweep));
            }
        }
        for (final ActorRef<SweepWorker.Command> w : new ArrayList<>(workers))
        {
            if (!now.contains(w))
            {
                lost(w, "left");
            }
        }
        return this;
    }

    private Behavior<Command> onWorkerGone(final WorkerGone gone)
    {
        if (workers.contains(gone.worker()))
        {
            lost(gone.worker(), "is gone");
        }
        return this;
    }

    private Behavior<Command> onReachabilityChanged(final ReachabilityChanged changed)
    {
        final Address address = changed.event().member().address();
        if (changed.event() instanceof ClusterEvent.UnreachableMember)
        {
            unreachable.add(address);
            // Do not wait for the split brain resolver: its runs go to the others now. Should the node come
            // back, its results are identical and whichever arrives first is kept.
            requeue(w -> w.path().address().equals(address), "unreachable");
        }
        else
        {
            unreachable.remove(address);
        }
        serve();
        return this;
    }

    private Behavior<Command> onRequestWork(final RequestWork request)
    {
        if (!sweep.equals(request.sweep()))
        {
            return this;
        }
        if (workers.add(request.worker()))
        {
            getContext().watchWith(request.worker(), new WorkerGone(request.worker()));
        }
        demand.add(request.worker());
        serve();
        return this;
    }

    private Behavior<Command> onMetricsPart(final MetricsPart part)
    {
        if (!sweep.equals(part.sweep()) || finished.contains(part.run()))
        {
            return this;
        }
        final List<String> list = parts.computeIfAbsent(key(part.worker(), part.run()), k -> new ArrayList<>());
        if (part.part() == 0)
        {
            list.clear();
        }
        if (part.part() == list.size())
        {
            list.add(part.text());
        }
        return this;
    }

    private Behavior<Command> onRunFinished(final RunFinished done)
    {
        final List<String> text = parts.remove(key(done.worker(), done.run()));
        if (!sweep.equals(done.sweep()) || finished.contains(done.run()) || !jobs.containsKey(done.run()))
        {
            return this;
        }
        final int received = text == null ? 0 : text.size();
        if (received != done.parts())
        {
            // Parts lost on the way (a connection dropped): do the run again rather than keep a torn file.
            line("%s: %d of %d metrics parts arrived from %s; queued again", jobs.get(done.run()).folder(), received,
                done.parts(), done.worker().path().address());
            if (done.worker().equals(inFlight.get(done.run())))
            {
                inFlight.remove(done.run());
                queued.add(done.run());
            }
            serve();
            return this;
        }
        final Job job = jobs.get(done.run());
        try
        {
            if (results == null)
            {
                results = new ResultLog(sweepDir);
            }
            results.append(job.run(), text == null ? "" : String.join("", text), done.summary());
        }
        catch (final IOException ex)
        {
            return fail(new UncheckedIOException(new IOException("cannot log the result of run " + job.folder()
                + " in " + sweepDir.resolve(ResultLog.NAME) + ": " + ex.getMessage(), ex)));
        }
        pending.add(new Pending(job, text == null ? "" : String.join("", text), done.summary()));
        finished.add(done.run());
        inFlight.remove(done.run());
        queued.remove(done.run());
        line("[%d/%d] %s finished on %s", before + finished.size(), total, job.folder(),
            done.worker().path().address());
        publish();
        if (finished.size() == jobs.size())
        {
            final RuntimeException failure = commit();
            if (failure != null)
            {
                return fail(failure);
            }
            endSweep();
            result.complete(true);
            return Behaviors.stopped();
        }
        if (pending.size() >= BATCH)
        {
            final RuntimeException failure = commit();
            return failure == null ? this : fail(failure);
        }
        if (!timers.isTimerActive(Flush.INSTANCE))
        {
            timers.startSingleTimer(Flush.INSTANCE, LINGER);
        }
        return this;
    }

    private Behavior<Command> onFlush()
    {
        final RuntimeException failure = commit();
        return failure == null ? this : fail(failure);
    }

    /** Group commit: one fsync of the log for every pending result, then their files; the failure, or null. */
    private RuntimeException commit()
    {
        if (pending.isEmpty())
        {
            return null;
        }
        Job job = pending.get(0).job();
        try
        {
            results.sync();
            for (final Pending p : pending)
            {
                job = p.job();
                Files.createDirectories(job.dir());
                ResultLog.writeUnsynced(job.dir().resolve("metrics.csv"), p.metrics());
                ResultLog.writeUnsynced(job.dir().resolve(RunRecord.SUMMARY), p.summary());
            }
            pending.clear();
            return null;
        }
        catch (final IOException | UncheckedIOException ex)
        {
            pending.clear();
            return new UncheckedIOException(new IOException("cannot write the result of run " + job.folder()
                + " into " + job.dir() + ": " + ex.getMessage(), ex));
        }
    }

    private Behavior<Command> onPostStop()
    {
        commit();
        if (results != null)
        {
            try
            {
                results.close();
            }
            catch (final IOException ex)
            {
                // the results already committed are on disk; the others are done again on the next start
            }
        }
        return this;
    }

    private Behavior<Command> onRunFailed(final RunFailed failed)
    {
        if (!sweep.equals(failed.sweep()) || finished.contains(failed.run()) || !jobs.containsKey(failed.run()))
        {
            return this;
        }
        return fail(new IllegalStateException("run " + jobs.get(failed.run()).folder() + " failed on "
            + failed.worker().path().address() + ": " + failed.message()));
    }

    private Behavior<Command> onRunAbandoned(final RunAbandoned abandoned)
    {
        if (sweep.equals(abandoned.sweep()) && abandoned.worker().equals(inFlight.get(abandoned.run())))
        {
            inFlight.remove(abandoned.run());
            queued.add(abandoned.run());
            line("%s queued again (its worker %s stopped it at a checkpoint)", jobs.get(abandoned.run()).folder(),
                abandoned.worker().path().address());
            serve();
        }
        return this;
    }

    private Behavior<Command> onStop()
    {
        commit();
        endSweep();
        result.complete(false);
        return Behaviors.stopped();
    }

    private Behavior<Command> fail(final RuntimeException failure)
    {
        endSweep();
        result.completeExceptionally(failure);
        return Behaviors.stopped();
    }

    private void lost(final ActorRef<SweepWorker.Command> worker, final String why)
    {
        workers.remove(worker);
        demand.removeIf(worker::equals);
        line("worker %s %s", worker.path().address(), why);
        requeue(worker::equals, why);
        serve();
    }

    private void requeue(final java.util.function.Predicate<ActorRef<SweepWorker.Command>> which, final String why)
    {
        final Iterator<Map.Entry<Integer, ActorRef<SweepWorker.Command>>> it = inFlight.entrySet().iterator();
        while (it.hasNext())
        {
            final Map.Entry<Integer, ActorRef<SweepWorker.Command>> e = it.next();
            if (which.test(e.getValue()))
            {
                line("%s queued again (its worker %s %s)", jobs.get(e.getKey()).folder(), e.getValue().path().address(),
                    why);
                queued.add(e.getKey());
                it.remove();
            }
        }
        publish();
    }

    /** Hands queued runs, in plan order, to the waiting requests of reachable workers. */
    private void serve()
    {
        final Iterator<ActorRef<SweepWorker.Command>> it = demand.iterator();
        while (!queued.isEmpty() && it.hasNext())
        {
            final ActorRef<SweepWorker.Command> w = it.next();
            if (unreachable.contains(w.path().address()))
            {
                continue; // keep its request: it is served once the node is reachable again
            }
            it.remove();
            final Job job = jobs.get(queued.pollFirst());
            inFlight.put(job.run(), w);
            w.tell(new SweepWorker.Assign(getContext().getSelf(), sweep, job.run(), job.folder(), job.config().get()));
        }
        publish();
    }

    private void endSweep()
    {
        for (final ActorRef<SweepWorker.Command> w : workers)
        {
            w.tell(new SweepWorker.SweepOver(getContext().getSelf()));
        }
        inFlight.clear();
        queued.clear();
        publish();
    }

    private void publish()
    {
        final Map<String, List<String>> runs = new HashMap<>();
        for (final Map.Entry<Integer, ActorRef<SweepWorker.Command>> e : new TreeMap<>(inFlight).entrySet())
        {
            runs.computeIfAbsent(e.getValue().path().address().toString(), k -> new ArrayList<>())
                .add(jobs.get(e.getKey()).folder());
        }
        status.publishWork(runs, new ClusterSnapshot.Sweep(sweep, total, before + finished.size(), inFlight.size(),
            queued.size()));
    }

    private static String key(final ActorRef<SweepWorker.Command> worker, final int run)
    {
        return worker.path() + "#" + run;
    }

    private void line(final String format, final Object... args)
    {
        if (log != null)
        {
            log.printf("sweep " + format + "%n", args);
        }
    }
}
