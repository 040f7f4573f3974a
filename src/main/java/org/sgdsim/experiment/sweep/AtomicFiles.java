package org.sgdsim.experiment.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Writes bytes atomically (as {@link RunFolder#writeAtomically(Path, byte[])}), creating the parent folder. */
    static void write(final Path target, final byte[] content)
    {
        createParent(target);
        RunFolder.writeAtomically(target, content);
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
