package org.sgdsim.metrics;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.zip.Deflater;

import org.HdrHistogram.Histogram;

/**
 * latency.hlog: HdrHistogram's interval log (format 1.3, read by {@code HistogramLogReader}), the lines
 * {@code HistogramLogWriter} writes, byte for byte (LatencyLogTest). Written without {@code Formatter}: the library
 * formats each line with {@code PrintStream.format} and checks each tag with a regular expression, which made up
 * most of a short run's logging and 0.36 s of a 200-run sweep's JIT compilations.
 */
public final class LatencyLog
{
    /** Histogram values are nanoseconds; the interval maximum is logged in milliseconds, as the library does. */
    private static final double MAX_VALUE_UNIT_RATIO = 1_000_000.0;

    private final PrintStream out;
    private final StringBuilder line = new StringBuilder(256);
    private ByteBuffer target;
    private long baseTime;

    /** A log written to {@code out}. */
    public LatencyLog(final PrintStream out)
    {
        this.out = out;
    }

    /** The log's header: format version, start time, legend; interval times count from {@code startMs}. */
    public void start(final long startMs)
    {
        line.setLength(0);
        line.append("#[Histogram log format version 1.3]\n#[StartTime: ");
        seconds(startMs / 1000.0);
        line.append(" (seconds since epoch), ").append(new Date(startMs)).append("]\n");
        line.append("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n");
        out.print(line);
        baseTime = startMs;
    }

    /** The time interval start and end stamps count from (ms since the epoch). */
    public long baseTime()
    {
        return baseTime;
    }

    /** One interval: its tag (when set), start and length (s), maximum (ms) and compressed histogram. */
    public void interval(final Histogram histogram)
    {
        final int needed = histogram.getNeededByteBufferCapacity();
        if (target == null || target.capacity() < needed)
        {
            target = ByteBuffer.allocate(needed).order(ByteOrder.BIG_ENDIAN);
        }
        target.clear();
        final int length = histogram.encodeIntoCompressedByteBuffer(target, Deflater.BEST_COMPRESSION);
        final double start = (histogram.getStartTimeStamp() - baseTime) / 1000.0;
        final double end = (histogram.getEndTimeStamp() - baseTime) / 1000.0;
        line.setLength(0);
        final String tag = histogram.getTag();
        if (tag != null)
        {
            line.append("Tag=").append(tag).append(',');
        }
        seconds(start);
        line.append(',');
        seconds(end - start);
        line.append(',');
        seconds(histogram.getMaxValueAsDouble() / MAX_VALUE_UNIT_RATIO);
        line.append(',').append(Base64.getEncoder().encodeToString(Arrays.copyOf(target.array(), length)))
            .append('\n');
        out.print(line);
    }

    /** What %.3f prints: the shortest decimal form rounded half up to three places. */
    private void seconds(final double v)
    {
        line.append(new BigDecimal(Double.toString(v)).setScale(3, RoundingMode.HALF_UP).toPlainString());
    }
}
