package org.sgdsim.stream.plane;

import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.optics.OpticalProcessingUnit;
import org.sgdsim.optics.Projector;

/**
 * The optical unit's data plane: takes error batches from each attached learner's request queue, projects them
 * with its {@link Projector} (the simulated optical processing unit or the software matrix) and returns the
 * projections on that learner's reply queue. Learners are served strictly in turn (learner 0, 1, …, 0, …), skipping
 * those that have closed: a device with state (noise stream, frame counter, drift) then sees the same sequence of
 * vectors in every run, so results do not depend on thread timing.
 */
public final class OpticalUnitAgent implements Agent
{
    private final Projector projector;
    private final OneToOneConcurrentArrayQueue<ProjectionRequest>[] requests;
    private final OneToOneConcurrentArrayQueue<ProjectionRequest>[] replies;
    private final AtomicBoolean[] closed;
    private int next;
    private long vectors;
    private long busyNs;

    /** A unit serving {@code learners} learners, each over a request and a reply queue of its own. */
    @SuppressWarnings("unchecked")
    public OpticalUnitAgent(final Projector projector, final int learners)
    {
        this.projector = projector;
        this.requests = new OneToOneConcurrentArrayQueue[learners];
        this.replies = new OneToOneConcurrentArrayQueue[learners];
        this.closed = new AtomicBoolean[learners];
        for (int i = 0; i < learners; i++)
        {
            requests[i] = new OneToOneConcurrentArrayQueue<>(2);
            replies[i] = new OneToOneConcurrentArrayQueue<>(2);
            closed[i] = new AtomicBoolean();
        }
    }

    /** The queue learner {@code i} sends its requests on. */
    OneToOneConcurrentArrayQueue<ProjectionRequest> requests(final int i)
    {
        return requests[i];
    }

    /** The queue learner {@code i} gets its projections from. */
    OneToOneConcurrentArrayQueue<ProjectionRequest> replies(final int i)
    {
        return replies[i];
    }

    /** Learner {@code i} will send no more requests (called by that learner after its last reply). */
    void close(final int i)
    {
        closed[i].set(true);
    }

    /** True when the unit can give the ideal projection beside the measured one (fidelity). */
    boolean knowsIdeal()
    {
        return projector instanceof OpticalProcessingUnit;
    }

    /** The projector's output width M. */
    int outputs()
    {
        return projector.outputSize();
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (int tries = 0; tries < requests.length; tries++)
        {
            final ProjectionRequest request = requests[next].poll();
            if (request == null)
            {
                if (!closed[next].get())
                {
                    // Strict turns: wait for this learner rather than serve another one out of order.
                    return work;
                }
                next = (next + 1) % requests.length;
                continue;
            }
            final long t0 = System.nanoTime();
            projector.project(request.signal, request.batch, request.projection);
            if (request.ideal != null)
            {
                // On this thread, right after the readout: the same T (drift) the frames saw.
                ((OpticalProcessingUnit)projector).idealProject(request.signal, request.batch, request.ideal);
            }
            busyNs += System.nanoTime() - t0;
            vectors += request.batch;
            if (!replies[next].offer(request))
            {
                throw new IllegalStateException("reply queue of learner " + next + " is full");
            }
            next = (next + 1) % requests.length;
            work++;
        }
        return work;
    }

    /** Vectors projected so far (read at the end). */
    public long vectors()
    {
        return vectors;
    }

    /** Wall time spent projecting, ns (read at the end). */
    public long busyNs()
    {
        return busyNs;
    }

    @Override
    public String roleName()
    {
        return "optical-unit";
    }
}
