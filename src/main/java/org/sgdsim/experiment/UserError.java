package org.sgdsim.experiment;

/** An error the user caused (config, command line, files): reported in one line, exit code 2. */
public final class UserError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** An error with a one-line message that names what was wrong and what was expected. */
    public UserError(final String message)
    {
        super(message);
    }

    /** As {@link #UserError(String)}, keeping the cause for debugging. */
    public UserError(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
