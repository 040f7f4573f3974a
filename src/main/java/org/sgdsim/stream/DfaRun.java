package org.sgdsim.stream;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.sgdsim.optics.Projector;
import org.sgdsim.run.DfaPlan;

/** Runs DFA learners and their optical units through the actor stages and waits for them. */
public final class DfaRun implements AutoCloseable
{
    private final ActorRef<DfaSupervisor.Command> root;
    private final CompletableFuture<List<DfaSupervisor.Outcome>> result = new CompletableFuture<>();

    private DfaRun(final List<DfaPlan> plans, final List<Projector> units, final int[] unitOf, final Config config)
    {
        this.root = Engine.spawn(DfaSupervisor.create(plans, units, unitOf, result), "dfa-run", config);
    }

    /**
     * Starts learners {@code plans}; learner i sends its errors to optical unit {@code unitOf[i]} (−1: none), each
     * unit projecting with {@code units.get(u)}, in the process's actor system ({@link Engine}).
     */
    public static DfaRun start(final List<DfaPlan> plans, final List<Projector> units, final int[] unitOf,
        final Config pekko)
    {
        if (unitOf.length != plans.size())
        {
            throw new IllegalArgumentException(plans.size() + " learners but " + unitOf.length + " unit assignments");
        }
        return new DfaRun(plans, units, unitOf, pekko);
    }

    /** Asks every learner to stop at the end of its current epoch. */
    public void requestStop()
    {
        root.tell(new DfaSupervisor.RequestStop());
    }

    /** Waits for the end; a failed stage surfaces as {@link StageFailedException}. */
    public List<DfaSupervisor.Outcome> await()
    {
        return Engine.await(result);
    }

    /** A run nobody waited for drains and stops (up to 10 s); after {@link #await} its actors are already gone. */
    @Override
    public void close()
    {
        Engine.abandon(root, new DfaSupervisor.RequestStop(), result);
    }
}
