package org.sgdsim.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.sgdsim.metrics.LiveRows;

/**
 * One Server-Sent Events client: polls its run's feed ten times a second on the server thread that serves it and
 * writes each new row as an event whose id is the row's sequence number, so {@code Last-Event-ID} resumes exactly.
 * The run never waits for it: rows stay in the feed's ring whatever the client does, and a client that falls more
 * than the ring behind gets a {@code gap} event. Writes are timed: {@link #overdue} tells the server's watchdog
 * to drop a client whose write has taken too long.
 */
final class EventStream
{
    private static final long POLL_MS = 100;
    /** Rows per write, so a client catching up on a full ring still gets them in pieces. */
    private static final int MAX_BATCH = 256;

    private final RunCatalog.Entry run;
    private final LiveRows rows;
    private final OutputStream out;
    private final long heartbeatNs;
    private final Thread thread = Thread.currentThread();
    private final EventCache cache;
    private final StringBuilder batch = new StringBuilder(256);
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64 * 1024);
    private volatile long writeStartedNs;
    private volatile boolean timedOut;
    private long position;

    EventStream(final RunCatalog.Entry run, final OutputStream out, final long from, final Duration heartbeat)
    {
        this.run = run;
        this.rows = run.rows();
        this.cache = run.events();
        this.out = out;
        this.position = from;
        this.heartbeatNs = heartbeat.toNanos();
    }

    /** Streams until the run's last row was sent (then an {@code end} event), or the client goes. */
    void serve() throws IOException, InterruptedException
    {
        batch.append("retry: 2000\n\nevent: run\ndata: {\"id\":").append(RowJson.quote(run.id))
            .append(",\"state\":").append(RowJson.quote(run.state())).append(",\"oldest\":").append(rows.oldest())
            .append(",\"next\":").append(rows.next()).append("}\n\n");
        send();
        long lastWriteNs = System.nanoTime();
        while (true)
        {
            final boolean finished = rows.finished();
            final long next = rows.next();
            final long oldest = rows.oldest();
            if (position < oldest)
            {
                batch.append("event: gap\ndata: {\"from\":").append(position).append(",\"to\":").append(oldest)
                    .append("}\n\n");
                position = oldest;
            }
            int n = 0;
            while (position < next && n < MAX_BATCH)
            {
                final LiveRows.Row row = rows.get(position);
                if (row == null)
                {
                    // overwritten while we read: the gap check above reports it next round
                    break;
                }
                flushText();
                bytes.writeBytes(cache.event(rows, row));
                position++;
                n++;
            }
            if (finished && position >= rows.next())
            {
                batch.append("event: end\ndata: {\"next\":").append(position).append("}\n\n");
                send();
                return;
            }
            final long now = System.nanoTime();
            if (batch.length() == 0 && bytes.size() == 0 && now - lastWriteNs >= heartbeatNs)
            {
                batch.append("event: heartbeat\ndata: {\"next\":").append(next).append("}\n\n");
            }
            if (batch.length() > 0 || bytes.size() > 0)
            {
                send();
                lastWriteNs = System.nanoTime();
            }
            if (n < MAX_BATCH)
            {
                Thread.sleep(POLL_MS);
            }
        }
    }

    /** Moves control-event text into the byte batch, keeping the events in order. */
    private void flushText()
    {
        if (batch.length() > 0)
        {
            bytes.writeBytes(batch.toString().getBytes(StandardCharsets.UTF_8));
            batch.setLength(0);
        }
    }

    private void send() throws IOException
    {
        flushText();
        writeStartedNs = System.nanoTime();
        try
        {
            bytes.writeTo(out);
            bytes.reset();
            out.flush();
        }
        finally
        {
            writeStartedNs = 0;
        }
    }

    /**
     * Watchdog: when the current write has taken longer than {@code timeoutNs}, interrupt the serving thread —
     * the server's channels are interruptible, so the blocked write fails and the client is dropped.
     */
    boolean overdue(final long now, final long timeoutNs)
    {
        final long started = writeStartedNs;
        if (started != 0 && now - started > timeoutNs && !timedOut)
        {
            timedOut = true;
            thread.interrupt();
            return true;
        }
        return false;
    }

    /** Whether the watchdog dropped this client. */
    boolean timedOut()
    {
        return timedOut;
    }
}
