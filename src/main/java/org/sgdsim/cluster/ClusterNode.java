package org.sgdsim.cluster;

import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.sgdsim.experiment.UserError;

/**
 * One sgdsim node of a Pekko cluster: an actor system with the cluster provider on Artery TCP, a membership
 * monitor feeding {@link #status()}, and the role's own actors spawned by the caller. Nothing listens on the
 * network unless a node is started.
 */
public final class ClusterNode implements AutoCloseable
{
    /** Role of a node that only holds the membership together. */
    public static final String SEED = "seed";
    /** Role of a node that runs sweep points. */
    public static final String WORKER = "worker";
    /** Role of the node of {@code sweep --cluster}. */
    public static final String COORDINATOR = "coordinator";

    /** How long a stopping worker waits for its runs to reach a checkpoint. */
    static final Duration DRAIN = Duration.ofSeconds(30);

    private final ActorSystem<Void> system;
    private final ClusterStatus status;
    private final String role;

    private ClusterNode(final ActorSystem<Void> system, final ClusterStatus status, final String role)
    {
        this.system = system;
        this.status = status;
        this.role = role;
    }

    /**
     * Starts a node and joins the seed nodes (in the background; see {@link #awaitUp}).
     *
     * @param settings    the cluster settings.
     * @param role        {@link #SEED}, {@link #WORKER} or {@link #COORDINATOR}.
     * @param defaultPort the port when {@code cluster.port = auto}.
     * @param children    spawns the role's actors under the guardian, given the node's status to publish into.
     * @throws UserError when the port is in use or the address cannot be bound.
     */
    public static ClusterNode start(final ClusterSettings settings, final String role, final int defaultPort,
        final BiConsumer<ActorContext<Void>, ClusterStatus> children)
    {
        // Initialise SLF4J before Pekko logs from its own threads, or SLF4J prints a "replaying" warning.
        org.slf4j.LoggerFactory.getILoggerFactory();
        final ClusterStatus status = new ClusterStatus();
        final String password = settings.checkTransport();
        final Config config = settings.pekko(role, defaultPort, password)
            .withFallback(ConfigFactory.load(ClusterNode.class.getClassLoader()));
        final int port = settings.node().port() >= 0 ? settings.node().port() : defaultPort;
        {
            // Checked here first (port 0: the address alone): Pekko would log the failure with its stack trace.
            try (java.net.ServerSocket probe = new java.net.ServerSocket())
            {
                probe.setReuseAddress(true);
                probe.bind(new java.net.InetSocketAddress(settings.node().bindHost(), port));
            }
            catch (final java.io.IOException ex)
            {
                throw bindError(settings, port, ex);
            }
        }
        try
        {
            final ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(context ->
            {
                context.spawn(ClusterMonitor.create(status, role), "monitor");
                children.accept(context, status);
                return Behaviors.empty();
            }), settings.membership().name(), config);
            return new ClusterNode(system, status, role);
        }
        catch (final RuntimeException ex)
        {
            for (Throwable t = ex; t != null; t = t.getCause())
            {
                if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Failed to bind"))
                {
                    throw bindError(settings, port, ex);
                }
            }
            throw ex;
        }
    }

    private static UserError bindError(final ClusterSettings settings, final int port, final Exception ex)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (String.valueOf(t.getMessage()).contains("Address already in use"))
            {
                return new UserError("cluster.port " + port + " on " + settings.node().bindHost()
                    + " is in use (another sgdsim node or program listens there); choose another with "
                    + "--set cluster.port=N", ex);
            }
        }
        return new UserError("cluster.host " + settings.node().bindHost() + ":" + port + " cannot be bound ("
            + String.valueOf(ex.getMessage()).replace('\n', ' ') + "); set cluster.host / cluster.bind-host to an "
            + "address of this machine", ex);
    }

    /**
     * Starts a seed node: it only holds the membership together, on port 2552 unless cluster.port says otherwise.
     * A seed whose own HOST:PORT is not in cluster.seed-nodes is put first, so it forms the cluster by itself.
     */
    public static ClusterNode seed(final ClusterSettings settings)
    {
        final ClusterSettings.Node node = settings.node();
        final String self = node.host() + ":" + (node.port() >= 0 ? node.port() : ClusterSettings.SEED_PORT);
        final java.util.List<String> seeds = new java.util.ArrayList<>(settings.membership().seedNodes());
        if (!seeds.contains(self))
        {
            seeds.add(0, self);
        }
        return start(settings.withSeedNodes(seeds), SEED, ClusterSettings.SEED_PORT, (context, status) -> { });
    }

    /**
     * Starts a worker node: a {@link SweepWorker} running {@code settings.worker().parallel()} runs at a time under
     * {@code <cluster.worker.dir>/<host>_<port>/}. When the node shuts down (SIGTERM, {@link #close()}), its runs
     * first drain to a checkpoint and its coordinators queue them again.
     *
     * @param log one line per run, or null.
     */
    public static ClusterNode worker(final ClusterSettings settings, final PrintStream log)
    {
        return start(settings, WORKER, 0, (context, status) ->
        {
            final Address self = Cluster.get(context.getSystem()).selfMember().address();
            final Path dir = settings.worker().dir().resolve(self.getHost().orElse("local") + "_"
                + self.getPort().orElse(0));
            // The worker's runs spawn into this node's system: one actor system per process.
            org.sgdsim.stream.Engine.attach(context.getSystem());
            final ActorRef<SweepWorker.Command> worker = context.spawn(SweepWorker.create(settings.worker().parallel(),
                dir, status, log), "sweep-worker");
            final ActorSystem<Void> system = context.getSystem();
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(),
                "drain-sweep-runs", () -> AskPattern.ask(worker, SweepWorker.Drain::new, DRAIN,
                    system.scheduler()));
        });
    }

    /** The node's actor system. */
    public ActorSystem<Void> system()
    {
        return system;
    }

    /** The node's role. */
    public String role()
    {
        return role;
    }

    /** The node's address, {@code pekko://name@host:port}. */
    public String address()
    {
        return Cluster.get(system).selfMember().address().toString();
    }

    /** The dashboard's view of this node's cluster; poll {@link ClusterStatus#snapshot()} from any thread. */
    public ClusterStatus status()
    {
        return status;
    }

    /** Waits until this node is an Up member; false when {@code timeout} passed first. */
    public boolean awaitUp(final Duration timeout) throws InterruptedException
    {
        final long end = System.nanoTime() + timeout.toNanos();
        while (Cluster.get(system).selfMember().status() != MemberStatus.up())
        {
            if (System.nanoTime() > end || system.getWhenTerminated().toCompletableFuture().isDone())
            {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Completes when the actor system has terminated (after {@link #close()}, or when the cluster downed it). */
    public CompletionStage<Done> whenTerminated()
    {
        return system.getWhenTerminated();
    }

    /** Starts leaving the cluster (a worker drains its runs first) and returns; see {@link #whenTerminated()}. */
    public void leave()
    {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    }

    /** Leaves the cluster gracefully and terminates the actor system (waits up to 30 s). */
    @Override
    public void close()
    {
        org.sgdsim.stream.Engine.detach(system);
        if (Cluster.get(system).selfMember().status() == MemberStatus.up())
        {
            CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
        }
        else
        {
            // Never joined: there is no membership to leave, and the leave phases would only wait out their timeouts.
            system.terminate();
        }
        try
        {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            system.terminate();
        }
    }
}
