package org.sgdsim.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpExchange;
import org.sgdsim.metrics.LiveRows;

/**
 * One Server-Sent Events client's place in its run's feed: each new row goes out as an event whose id is the row's
 * sequence number, so {@code Last-Event-ID} resumes exactly. The run never waits for it: rows stay in the feed's
 * ring whatever the client does, and a client that falls more than the ring behind gets a {@code gap} event.
 * Only {@link EventBroadcaster}'s thread calls {@link #send} and {@link #close}.
 */
final class EventStream
{
    /** Rows per write, so a client catching up on a full ring still gets them in pieces. */
    static final int MAX_BATCH = 256;
    /** What {@link #send} returns once the {@code end} event went out. */
    static final int ENDED = -1;

    private final RunCatalog.Entry run;
    private final LiveRows rows;
    private final HttpExchange exchange;
    private final OutputStream out;
    private final long heartbeatNs;
    private final EventCache cache;
    private final StringBuilder text = new StringBuilder(256);
    private volatile boolean dropped;
    private boolean opened;
    private long position;
    private long lastWriteNs;

    EventStream(final RunCatalog.Entry run, final HttpExchange exchange, final long from, final Duration heartbeat)
    {
        this.run = run;
        this.rows = run.rows();
        this.cache = run.events();
        this.exchange = exchange;
        this.out = exchange.getResponseBody();
        this.position = from;
        this.heartbeatNs = heartbeat.toNanos();
        this.lastWriteNs = System.nanoTime();
    }

    /**
     * Writes what is due at {@code now}: the opening {@code run} event, a {@code gap}, up to {@link #MAX_BATCH} rows,
     * the {@code end} event once the run finished and every row was sent, or a heartbeat when nothing was written
     * for the heartbeat interval.
     *
     * @return the rows written, or {@link #ENDED}.
     */
    int send(final long now) throws IOException
    {
        if (!opened)
        {
            text.append("retry: 2000\n\nevent: run\ndata: {\"id\":").append(RowJson.quote(run.id))
                .append(",\"state\":").append(RowJson.quote(run.state())).append(",\"oldest\":").append(rows.oldest())
                .append(",\"next\":").append(rows.next()).append("}\n\n");
            opened = true;
        }
        // finished first: once it is true, next() counts every row the run will have
        final boolean finished = rows.finished();
        final long next = rows.next();
        final long oldest = rows.oldest();
        if (position < oldest)
        {
            text.append("event: gap\ndata: {\"from\":").append(position).append(",\"to\":").append(oldest)
                .append("}\n\n");
            position = oldest;
        }
        int n = 0;
        while (position < next && n < MAX_BATCH)
        {
            final LiveRows.Row row = rows.get(position);
            if (row == null)
            {
                // overwritten while we read: the gap check above reports it next time
                break;
            }
            writeText();
            out.write(cache.event(rows, row));
            position++;
            n++;
        }
        final boolean ended = finished && position >= rows.next();
        if (ended)
        {
            text.append("event: end\ndata: {\"next\":").append(position).append("}\n\n");
        }
        else if (n == 0 && text.length() == 0 && now - lastWriteNs >= heartbeatNs)
        {
            text.append("event: heartbeat\ndata: {\"next\":").append(next).append("}\n\n");
        }
        if (n > 0 || text.length() > 0)
        {
            writeText();
            out.flush();
            lastWriteNs = now;
        }
        return ended ? ENDED : n;
    }

    /** Ends the response (its last chunk), or closes the connection when that cannot be written. */
    void close()
    {
        exchange.close();
    }

    /** Marks this client dropped by the watchdog; true the first time. */
    boolean drop()
    {
        final boolean first = !dropped;
        dropped = true;
        return first;
    }

    /** Whether the watchdog dropped this client. */
    boolean dropped()
    {
        return dropped;
    }

    private void writeText() throws IOException
    {
        if (text.length() > 0)
        {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
        }
    }
}
