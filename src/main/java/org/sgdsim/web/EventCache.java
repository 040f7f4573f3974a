package org.sgdsim.web;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.sgdsim.metrics.LiveRows;

/**
 * A run's rows encoded once as SSE events and shared by every client, in a ring as large as the feed's: fifty
 * dashboards on one run cost one JSON encoding per row, not fifty. Any client may fill a slot; two clients racing
 * on one row store equal bytes.
 */
final class EventCache
{
    private record Encoded(long seq, byte[] bytes)
    {
    }

    private final AtomicReferenceArray<Encoded> slots;
    private final int mask;

    EventCache(final int capacity)
    {
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    /** The event for {@code row}: {@code id:}, {@code event:}, {@code data:} and the blank line. */
    byte[] event(final LiveRows rows, final LiveRows.Row row)
    {
        final int i = (int)(row.seq() & mask);
        final Encoded cached = slots.getAcquire(i);
        if (cached != null && cached.seq() == row.seq())
        {
            return cached.bytes();
        }
        final byte[] bytes = ("id: " + row.seq() + "\nevent: " + row.table().eventName() + "\ndata: "
            + RowJson.of(row, rows.header(row.table())) + "\n\n").getBytes(StandardCharsets.UTF_8);
        slots.setRelease(i, new Encoded(row.seq(), bytes));
        return bytes;
    }
}
