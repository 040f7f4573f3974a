package org.sgdsim.run;

import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything one DFA learner stage needs: the session (network, trainer, data, epoch order; already positioned
 * when resuming), where its rows and checkpoints go, and when to checkpoint.
 *
 * @param name                 a label for progress lines.
 * @param session              the training session, owned by the learner's thread from the start on.
 * @param rows                 metrics.csv rows (one per epoch).
 * @param checkpoints          receives a state at epoch ends when a checkpoint is due; null for none.
 * @param deviceState          extra state appended to a checkpoint (the optical unit's), or null.
 * @param checkpointEverySteps checkpoint at the first epoch end this many steps after the last (0 = by time only).
 * @param checkpointEveryNs    checkpoint when this much time has passed since the last one (0 = never by time).
 * @param elapsedBeforeNs      training time of the run before a resume.
 * @param progress             progress lines (about one a second), or null.
 */
public record DfaPlan(
    String name,
    MlpSession session,
    Consumer<CharSequence> rows,
    Consumer<TrainingState> checkpoints,
    Supplier<double[]> deviceState,
    long checkpointEverySteps,
    long checkpointEveryNs,
    long elapsedBeforeNs,
    PrintStream progress)
{
}
