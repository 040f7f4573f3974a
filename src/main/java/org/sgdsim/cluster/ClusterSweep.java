package org.sgdsim.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.typesafe.config.ConfigRenderOptions;
import org.apache.pekko.actor.typed.ActorRef;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.sweep.RunRecord;
import org.sgdsim.experiment.sweep.SweepPlan;

/**
 * {@code sgdsim sweep FILE --cluster HOST:PORT}: the runs of a sweep of any run kind that have no result in the
 * sweep folder yet are handed to the cluster's workers by a {@link SweepCoordinator} on a node of its own, and the
 * records are returned exactly as {@link org.sgdsim.experiment.sweep.SweepRunner#run()} returns them (every online
 * run's in plan order; none for other kinds, whose report reads the run folders), so the same {@code SweepReport}
 * or {@code KindSweepReport} writes runs.csv and the rest.
 */
public final class ClusterSweep
{
    private final SweepPlan plan;
    private final Path dir;
    private final ClusterSettings settings;
    private final PrintStream log;
    private final AtomicReference<ClusterNode> node = new AtomicReference<>();
    private final AtomicReference<ActorRef<SweepCoordinator.Command>> coordinator = new AtomicReference<>();
    private volatile boolean stopRequested;
    private int skipped;
    private int done;

    /**
     * A sweep to run on a cluster; nothing starts until {@link #run()}.
     *
     * @param plan     the runs.
     * @param dir      the sweep folder on this machine (results go to {@code dir/runs/<run>/}).
     * @param settings this node's cluster settings (seed nodes = where to join).
     * @param log      progress lines, or null.
     */
    public ClusterSweep(final SweepPlan plan, final Path dir, final ClusterSettings settings, final PrintStream log)
    {
        this.plan = plan;
        this.dir = dir;
        this.settings = settings;
        this.log = log;
    }

    /** The sweep's id: its name and a hash of its plan, so workers keep different sweeps apart. */
    public static String id(final SweepPlan plan)
    {
        return plan.definition().name() + "-" + String.format("%08x", plan.fingerprint().hashCode());
    }

    /** The coordinator-side folder of one run (summary.json and metrics.csv as the workers sent them). */
    public Path runDir(final SweepPlan.Run run)
    {
        return dir.resolve("runs").resolve(run.folder());
    }

    /** Runs that had a result before this invocation. */
    public int skipped()
    {
        return skipped;
    }

    /** Runs finished by this invocation. */
    public int done()
    {
        return done;
    }

    /** The dashboard's view of the cluster while the sweep runs, or null before the node has started. */
    public ClusterStatus status()
    {
        final ClusterNode n = node.get();
        return n == null ? null : n.status();
    }

    /** Stop: hand out nothing more; workers drain their runs to a checkpoint (safe from a signal handler). */
    public void requestStop()
    {
        stopRequested = true;
        final ActorRef<SweepCoordinator.Command> c = coordinator.get();
        if (c != null)
        {
            c.tell(SweepCoordinator.Stop.INSTANCE);
        }
    }

    /**
     * Joins the cluster, has the workers do what is left, and returns the records as the local sweep does (every
     * run's in plan order for an online sweep, none for other kinds), or null when stopped before the end.
     *
     * @throws UserError        when this node cannot bind its port or cannot join within cluster.join-timeout.
     * @throws RuntimeException the first run failure.
     */
    public List<RunRecord> run()
    {
        final List<SweepCoordinator.Job> jobs = jobs(plan, dir);
        final List<SweepPlan.Run> runs = plan.runs();
        skipped = runs.size() - jobs.size();
        final String id = id(plan);
        if (log != null)
        {
            log.printf("sweep %s: %d runs (%d points × %d seeds), %d done before, %d to hand out to the cluster at %s%n",
                plan.definition().name(), runs.size(), plan.points().size(), plan.definition().seeds().count(), skipped,
                jobs.size(), String.join(", ", settings.membership().seedNodes()));
        }
        if (!jobs.isEmpty() && !coordinate(id, jobs))
        {
            return null;
        }
        done = jobs.size();
        final List<RunRecord> records = new ArrayList<>();
        if (!plan.online())
        {
            return records; // as SweepRunner: other kinds' reports read the runs' summary.json themselves
        }
        for (final SweepPlan.Run run : runs)
        {
            records.add(RunRecord.read(run, runDir(run)));
        }
        return records;
    }

    /** The runs of the plan without a result in {@code dir}, in plan order. */
    static List<SweepCoordinator.Job> jobs(final SweepPlan plan, final Path dir)
    {
        final List<SweepCoordinator.Job> jobs = new ArrayList<>();
        final List<SweepPlan.Run> runs = plan.runs();
        try
        {
            // Results the log made durable whose files a crash lost or tore are restored first.
            ResultLog.replay(dir, i -> i >= 0 && i < runs.size() ? dir.resolve("runs").resolve(runs.get(i).folder())
                : null);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + dir.resolve(ResultLog.NAME) + ": " + ex.getMessage(), ex);
        }
        for (int i = 0; i < runs.size(); i++)
        {
            final SweepPlan.Run run = runs.get(i);
            final Path runDir = dir.resolve("runs").resolve(run.folder());
            if (!RunRecord.finished(runDir))
            {
                jobs.add(new SweepCoordinator.Job(i, run.folder(), () -> run.user().resolve().root()
                    .render(ConfigRenderOptions.concise()), runDir));
            }
        }
        return jobs;
    }

    /** True when every job has a result, false when stopped. */
    private boolean coordinate(final String id, final List<SweepCoordinator.Job> jobs)
    {
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        final ClusterNode n = ClusterNode.start(settings, ClusterNode.COORDINATOR, 0, (context, status) ->
            coordinator.set(context.spawn(SweepCoordinator.create(id, jobs, plan.runs().size(), result, status, log, dir),
                "sweep-coordinator")));
        node.set(n);
        // A node that terminates under the coordinator (JVM shutdown, downed by the split brain resolver) ends it.
        n.whenTerminated().thenRun(() -> result.complete(false));
        try
        {
            if (stopRequested)
            {
                requestStop();
            }
            final Duration timeout = settings.membership().joinTimeout();
            if (!n.awaitUp(timeout))
            {
                throw new UserError("--cluster " + String.join(", ", settings.membership().seedNodes())
                    + ": could not join the cluster within " + timeout.toSeconds() + " s (cluster.join-timeout); is `sgdsim cluster seed` "
                    + "running there, and is its address reachable from here?");
            }
            if (log != null)
            {
                log.printf("sweep: coordinator %s is a member; waiting for workers to ask for runs%n", n.address());
            }
            return result.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            requestStop();
            return awaitStopped(result);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException r)
            {
                throw r;
            }
            throw new IllegalStateException(ex.getCause());
        }
        finally
        {
            n.close();
        }
    }

    private static boolean awaitStopped(final CompletableFuture<Boolean> result)
    {
        try
        {
            return result.get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException | ExecutionException | TimeoutException ex)
        {
            return false;
        }
    }
}
