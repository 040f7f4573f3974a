package org.sgdsim.stream;

import java.util.function.Consumer;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs one stage's agent on a thread of its own and routes the first error it throws to the owning actor
 * (errors cross threads as messages, never as exceptions). Owned and closed by that actor.
 */
final class AgentHost implements AutoCloseable
{
    private final AgentRunner runner;

    private AgentHost(final AgentRunner runner)
    {
        this.runner = runner;
    }

    /** Starts {@code agent} on a new thread named after its role; {@code onError} gets the first failure. */
    static AgentHost start(final Agent agent, final IdleStrategy idle, final Consumer<Throwable> onError)
    {
        final ErrorHandler handler = new ErrorHandler()
        {
            private boolean reported;

            @Override
            public void onError(final Throwable error)
            {
                if (!reported)
                {
                    reported = true;
                    onError.accept(error);
                }
                // One failure is enough: stop the duty cycle so the stage does not spin on a broken state.
                throw new AgentTerminationException(error);
            }
        };
        final AgentRunner runner = new AgentRunner(idle, handler, null, agent);
        AgentRunner.startOnThread(runner);
        return new AgentHost(runner);
    }

    /** Stops the agent and waits for its thread to end. */
    @Override
    public void close()
    {
        runner.close();
    }
}
