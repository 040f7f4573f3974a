package org.sgdsim.experiment;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The folder a run writes: {@code config.conf}, {@code metrics.csv}, {@code summary.json}. Whole files are
 * written atomically (temp file, fsync, rename); {@code metrics.csv} is a log, flushed at least once a second.
 */
public final class RunFolder implements AutoCloseable
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final long FLUSH_INTERVAL_NS = 1_000_000_000L;

    private final Path dir;
    private BufferedWriter metrics;
    private long lastFlushNs;

    private RunFolder(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * Creates the run folder: {@code out} when given (it must not exist or be empty), otherwise
     * {@code base/<name>-<yyyyMMdd-HHmmss>} with a numeric suffix if that exists already.
     */
    public static RunFolder create(final Path base, final String name, final Path out)
    {
        try
        {
            if (out != null)
            {
                if (Files.exists(out))
                {
                    if (!Files.isDirectory(out))
                    {
                        throw new UserError("--out " + out + " exists and is not a directory");
                    }
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(out))
                    {
                        if (entries.iterator().hasNext())
                        {
                            throw new UserError("--out " + out + " is not empty; choose a new folder (nothing is overwritten)");
                        }
                    }
                }
                Files.createDirectories(out);
                return new RunFolder(out);
            }
            Files.createDirectories(base);
            final String stem = name + "-" + LocalDateTime.now().format(STAMP);
            for (int n = 1; ; n++)
            {
                final Path candidate = base.resolve(n == 1 ? stem : stem + "-" + n);
                try
                {
                    Files.createDirectory(candidate);
                    return new RunFolder(candidate);
                }
                catch (final java.nio.file.FileAlreadyExistsException ex)
                {
                    // another run started in the same second: take the next suffix
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UserError("cannot create the run folder under " + (out != null ? out : base) + ": " + ex.getMessage());
        }
    }

    /** The folder. */
    public Path dir()
    {
        return dir;
    }

    /** Writes a whole file atomically: temp file in the folder, fsync, rename over the target. */
    public void writeAtomically(final String fileName, final String content)
    {
        writeAtomically(dir.resolve(fileName), content);
    }

    /** As {@link #writeAtomically(String, String)} for any path. */
    public static void writeAtomically(final Path target, final String content)
    {
        final Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try
        {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try
            {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            try
            {
                Files.deleteIfExists(tmp);
            }
            catch (final IOException ignored)
            {
                // the original error is the one to report
            }
            throw new UncheckedIOException("cannot write " + target, ex);
        }
    }

    /** Appends one line to metrics.csv (opened on first use), flushing at most once a second. */
    public void appendMetricsLine(final CharSequence line)
    {
        try
        {
            if (metrics == null)
            {
                metrics = Files.newBufferedWriter(dir.resolve("metrics.csv"), StandardCharsets.UTF_8);
                lastFlushNs = System.nanoTime();
            }
            metrics.append(line).append('\n');
            final long now = System.nanoTime();
            if (now - lastFlushNs >= FLUSH_INTERVAL_NS)
            {
                metrics.flush();
                lastFlushNs = now;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + dir.resolve("metrics.csv"), ex);
        }
    }

    /** Flushes and closes metrics.csv. */
    @Override
    public void close()
    {
        if (metrics != null)
        {
            try
            {
                metrics.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot close " + dir.resolve("metrics.csv"), ex);
            }
            metrics = null;
        }
    }
}
