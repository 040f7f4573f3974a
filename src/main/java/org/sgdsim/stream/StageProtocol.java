package org.sgdsim.stream;

/** Messages every stage actor understands, beside its own. */
final class StageProtocol
{
    private StageProtocol()
    {
    }

    /** Reported by a stage to the supervisor when its agent failed. */
    record Failure(String stage, Throwable error)
    {
        /** One line: the stage and the error. */
        String describe()
        {
            final String message = error.getMessage();
            return "stage " + stage + " failed: " + error.getClass().getSimpleName()
                + (message == null ? "" : ": " + message.replace('\n', ' '));
        }
    }
}
