package org.sgdsim.stream.plane;

/** A stage of the pipeline failed; the message names the stage and the error in one line. */
public final class StageFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** A failure with its one-line message (naming the stage) and the error behind it. */
    public StageFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
