package org.sgdsim.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;

/** Runs one experiment through the actor pipeline and waits for it: the entry point for commands and tests. */
public final class PipelineRun implements AutoCloseable
{
    private final ActorSystem<RunSupervisor.Command> system;
    private final CompletableFuture<PipelineResult> result = new CompletableFuture<>();

    private PipelineRun(final RunPlan plan, final int generators, final PipelineSinks sinks, final Config pekko)
    {
        this.system = ActorSystem.create(RunSupervisor.create(plan, generators, sinks, result), "sgdsim", pekko);
    }

    /**
     * Starts a run; {@code pekko} overrides (e.g. the {@code pekko} section of the experiment) are layered over
     * sgdsim's actor-system defaults.
     */
    public static PipelineRun start(final RunPlan plan, final int generators, final PipelineSinks sinks,
        final Config pekko)
    {
        if (generators < 1)
        {
            throw new IllegalArgumentException("generators must be ≥ 1");
        }
        // Initialise SLF4J before Pekko logs from its own threads, or SLF4J prints a "replaying" warning.
        org.slf4j.LoggerFactory.getILoggerFactory();
        final Config config = pekko.withFallback(ConfigFactory.parseResources(PipelineRun.class.getClassLoader(),
            "org/sgdsim/stream/pekko.conf")).withFallback(ConfigFactory.load(PipelineRun.class.getClassLoader()));
        return new PipelineRun(plan, generators, sinks, config);
    }

    /** Asks the run to drain: the learner stops after its current batch and the summary is written. */
    public void requestStop()
    {
        system.tell(new RunSupervisor.RequestStop());
    }

    /** Waits for the end of the run; a failed stage surfaces as {@link StageFailedException}. */
    public PipelineResult await()
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
    @Override
    public void close()
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
