package org.sgdsim.cli;

import java.io.PrintWriter;

/** Lets tests of other packages run the command line with their own stderr. */
public final class MainAccess
{
    private MainAccess()
    {
    }

    /** Runs {@code args} and returns the exit code; errors go to {@code err}. */
    public static int execute(final PrintWriter err, final String... args)
    {
        return Main.commandLine().setErr(err).setOut(new PrintWriter(new java.io.StringWriter())).execute(args);
    }
}
