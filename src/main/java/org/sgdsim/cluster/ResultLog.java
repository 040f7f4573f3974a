package org.sgdsim.cluster;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntFunction;
import java.util.zip.CRC32;

import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.sweep.RunRecord;

/**
 * The coordinator's group commit: every result is appended to {@code <sweep>/cluster-results.log} and a batch of
 * them is made durable by one fsync, before their run folders get summary.json and metrics.csv (atomically, without
 * an fsync each). After a crash, {@link #replay} rewrites from the log any result file the crash lost or tore, so
 * a summary.json on disk always stands for a complete result. Single writer: the coordinator's actor.
 */
final class ResultLog implements AutoCloseable
{
    /** The log's name in the sweep folder. */
    static final String NAME = "cluster-results.log";
    private static final int MAGIC = 0x5347_5231;

    private final FileChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);

    ResultLog(final Path sweepDir) throws IOException
    {
        Files.createDirectories(sweepDir);
        channel = FileChannel.open(sweepDir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    }

    /** Appends one result (written on the next {@link #sync()}). */
    void append(final int run, final String metrics, final String summary) throws IOException
    {
        final byte[] m = metrics.getBytes(StandardCharsets.UTF_8);
        final byte[] s = summary.getBytes(StandardCharsets.UTF_8);
        final int size = 4 * 4 + m.length + s.length + 8;
        if (buffer.remaining() < size)
        {
            write();
            if (buffer.capacity() < size)
            {
                buffer = ByteBuffer.allocate(size);
            }
        }
        final int start = buffer.position();
        buffer.putInt(MAGIC).putInt(run).putInt(m.length).put(m).putInt(s.length).put(s);
        final CRC32 crc = new CRC32();
        crc.update(buffer.array(), start, buffer.position() - start);
        buffer.putLong(crc.getValue());
    }

    /** Writes what was appended and makes it durable: one fsync for the whole batch. */
    void sync() throws IOException
    {
        write();
        channel.force(false);
    }

    private void write() throws IOException
    {
        buffer.flip();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException
    {
        sync();
        channel.close();
    }

    /**
     * Writes the result files of every complete record whose summary.json is missing or differs (a crash between
     * the log's fsync and the files reaching the disk); a torn last record is ignored (its run is done again).
     *
     * @param runDir the folder of run {@code i}, or null when the plan has no such run.
     * @return records read.
     */
    static int replay(final Path sweepDir, final IntFunction<Path> runDir) throws IOException
    {
        final Path log = sweepDir.resolve(NAME);
        if (!Files.isRegularFile(log))
        {
            return 0;
        }
        int records = 0;
        try (InputStream raw = Files.newInputStream(log);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16)))
        {
            while (true)
            {
                final byte[] m;
                final byte[] s;
                final int run;
                try
                {
                    if (in.readInt() != MAGIC)
                    {
                        break;
                    }
                    run = in.readInt();
                    m = new byte[checkedLength(in.readInt())];
                    in.readFully(m);
                    s = new byte[checkedLength(in.readInt())];
                    in.readFully(s);
                    final CRC32 crc = new CRC32();
                    final ByteBuffer head = ByteBuffer.allocate(12).putInt(MAGIC).putInt(run).putInt(m.length);
                    crc.update(head.array());
                    crc.update(m);
                    crc.update(ByteBuffer.allocate(4).putInt(s.length).array());
                    crc.update(s);
                    if (in.readLong() != crc.getValue())
                    {
                        break;
                    }
                }
                catch (final EOFException ex)
                {
                    break;
                }
                records++;
                final Path dir = runDir.apply(run);
                if (dir == null)
                {
                    continue;
                }
                final Path summary = dir.resolve(RunRecord.SUMMARY);
                final Path metrics = dir.resolve("metrics.csv");
                if (!Files.isRegularFile(summary) || !java.util.Arrays.equals(Files.readAllBytes(summary), s)
                    || !Files.isRegularFile(metrics) || !java.util.Arrays.equals(Files.readAllBytes(metrics), m))
                {
                    Files.createDirectories(dir);
                    RunFolder.writeAtomically(metrics, m);
                    RunFolder.writeAtomically(summary, s);
                }
            }
        }
        return records;
    }

    private static int checkedLength(final int n) throws EOFException
    {
        if (n < 0 || n > (256 << 20))
        {
            throw new EOFException("bad length");
        }
        return n;
    }

    /**
     * Writes a result file in place, without fsync or temp file: its record is already durable in the log, and
     * {@link #replay} restores a file a crash tore.
     */
    static void writeUnsynced(final Path target, final String content) throws IOException
    {
        Files.writeString(target, content);
    }
}
