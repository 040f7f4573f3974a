package org.sgdsim.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.sgdsim.model.TwoLayerNetwork;

/**
 * The readouts an online run takes during training ({@code readout.at-steps}): after each listed step, a ridge fit
 * of a on the settled first layer, on {@link FreshReadout}'s own samples, so the training stream is never touched.
 * Owned by the one thread that takes the steps (the learner or the reference loop); it pauses training while it fits.
 * The rows taken so far travel in checkpoints, so a resumed run ends with the same rows.
 */
public final class StepReadouts
{
    private final FreshReadout fresh;
    private final long[] atSteps;
    private final List<FreshReadout.Errors> taken = new ArrayList<>();
    private int next;

    /** Readouts at {@code atSteps} (increasing) by {@code fresh}. */
    public StepReadouts(final FreshReadout fresh, final List<Integer> atSteps)
    {
        this.fresh = fresh;
        this.atSteps = atSteps.stream().mapToLong(Integer::longValue).toArray();
        for (int i = 1; i < this.atSteps.length; i++)
        {
            if (this.atSteps[i] <= this.atSteps[i - 1])
            {
                throw new IllegalArgumentException("readout steps must increase: " + atSteps);
            }
        }
    }

    /**
     * After step {@code step} (0 = before the first): fits a on the network's weights when the step is listed. The
     * network is asked for only then, so a trainer can settle W (a folded projection) just for the readouts.
     */
    public void afterStep(final long step, final Supplier<TwoLayerNetwork> network)
    {
        while (next < atSteps.length && atSteps[next] < step)
        {
            next++;
        }
        if (next < atSteps.length && atSteps[next] == step)
        {
            taken.add(fresh.fit(step, network.get()));
            next++;
        }
    }

    /** The readouts taken so far, in step order (a copy). */
    public List<FreshReadout.Errors> taken()
    {
        return List.copyOf(taken);
    }

    /** Continues a run resumed after step {@code step} with the readouts its checkpoint held. */
    public void restore(final List<FreshReadout.Errors> rows, final long step)
    {
        taken.clear();
        taken.addAll(rows);
        next = 0;
        while (next < atSteps.length && atSteps[next] <= step)
        {
            next++;
        }
    }
}
