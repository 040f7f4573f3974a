package org.sgdsim.web;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sgdsim.metrics.LiveRows;

/**
 * Feeds a run folder's metrics.csv, pipeline.csv and latency.hlog into a {@link LiveRows} as they grow, so
 * {@code serve} shows
 * finished runs and follows runs written by another process. Only complete lines are read; the feed ends once
 * summary.json exists and both files have been read to their end after it appeared. Polls are serialised: the
 * tail is the feed's single writer.
 */
final class FolderTail
{
    private final Path dir;
    private final LiveRows rows;
    private final Tail metrics;
    private final Tail pipeline;
    private final Tail latency;

    FolderTail(final Path dir, final int capacity)
    {
        this.dir = dir;
        this.rows = new LiveRows(capacity);
        this.metrics = new Tail(dir.resolve("metrics.csv"), LiveRows.Table.METRICS);
        this.pipeline = new Tail(dir.resolve("pipeline.csv"), LiveRows.Table.PIPELINE);
        this.latency = new Tail(dir.resolve("latency.hlog"), LiveRows.Table.LATENCY);
        rows.header(LiveRows.Table.LATENCY, LiveRows.LATENCY_HEADER);
    }

    /** The feed. */
    LiveRows rows()
    {
        return rows;
    }

    /** Reads what was appended since the last poll; returns whether the feed has ended. */
    synchronized boolean poll()
    {
        if (rows.finished())
        {
            return true;
        }
        final boolean done = Files.isRegularFile(dir.resolve("summary.json"));
        try
        {
            metrics.read();
            pipeline.read();
            latency.read();
        }
        catch (final IOException ex)
        {
            // a folder deleted or unreadable under us: show what was read and stop following it
            rows.finish();
            return true;
        }
        if (done)
        {
            rows.finish();
        }
        return done;
    }

    /**
     * The first line and the newest complete line after it of a CSV file (only its head and last 64 kB are read),
     * or null when it has no row yet.
     */
    static String[] headerAndLast(final Path file) throws IOException
    {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r"))
        {
            final long length = in.length();
            final byte[] head = new byte[(int)Math.min(length, 64 * 1024)];
            in.readFully(head);
            final String first = new String(head, StandardCharsets.UTF_8);
            final int eol = first.indexOf('\n');
            if (eol < 0)
            {
                return null;
            }
            final long from = Math.max(eol + 1, length - 64 * 1024);
            final byte[] tail = new byte[(int)(length - from)];
            in.seek(from);
            in.readFully(tail);
            final String text = new String(tail, StandardCharsets.UTF_8);
            final int end = text.lastIndexOf('\n');
            if (end < 0)
            {
                return null;
            }
            final String last = text.substring(text.lastIndexOf('\n', end - 1) + 1, end);
            return last.isEmpty() ? null : new String[] {first.substring(0, eol), last};
        }
    }

    /** One appended CSV file: its first line is the header, the others rows. */
    private final class Tail
    {
        private final Path file;
        private final LiveRows.Table table;
        private long offset;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private boolean headerSeen;

        Tail(final Path file, final LiveRows.Table table)
        {
            this.file = file;
            this.table = table;
        }

        void read() throws IOException
        {
            if (!Files.isRegularFile(file))
            {
                return;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r"))
            {
                final long length = in.length();
                if (length < offset)
                {
                    // cut back by a resume: the rows after its checkpoint are redone
                    offset = length;
                    partial.reset();
                }
                in.seek(offset);
                final byte[] buffer = new byte[64 * 1024];
                int n;
                while (offset < length && (n = in.read(buffer, 0, (int)Math.min(buffer.length, length - offset))) > 0)
                {
                    offset += n;
                    for (int i = 0; i < n; i++)
                    {
                        if (buffer[i] == '\n')
                        {
                            line(partial.toString(StandardCharsets.UTF_8));
                            partial.reset();
                        }
                        else
                        {
                            partial.write(buffer[i]);
                        }
                    }
                }
            }
        }

        private void line(final String line)
        {
            if (line.isEmpty())
            {
                return;
            }
            if (table == LiveRows.Table.LATENCY)
            {
                interval(line);
                return;
            }
            if (!headerSeen)
            {
                headerSeen = true;
                if (!Character.isDigit(line.charAt(0)))
                {
                    rows.header(table, line);
                    return;
                }
            }
            rows.append(table, line);
        }

        /**
         * One interval line of an HdrHistogram log ({@code [Tag=stage,]start_s,length_s,max,base64}); comment
         * and legend lines, and lines that do not decode, are skipped.
         */
        private void interval(final String line)
        {
            if (line.startsWith("#") || line.startsWith("\""))
            {
                return;
            }
            String rest = line;
            String stage = "untagged";
            if (rest.startsWith("Tag="))
            {
                final int comma = rest.indexOf(',');
                if (comma < 0)
                {
                    return;
                }
                stage = rest.substring(4, comma);
                rest = rest.substring(comma + 1);
            }
            final String[] f = rest.split(",", -1);
            if (f.length != 4)
            {
                return;
            }
            try
            {
                final org.HdrHistogram.Histogram h = org.HdrHistogram.Histogram.decodeFromCompressedByteBuffer(
                    java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(f[3])), 0);
                rows.latency(java.util.List.of(stage), new org.HdrHistogram.Histogram[] {h},
                    Double.parseDouble(f[0]) + Double.parseDouble(f[1]));
            }
            catch (final java.util.zip.DataFormatException | RuntimeException ex)
            {
                // a damaged interval: the others still count
            }
        }
    }
}
