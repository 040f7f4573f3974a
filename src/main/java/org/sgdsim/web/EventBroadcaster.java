package org.sgdsim.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves every Server-Sent Events stream of a server from one thread, {@code sgdsim-web-sse}: ten times a second it
 * writes each stream what is new. One wake-up for all clients rather than a sleeping thread per client, because the
 * pipeline fills the cores and every wake-up can preempt one of its threads.
 *
 * <p>Writes block. The watchdog ({@link #dropOverdue}) interrupts the thread when one stream's write has taken too
 * long: the server's channels are interruptible, so that write fails with {@code ClosedByInterruptException} and
 * closes that client's channel only. The interrupt can never land on another client's write: the thread names the
 * stream it writes to under {@link #guard} before writing, and after writing clears it and any interrupt under the
 * same lock; the watchdog interrupts only under that lock, while the overdue stream is the one named.
 */
final class EventBroadcaster implements AutoCloseable
{
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long STOP_MS = 5_000;

    private final PrometheusExport prometheus;
    private final Semaphore slots;
    private final Thread thread;
    private final Queue<EventStream> added = new ConcurrentLinkedQueue<>();
    /** The streams served; the broadcaster thread's own. */
    private final List<EventStream> streams = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Object guard = new Object();
    /** The stream being written to, under {@link #guard}; null between writes. */
    private EventStream writing;
    private long writeStartedNs;
    private boolean interrupted;
    private volatile boolean running = true;

    /**
     * @param slots released, one per stream, when a stream ends (its holder acquired it before {@link #add}).
     */
    EventBroadcaster(final PrometheusExport prometheus, final Semaphore slots)
    {
        this.prometheus = prometheus;
        this.slots = slots;
        this.thread = LiveServer.daemon(this::run, "sgdsim-web-sse");
    }

    void start()
    {
        thread.start();
    }

    /** Serves {@code stream} from now until its run ends, the client goes or the server closes. */
    void add(final EventStream stream)
    {
        open.incrementAndGet();
        prometheus.clients(1);
        added.add(stream);
        // its opening event goes out now rather than at the next tick
        LockSupport.unpark(thread);
    }

    /** Whether no stream is open. */
    boolean idle()
    {
        return open.get() == 0;
    }

    /**
     * Watchdog: when the write in progress has taken longer than {@code timeoutNs}, drops its client by interrupting
     * the write.
     */
    void dropOverdue(final long now, final long timeoutNs)
    {
        synchronized (guard)
        {
            if (writing != null && !interrupted && now - writeStartedNs > timeoutNs)
            {
                interrupted = true;
                if (writing.drop())
                {
                    prometheus.dropped();
                }
                thread.interrupt();
            }
        }
    }

    /** Ends every stream (their connections are closed, not finished) and the thread. */
    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.interrupt();
        thread.join(STOP_MS);
    }

    private void run()
    {
        while (running)
        {
            admit();
            final long now = System.nanoTime();
            boolean behind = false;
            for (int i = 0; i < streams.size() && running; )
            {
                final int sent = serve(streams.get(i), now);
                if (sent == EventStream.ENDED)
                {
                    streams.remove(i);
                }
                else
                {
                    behind |= sent == EventStream.MAX_BATCH;
                    i++;
                }
            }
            if (!behind && running)
            {
                LockSupport.parkNanos(POLL_NS);
            }
        }
        // closing: interrupted, every write below closes its channel at once instead of waiting for a client
        Thread.currentThread().interrupt();
        admit();
        for (final EventStream s : streams)
        {
            s.close();
            ended();
        }
        streams.clear();
    }

    private void admit()
    {
        EventStream s;
        while ((s = added.poll()) != null)
        {
            streams.add(s);
        }
    }

    /** Writes what is due to {@code s}; ends it when its run ended, its client went or the watchdog dropped it. */
    private int serve(final EventStream s, final long now)
    {
        int sent;
        writing(s);
        try
        {
            sent = s.send(now);
        }
        catch (final IOException | RuntimeException ex)
        {
            sent = EventStream.ENDED;
        }
        finally
        {
            written();
        }
        if (sent != EventStream.ENDED && !s.dropped())
        {
            return sent;
        }
        writing(s);
        try
        {
            s.close();
        }
        finally
        {
            written();
        }
        // a failed write without the watchdog is a client that went away: a normal disconnect, not a drop
        ended();
        return EventStream.ENDED;
    }

    private void ended()
    {
        open.decrementAndGet();
        prometheus.clients(-1);
        slots.release();
    }

    private void writing(final EventStream s)
    {
        synchronized (guard)
        {
            writing = s;
            writeStartedNs = System.nanoTime();
            interrupted = false;
        }
    }

    private void written()
    {
        synchronized (guard)
        {
            writing = null;
            // an interrupt meant for the write just finished must not close the next client's channel
            Thread.interrupted();
        }
    }
}
