package org.sgdsim.experiment.config;

import java.nio.file.Path;

import org.sgdsim.experiment.online.OnlineKind;
import org.sgdsim.experiment.UserError;

/** {@code output.*}: the parent of the run folders, whether runs draw plots and whether writes are fsynced. */
final class OutputSection
{
    private OutputSection()
    {
    }

    static Path dir(final ConfigReader r)
    {
        return Path.of(r.string("output.dir"));
    }

    /** Checks {@code output.plots} (true, false or auto); the run kind reads it again when it draws. */
    static void checkPlots(final ConfigReader r)
    {
        try
        {
            OnlineKind.plots(String.valueOf(r.config().getValue("output.plots").unwrapped()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError(r.where("output.plots") + "output.plots: " + ex.getMessage());
        }
    }

    /** Checks {@code output.fsync}; run folders read it when they open. */
    static void checkFsync(final ConfigReader r)
    {
        r.bool("output.fsync");
    }
}
