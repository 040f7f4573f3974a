package org.sgdsim.stream.plane;

import java.util.function.Consumer;

import org.agrona.concurrent.Agent;

/**
 * A learner agent as its owning actor drives it, whatever the run kind: where its outcome goes, a request to stop at
 * its next checkpoint boundary (a batch, an epoch), and giving up when the run is torn down.
 *
 * @param <O> how its training ended.
 */
public interface LearnerStage<O> extends Agent
{
    /** Where the outcome goes; set by the owning actor before the agent starts. */
    void onFinished(Consumer<O> listener);

    /** Asks the learner to stop at its next checkpoint boundary (any thread). */
    void requestStop();

    /** Makes a learner blocked on its downstream give up (the run is being torn down); nothing to do by default. */
    default void abort()
    {
    }
}
