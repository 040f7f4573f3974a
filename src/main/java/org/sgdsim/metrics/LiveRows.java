package org.sgdsim.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.HdrHistogram.Histogram;

/**
 * A run's live feed: the last rows of metrics.csv, pipeline.csv and the latency intervals in one bounded ring,
 * numbered by a run-wide sequence (the SSE event id), plus the run-total latency buckets for Prometheus.
 * Single writer (the metric tracker, or a folder tailer); any number of readers poll by sequence number and never
 * hold the writer up: a reader that falls more than the capacity behind finds its rows overwritten, not the writer
 * waiting. The writer allocates one immutable row per recorded row, whatever the number of readers.
 */
public final class LiveRows
{
    /** Upper bounds (seconds) of the classic latency buckets: 1 µs … 10 s, 1-2.5-5 per decade. */
    public static final double[] BUCKETS_SECONDS = buckets();

    /** The three kinds of row, each with its own CSV header. */
    public enum Table
    {
        /** A metrics.csv row: step, samples, wall_s, order parameters, risk, and whatever a rule adds. */
        METRICS,
        /** A pipeline.csv row: throughput, queue depths, idle fractions, once a second. */
        PIPELINE,
        /** One stage's latency percentiles over the last interval, once a second per stage. */
        LATENCY;

        /** The name used in SSE events and JSON. */
        public String eventName()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One recorded row: its sequence number, table and CSV text (no newline). */
    public record Row(long seq, Table table, String text)
    {
    }

    /** A stage's latency since the run started: count, sum and cumulative counts at {@link #BUCKETS_SECONDS}. */
    public record StageLatency(long count, double sumSeconds, long[] cumulativeCounts)
    {
    }

    /** The header of the LATENCY table. */
    public static final String LATENCY_HEADER = "wall_s,stage,count,p50_us,p90_us,p99_us,max_us";

    private final AtomicReferenceArray<Row> slots;
    private final int mask;
    private final AtomicLong published = new AtomicLong();
    private final AtomicReferenceArray<String> headers = new AtomicReferenceArray<>(Table.values().length);
    private final AtomicReferenceArray<Row> latest = new AtomicReferenceArray<>(Table.values().length);
    private final Map<String, long[]> cumulative = new LinkedHashMap<>();
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private final StringBuilder latencyLine = new StringBuilder(96);
    private volatile Map<String, StageLatency> latency = Map.of();
    private volatile boolean finished;
    private long next;

    /** A feed keeping the last {@code capacity} rows (rounded up to a power of two). */
    public LiveRows(final int capacity)
    {
        if (capacity < 1 || capacity > (1 << 24))
        {
            throw new IllegalArgumentException("capacity must be in [1, 2^24], got " + capacity);
        }
        final int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** Writer: the CSV header of a table (before its rows). */
    public void header(final Table table, final String header)
    {
        headers.setRelease(table.ordinal(), header);
    }

    /** Writer: records one row; the text is copied. */
    public void append(final Table table, final CharSequence text)
    {
        final Row row = new Row(next, table, text.toString());
        slots.setRelease((int)(next & mask), row);
        latest.setRelease(table.ordinal(), row);
        next++;
        published.setRelease(next);
    }

    /**
     * Writer: the latency of one interval for each stage — a LATENCY row per stage that recorded anything, and the
     * run totals Prometheus reads.
     */
    public void latency(final List<String> stages, final Histogram[] intervals, final double wallSeconds)
    {
        final Map<String, StageLatency> totals = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++)
        {
            final String stage = stages.get(i);
            final Histogram h = intervals[i];
            final long[] counts = cumulative.computeIfAbsent(stage, s -> new long[BUCKETS_SECONDS.length + 1]);
            final double[] sum = sums.computeIfAbsent(stage, s -> new double[1]);
            if (h != null && h.getTotalCount() > 0)
            {
                addBucketCounts(h, counts);
                counts[BUCKETS_SECONDS.length] += h.getTotalCount();
                sum[0] += h.getMean() * h.getTotalCount() * 1e-9;
                latencyLine.setLength(0);
                latencyLine.append(Math.round(wallSeconds * 1000.0) / 1000.0).append(',').append(stage).append(',')
                    .append(h.getTotalCount()).append(',').append(h.getValueAtPercentile(50) / 1e3).append(',')
                    .append(h.getValueAtPercentile(90) / 1e3).append(',').append(h.getValueAtPercentile(99) / 1e3)
                    .append(',').append(h.getMaxValue() / 1e3);
                append(Table.LATENCY, latencyLine);
            }
        }
        // every stage seen so far, so intervals may also arrive one stage at a time (a tailed latency.hlog)
        for (final Map.Entry<String, long[]> e : cumulative.entrySet())
        {
            final long[] counts = e.getValue();
            totals.put(e.getKey(), new StageLatency(counts[BUCKETS_SECONDS.length], sums.get(e.getKey())[0],
                counts.clone()));
        }
        latency = Collections.unmodifiableMap(totals);
    }

