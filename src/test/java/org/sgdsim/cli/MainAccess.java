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
        return execute(new PrintWriter(new java.io.StringWriter()), err, args);
    }

    /** Runs {@code args} and returns the exit code; the command's output goes to {@code out}, errors to {@code err}. */
    public static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        return Main.commandLine().setErr(err).setOut(out).execute(args);
    }
}
