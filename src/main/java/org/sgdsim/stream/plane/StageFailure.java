package org.sgdsim.stream.plane;

/** A stage's agent failed: which stage, and the error; reported by the stage to its run's supervisor. */
public record StageFailure(String stage, Throwable error)
{
    /** One line: the stage and the error. */
    String describe()
    {
        final String message = error.getMessage();
        return "stage " + stage + " failed: " + error.getClass().getSimpleName()
            + (message == null ? "" : ": " + message.replace('\n', ' '));
    }
}