    /** Writer: the run has ended; no row follows. */
    public void finish()
    {
        finished = true;
    }

    /** Whether the run has ended (every row is then published). */
    public boolean finished()
    {
        return finished;
    }

    /** The sequence number the next row will get: rows [oldest(), next()) can be read. */
    public long next()
    {
        return published.getAcquire();
    }

    /** The oldest sequence number still held. */
    public long oldest()
    {
        return Math.max(0, next() - slots.length());
    }

    /** The row with this sequence number, or null when it is not yet written or already overwritten. */
    public Row get(final long seq)
    {
        if (seq < 0 || seq >= next())
        {
            return null;
        }
        final Row row = slots.getAcquire((int)(seq & mask));
        return row != null && row.seq() == seq ? row : null;
    }

    /** A table's CSV header, or null before the run wrote it. */
    public String header(final Table table)
    {
        return headers.getAcquire(table.ordinal());
    }

    /** The newest row of a table, or null. */
    public Row latest(final Table table)
    {
        return latest.getAcquire(table.ordinal());
    }

    /** Run-total latency per stage (immutable, replaced once per interval). */
    public Map<String, StageLatency> latencyTotals()
    {
        return latency;
    }

    /** The number of rows the ring holds. */
    public int capacity()
    {
        return slots.length();
    }

    /**
     * Adds to {@code counts[b]} what {@code h.getCountBetweenValues(0, bucket b)} gives, in one pass over the recorded
     * values (that call scans the whole counts array once per bucket: tens of milliseconds at the end of every run).
     * A recorded value's bucket is counted when its lowest equivalent value is at most the bound's, as there.
     */
    static void addBucketCounts(final Histogram h, final long[] counts)
    {
        final long[] bounds = new long[BUCKETS_SECONDS.length];
        for (int b = 0; b < bounds.length; b++)
        {
            bounds[b] = h.lowestEquivalentValue((long)(BUCKETS_SECONDS[b] * 1e9));
        }
        for (final org.HdrHistogram.HistogramIterationValue v : h.recordedValues())
        {
            final long low = h.lowestEquivalentValue(v.getValueIteratedTo());
            final long count = v.getCountAtValueIteratedTo();
            for (int b = bounds.length - 1; b >= 0 && low <= bounds[b]; b--)
            {
                counts[b] += count;
            }
        }
    }

    private static double[] buckets()
    {
        final double[] steps = {1, 2.5, 5};
        final double[] b = new double[8 * 3 - 2];
        int i = 0;
        for (int decade = -6; decade <= 1; decade++)
        {
            for (final double s : steps)
            {
                final double v = s * Math.pow(10, decade);
                if (v <= 10.0 + 1e-9)
                {
                    b[i++] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.7g", v));
                }
            }
        }
        return java.util.Arrays.copyOf(b, i);
    }
}
