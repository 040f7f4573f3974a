package org.sgdsim.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.sgdsim.stream.plane.StageFailedException;

/**
 * The process's one actor system: every run spawns its supervisor into it and stops it when the run ends, so a sweep
 * of thousands of runs pays for an actor system once. Created on the first run; a cluster node attaches its own
 * system instead, so its sweep runs live beside the cluster actors.
 */
public final class Engine
{
    private static final AtomicLong RUNS = new AtomicLong();
    private static ActorSystem<?> system;
    private static Config pekko;
    private static boolean owned;

    private Engine()
    {
    }

    /**
     * Spawns a run's root actor; {@code runPekko} is the run's {@code pekko} section, which configures the process's
     * system: the first run's section creates it, and a later run whose section differs is refused.
     */
    static synchronized <T> ActorRef<T> spawn(final Behavior<T> root, final String name, final Config runPekko)
    {
        if (system == null)
        {
            system = ActorSystem.create(Behaviors.empty(), "sgdsim", config(runPekko));
            pekko = runPekko;
            owned = true;
        }
        else if (owned && !pekko.equals(runPekko))
        {
            throw new IllegalArgumentException("the pekko section configures the process's one actor system: all runs"
                + " of one command must have the same pekko section (this run's differs from the first run's)");
        }
        return system.systemActorOf(root, name + "-" + RUNS.incrementAndGet(), Props.empty());
    }

    /**
     * Lets runs spawn into {@code clusterSystem} (a cluster node's) when the process has no system yet; a process
     * that already has one (tests running a node beside local runs) keeps it.
     */
    public static synchronized void attach(final ActorSystem<?> clusterSystem)
    {
        if (system == null)
        {
            system = clusterSystem;
            owned = false;
        }
    }

    /** The cluster node's system is ending: later runs start a system of their own. */
    public static synchronized void detach(final ActorSystem<?> clusterSystem)
    {
        if (system == clusterSystem)
        {
            system = null;
            pekko = null;
        }
    }

    /** The process's system, or null before the first run (for tests). */
    static synchronized ActorSystem<?> current()
    {
        return system;
    }

    /** Ends the process's own system (not an attached one) and waits up to 10 s; the next run starts a new one. */
    public static synchronized void shutdown()
    {
        if (system != null && owned)
        {
            terminate(system);
        }
        system = null;
        pekko = null;
    }

    /** {@code runPekko} overrides over sgdsim's actor-system defaults; initialises SLF4J before Pekko logs. */
    static Config config(final Config runPekko)
    {
        // Initialise SLF4J before Pekko logs from its own threads, or SLF4J prints a "replaying" warning.
        org.slf4j.LoggerFactory.getILoggerFactory();
        return runPekko.withFallback(ConfigFactory.parseResources(Engine.class.getClassLoader(),
            "org/sgdsim/stream/pekko.conf")).withFallback(ConfigFactory.load(Engine.class.getClassLoader()));
    }

    /** Waits for a run's result; a failed stage surfaces as {@link StageFailedException}. */
    static <T> T await(final CompletableFuture<T> result)
    {
        try
        {
            return result.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new StageFailedException("interrupted while waiting for the run", ex);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof StageFailedException failed)
            {
                throw failed;
            }
            throw new StageFailedException(String.valueOf(ex.getCause()), ex.getCause());
        }
    }

    /**
     * Stops a run whose result nobody waited for (its supervisor stops its stages and closes their threads), and
     * waits up to 10 s for that.
     */
    static <C> void abandon(final ActorRef<C> root, final C stop, final CompletableFuture<?> result)
    {
        if (result.isDone())
        {
            return;
        }
        root.tell(stop);
        try
        {
            result.get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // the run is being abandoned: how it ended changes nothing
        }
    }

    private static void terminate(final ActorSystem<?> s)
    {
        s.terminate();
        try
        {
            s.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // results are in hand; a slow actor-system shutdown changes nothing of them
        }
    }
}
