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
 * The folder a run writes: {@code config.conf} and {@code config.json}, {@code metrics.csv}, {@code pipeline.csv}, {@code latency.hlog},
 * {@code summary.json}. Whole files are written atomically (temp file, fsync, rename); the logs are appended and
 * flushed at least once a second.
 */
public final class RunFolder implements AutoCloseable
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final long FLUSH_INTERVAL_NS = 1_000_000_000L;

    private final Path dir;
    private final java.util.List<LineLog> logs = new java.util.ArrayList<>();
    private final java.util.List<java.io.PrintStream> streams = new java.util.ArrayList<>();

    private boolean durable = true;

    private RunFolder(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * With {@code false}, whole files are still replaced atomically but not forced to disk: for runs that are redone
     * when found unfinished or torn (sweep runs), where an fsync per file costs more than a short run.
     */
    public RunFolder durable(final boolean forced)
    {
        this.durable = forced;
        return this;
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
            throw new UserError("cannot create the run folder under " + (out != null ? out : base) + ": " + reason(ex));
        }
    }

    /**
     * Why a folder could not be made or used, in words: Java's file-system exceptions often carry only the path
     * (creating a folder in /proc fails with just "/proc/x").
     */
    public static String reason(final IOException ex)
    {
        if (ex instanceof java.nio.file.FileSystemException fs)
        {
            final String file = fs.getFile();
            final Path parent = file == null ? null : Path.of(file).getParent();
            if (fs instanceof java.nio.file.AccessDeniedException)
            {
                return "permission denied for " + file;
            }
            if (fs instanceof java.nio.file.FileAlreadyExistsException)
            {
                return file + " exists and is not a folder";
            }
            if (fs instanceof java.nio.file.NoSuchFileException)
            {
                return parent != null && Files.isDirectory(parent)
                    ? parent + " exists but its file system accepts no new folder " + Path.of(file).getFileName()
                        + " (no such file or directory)"
                    : "no such file or directory: " + file;
            }
            if (fs.getReason() != null)
            {
                return fs.getReason().toLowerCase(java.util.Locale.ROOT) + ": " + file;
            }
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }

    /** The folder. */
    public Path dir()
    {
        return dir;
    }

    /** config.conf's text for {@code resolved}: a header naming the version, then the config as HOCON. */
    public static String renderConfig(final com.typesafe.config.Config resolved)
    {
        return "# Resolved configuration of this run (sgdsim " + Version.get() + ").\n"
            + resolved.root().render(com.typesafe.config.ConfigRenderOptions.defaults().setOriginComments(false)
                .setComments(false).setJson(false).setFormatted(true));
    }

    /**
     * Writes the resolved config twice, each file atomically: {@code config.conf} (HOCON, re-runnable) and
     * {@code config.json}, the same keys as JSON for readers without a HOCON parser (the Python client); the texts
     * come from {@link ConfigTexts}.
     */
    public void writeConfig(final String hocon, final String json)
    {
        writeAtomically("config.conf", hocon);
        writeAtomically("config.json", json);
    }

    /** Writes a whole file atomically: temp file in the folder, fsync, rename over the target. */
    public void writeAtomically(final String fileName, final String content)
    {
        writeAtomically(dir.resolve(fileName), content.getBytes(StandardCharsets.UTF_8), durable);
    }

    /** As {@link #writeAtomically(String, String)} for any path. */
    public static void writeAtomically(final Path target, final String content)
    {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a whole file atomically: a temp file beside the target, fsync, rename over it. A reader sees the old
     * file or the new one, never a part; a failure leaves the old file as it was.
     */
    public static void writeAtomically(final Path target, final byte[] content)
    {
        writeAtomically(target, content, true);
    }

    private static void writeAtomically(final Path target, final byte[] content, final boolean force)
    {
        final Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try
        {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining())
                {
                    ch.write(buffer);
                }
                if (force)
                {
                    ch.force(true);
                }
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
            throw new UncheckedIOException("cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }

    /** An existing run folder (to resume it). */
    public static RunFolder existing(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new UserError("run folder " + dir + " does not exist");
        }
        return new RunFolder(dir);
    }

    /**
     * Opens a line log in the folder, appending to what the file already holds; it is flushed at least once a
     * second and closed with the folder.
     */
    public LineLog log(final String fileName)
    {
        try
        {
            final LineLog log = new LineLog(dir.resolve(fileName));
            logs.add(log);
            return log;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + dir.resolve(fileName), ex);
        }
    }

    /** Opens a raw stream for a file in the folder (e.g. the latency log); closed with the folder. */
    public java.io.PrintStream stream(final String fileName)
    {
        try
        {
            final java.io.PrintStream out = new java.io.PrintStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(fileName), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)), false, StandardCharsets.UTF_8);
            streams.add(out);
            return out;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + dir.resolve(fileName), ex);
        }
    }

    /** Flushes and closes every log and stream of the folder, all of them even when one fails (then rethrown). */
    @Override
    public void close()
    {
        RuntimeException first = null;
        for (final LineLog log : logs)
        {
            try
            {
                log.close();
            }
            catch (final RuntimeException ex)
            {
                first = first == null ? ex : first;
            }
        }
        logs.clear();
        for (final java.io.PrintStream out : streams)
        {
            out.close();
            if (out.checkError() && first == null)
            {
                first = new UncheckedIOException(new IOException("cannot write a file in " + dir));
            }
        }
        streams.clear();
        if (first != null)
        {
            throw first;
        }
    }

    /** A text file written line by line by one thread, flushed at least once a second. */
    public static final class LineLog implements java.util.function.Consumer<CharSequence>, AutoCloseable
    {
        private final Path file;
        private final FileChannel channel;
        private final BufferedWriter out;
        private long lastFlushNs = System.nanoTime();

        private LineLog(final Path file) throws IOException
        {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
            this.out = new BufferedWriter(new java.io.OutputStreamWriter(java.nio.channels.Channels.newOutputStream(channel),
                StandardCharsets.UTF_8));
        }

        /** Flushes, forces the file to disk and returns its length: the point a checkpoint may refer to. */
        public long sync()
        {
            try
            {
                out.flush();
                channel.force(false);
                lastFlushNs = System.nanoTime();
                return channel.size();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
            }
        }

        /** Appends one line. */
        @Override
        public void accept(final CharSequence line)
        {
            try
            {
                out.append(line).append('\n');
                final long now = System.nanoTime();
                if (now - lastFlushNs >= FLUSH_INTERVAL_NS)
                {
                    out.flush();
                    lastFlushNs = now;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
            }
        }

        /** Flushes and closes; the file is closed even when the last flush fails. */
        @Override
        public void close()
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
            }
            finally
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // closing a channel whose writes failed: the write error above is the one to report
                }
            }
        }
    }
}
