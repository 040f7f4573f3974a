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
    // Whether a run has spawned into the owned system: until then a run with another pekko section replaces it.
    private static boolean spawned;
    // A system being started ahead of the first run (prestart), and the section it was started with.
    private static CompletableFuture<ActorSystem<?>> starting;
    private static Config startingPekko;

    private Engine()
    {
    }

    /**
     * Spawns a run's root actor; {@code runPekko} is the run's {@code pekko} section, which configures the process's
     * system: the first run's section creates it, and a later run whose section differs is refused.
     */
    static synchronized <T> ActorRef<T> spawn(final Behavior<T> root, final String name, final Config runPekko)
    {
        adoptStarted();
        if (system != null && owned && !spawned && !pekko.equals(runPekko))
        {
            // Started ahead with a section this run does not have: no run uses it yet, so start the right one.
            terminate(system);
            system = null;
        }
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
        spawned = true;
        return system.systemActorOf(root, name + "-" + RUNS.incrementAndGet(), Props.empty());
    }

    /**
     * Starts the process's system with {@code runPekko} on a thread of its own, so that its start-up (0.2 s or more
     * of a cold JVM) overlaps what the command does before its first run, e.g. a sweep's plan; the first run waits
     * for it. Nothing happens when a system exists or is starting.
     */
    public static synchronized void prestart(final Config runPekko)
    {
        if (system != null || starting != null)
        {
            return;
        }
        final CompletableFuture<ActorSystem<?>> started = new CompletableFuture<>();
        final Thread t = new Thread(() ->
        {
            try
            {
                started.complete(ActorSystem.create(Behaviors.empty(), "sgdsim", config(runPekko)));
            }
            catch (final RuntimeException | Error ex)
            {
                started.completeExceptionally(ex);
            }
        }, "sgdsim-engine-start");
        t.setDaemon(true);
        starting = started;
        startingPekko = runPekko;
        t.start();
    }

    /** Takes over the system {@link #prestart} began, once it is up; a failed start is left to the first run's. */
    private static void adoptStarted()
    {
        if (starting == null)
        {
            return;
        }
        final CompletableFuture<ActorSystem<?>> started = starting;
        starting = null;
        try
        {
            final ActorSystem<?> s = started.join();
            if (system == null)
            {
                system = s;
                pekko = startingPekko;
                owned = true;
                spawned = false;
            }
            else
            {
                terminate(s); // a cluster node attached its system meanwhile
            }
        }
        catch (final java.util.concurrent.CompletionException | java.util.concurrent.CancellationException ex)
        {
            // the run creates the system itself and reports what goes wrong
        }
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
        adoptStarted();
        if (system != null && owned)
        {
            terminate(system);
        }
        system = null;
        pekko = null;
        spawned = false;
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
