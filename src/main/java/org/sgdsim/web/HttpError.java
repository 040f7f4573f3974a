package org.sgdsim.web;

/** A request the server refuses: the status and the one-line reason sent back as {@code {"error": …}}. */
final class HttpError extends Exception
{
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(final int status, final String message)
    {
        super(message, null, false, false);
        this.status = status;
    }
}
