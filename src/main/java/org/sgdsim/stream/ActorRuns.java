package org.sgdsim.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;

/** What every run's actor system needs: its config, waiting for the result, and shutting down. */
final class ActorRuns
{
    private ActorRuns()
    {
    }

    /** {@code pekko} overrides over sgdsim's actor-system defaults; initialises SLF4J before Pekko logs. */
    static Config config(final Config pekko)
    {
        // Initialise SLF4J before Pekko logs from its own threads, or SLF4J prints a "replaying" warning.
        org.slf4j.LoggerFactory.getILoggerFactory();
        return pekko.withFallback(ConfigFactory.parseResources(ActorRuns.class.getClassLoader(),
            "org/sgdsim/stream/pekko.conf")).withFallback(ConfigFactory.load(ActorRuns.class.getClassLoader()));
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

    /** Terminates the actor system and waits (up to 10 s) for it. */
    static void terminate(final ActorSystem<?> system)
    {
        system.terminate();
        try
        {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // the run's result is already in hand; a slow actor-system shutdown changes nothing of it
        }
    }
}
