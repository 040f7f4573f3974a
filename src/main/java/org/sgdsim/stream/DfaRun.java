package org.sgdsim.stream;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.sgdsim.optics.Projector;

/** Runs DFA learners and their optical units through the actor stages and waits for them. */
public final class DfaRun implements AutoCloseable
{
    private final ActorSystem<DfaSupervisor.Command> system;
    private final CompletableFuture<List<DfaSupervisor.Outcome>> result = new CompletableFuture<>();

    private DfaRun(final List<DfaPlan> plans, final List<Projector> units, final int[] unitOf, final Config config)
    {
        this.system = ActorSystem.create(DfaSupervisor.create(plans, units, unitOf, result), "sgdsim-dfa", config);
    }

    /**
     * Starts learners {@code plans}; learner i sends its errors to optical unit {@code unitOf[i]} (−1: none), each
     * unit projecting with {@code units.get(u)}. {@code pekko} overrides are layered over sgdsim's actor defaults.
     */
    public static DfaRun start(final List<DfaPlan> plans, final List<Projector> units, final int[] unitOf,
        final Config pekko)
    {
        if (unitOf.length != plans.size())
        {
            throw new IllegalArgumentException(plans.size() + " learners but " + unitOf.length + " unit assignments");
        }
        final Config config = ActorRuns.config(pekko);
        return new DfaRun(plans, units, unitOf, config);
    }

    /** Asks every learner to stop at the end of its current epoch. */
    public void requestStop()
    {
        system.tell(new DfaSupervisor.RequestStop());
    }

    /** Waits for the end; a failed stage surfaces as {@link StageFailedException}. */
    public List<DfaSupervisor.Outcome> await()
    {
        return ActorRuns.await(result);
    }

    /** Terminates the actor system and waits (up to 10 s) for it. */
    @Override
    public void close()
    {
        ActorRuns.terminate(system);
    }
}
