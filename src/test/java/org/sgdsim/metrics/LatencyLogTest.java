package org.sgdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;

/** latency.hlog is what HdrHistogram's own writer writes, byte for byte, and its reader reads it back. */
class LatencyLogTest
{
    private static final String[] TAGS = {"learner-iteration", "block-generation-0", "block-queue-wait", null};

    @Test
    void theLibrarysLinesByteForByteAndReadBack()
    {
        final ByteArrayOutputStream ours = new ByteArrayOutputStream();
        final ByteArrayOutputStream library = new ByteArrayOutputStream();
        final LatencyLog log = new LatencyLog(new PrintStream(ours, false, StandardCharsets.UTF_8));
        final HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(library, false, StandardCharsets.UTF_8));
        final long start = 1_765_150_000_123L;
        log.start(start);
        writer.outputLogFormatVersion();
        writer.outputStartTime(start);
        writer.setBaseTime(start);
        writer.outputLegend();
        final SplittableRandom random = new SplittableRandom(3);
        final Histogram[] written = new Histogram[40];
        for (int i = 0; i < written.length; i++)
        {
            final Histogram h = new Histogram(2);
            final int values = 1 + random.nextInt(2_000);
            for (int v = 0; v < values; v++)
            {
                // nanosecond latencies from a few hundred ns to seconds
                h.recordValue((long)Math.exp(random.nextDouble(5, 21)));
            }
            h.setTag(TAGS[i % TAGS.length]);
            // interval stamps in ms after the start, some a fraction of a second long, one of several minutes
            final long from = start + i * 1_000L + random.nextInt(999);
            h.setStartTimeStamp(from);
            h.setEndTimeStamp(from + (i == 7 ? 400_000L : random.nextInt(1_500)));
            log.interval(h);
            writer.outputIntervalHistogram(h);
            written[i] = h;
        }
        final String text = ours.toString(StandardCharsets.UTF_8);
        assertEquals(library.toString(StandardCharsets.UTF_8), text);

        final HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        for (final Histogram expected : written)
        {
            final Histogram read = (Histogram)reader.nextIntervalHistogram();
            assertNotNull(read);
            assertEquals(expected.getTag(), read.getTag());
            assertEquals(expected.getTotalCount(), read.getTotalCount());
            assertEquals(expected.getMaxValue(), read.getMaxValue());
            assertEquals(expected.getValueAtPercentile(50), read.getValueAtPercentile(50));
        }
        assertEquals(start / 1000.0, reader.getStartTimeSec(), 1e-9);
    }
}
