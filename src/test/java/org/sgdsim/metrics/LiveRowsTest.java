package org.sgdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The live ring keeps the newest rows by sequence number and the run-total latency buckets. */
class LiveRowsTest
{
    @Test
    void keepsTheNewestRowsBySequence()
    {
        final LiveRows rows = new LiveRows(5);
        assertEquals(8, rows.capacity());
        assertNull(rows.get(0));
        rows.header(LiveRows.Table.METRICS, "step,risk");
        for (int i = 0; i < 20; i++)
        {
            rows.append(i % 2 == 0 ? LiveRows.Table.METRICS : LiveRows.Table.PIPELINE, i + ",0.5");
        }
        assertEquals(20, rows.next());
        assertEquals(12, rows.oldest());
        assertNull(rows.get(11), "overwritten");
        assertNull(rows.get(20), "not yet written");
        assertEquals("19,0.5", rows.get(19).text());
        assertEquals(LiveRows.Table.METRICS, rows.get(12).table());
        assertEquals("18,0.5", rows.latest(LiveRows.Table.METRICS).text());
        assertEquals("step,risk", rows.header(LiveRows.Table.METRICS));
        rows.finish();
        assertTrue(rows.finished());
    }

    @Test
    void latencyBucketsAreCumulativeOverIntervals()
    {
        final LiveRows rows = new LiveRows(64);
        final Histogram h = new Histogram(3);
        h.recordValue(3_000);        // 3 µs
        h.recordValue(40_000_000);   // 40 ms
        rows.latency(List.of("learner-iteration", "idle-stage"), new Histogram[] {h, new Histogram(3)}, 1.0);
        rows.latency(List.of("learner-iteration", "idle-stage"), new Histogram[] {h, new Histogram(3)}, 2.0);
        final LiveRows.StageLatency l = rows.latencyTotals().get("learner-iteration");
        assertEquals(4, l.count());
        assertEquals(2 * (3e-6 + 40e-3), l.sumSeconds(), 1e-4);
        final double[] bounds = LiveRows.BUCKETS_SECONDS;
        assertEquals(1e-6, bounds[0]);
        assertEquals(10.0, bounds[bounds.length - 1]);
        final long[] c = l.cumulativeCounts();
        assertEquals(0, c[1], "≤ 2.5 µs");
        assertEquals(2, c[2], "≤ 5 µs");
        assertEquals(2, c[java.util.Arrays.binarySearch(bounds, 0.025)]);
        assertEquals(4, c[java.util.Arrays.binarySearch(bounds, 0.05)]);
        assertEquals(4, c[bounds.length], "+Inf");
        assertEquals(0, rows.latencyTotals().get("idle-stage").count());
        // one LATENCY row per stage that recorded something, per interval
        assertEquals(2, rows.next());
        assertTrue(rows.get(1).text().startsWith("2.0,learner-iteration,2,"), rows.get(1).text());
        assertArrayEquals(new long[] {0, 0}, new long[] {c[0], c[1]});
    }

    @Test
    void bucketCountsInOnePassEqualHdrHistogramsCountBetweenValues()
    {
        final java.util.Random random = new java.util.Random(1);
        for (int t = 0; t < 200; t++)
        {
            final org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
            final int n = 1 + random.nextInt(5000);
            for (int i = 0; i < n; i++)
            {
                h.recordValue((long)Math.exp(random.nextDouble() * 25));
            }
            final long[] expected = new long[LiveRows.BUCKETS_SECONDS.length];
            for (int b = 0; b < expected.length; b++)
            {
                expected[b] = h.getCountBetweenValues(0, (long)(LiveRows.BUCKETS_SECONDS[b] * 1e9));
            }
            final long[] counts = new long[LiveRows.BUCKETS_SECONDS.length];
            LiveRows.addBucketCounts(h, counts);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, counts, "histogram " + t);
        }
    }
}
