package org.sgdsim.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Finds the external programs the browser and Prometheus tests drive; a missing one fails with one line. */
final class Tools
{
    private Tools()
    {
    }

    /** The executable {@code name} on PATH; fails naming the Debian package when it is absent. */
    static Path require(final String name, final String debianPackage)
    {
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (final String dir : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(dir).resolve(name);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        fail(name + " is not installed: apt-get install -y " + debianPackage + " (./sgdsim test installs it)");
        return null;
    }

    /** Ends a process we started and every process it started. */
    static void stop(final Process process)
    {
        if (process == null)
        {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try
        {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
