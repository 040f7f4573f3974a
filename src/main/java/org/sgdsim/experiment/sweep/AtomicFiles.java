package org.sgdsim.experiment.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.sgdsim.experiment.RunFolder;

/** Whole-file atomic writes (temp file, fsync, rename) for the sweep's text and binary outputs. */
final class AtomicFiles
{
    private AtomicFiles()
    {
    }

    /** Writes text atomically (as {@link RunFolder#writeAtomically(Path, String)}), creating the parent folder. */
    static void write(final Path target, final String content)
    {
        createParent(target);
        RunFolder.writeAtomically(target, content);
    }

    /** Writes bytes atomically, creating the parent folder. */
    static void write(final Path target, final byte[] content)
    {
        createParent(target);
        final Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try
        {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining())
                {
                    ch.write(buffer);
                }
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

    private static void createParent(final Path target)
    {
        try
        {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + target.getParent(), ex);
        }
    }
}
