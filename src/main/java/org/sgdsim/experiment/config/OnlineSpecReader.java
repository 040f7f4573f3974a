package org.sgdsim.experiment.config;

import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.WallBudget;
import org.sgdsim.math.expr.Expression;

/**
 * {@code experiment.kind = online}: reads the data, teacher, student, training, stop, metrics, pipeline, checkpoint
 * and output sections, and checks the optics, live and wall-budget keys so a bad one fails before anything is
 * written.
 */
final class OnlineSpecReader
{
    private OnlineSpecReader()
    {
    }

    static ExperimentSpec read(final ConfigReader r)
    {
        final String name = ExperimentSection.name(r);
        final long seed = ExperimentSection.seed(r);
        final ExperimentSpec.Data data = DataSection.read(r);
        final Expression target = TeacherSection.target(r, data.dim());
        final int k = target.arity();
        final ExperimentSpec.Student student = StudentSection.read(r, data.dim(), k);
        final int width = student.width();
        final TrainingSection training = new TrainingSection(r, data, width, k);
        final ExperimentSpec.Stop stop = StopSection.read(r, training, width, k);
        final ExperimentSpec.Metrics metrics = MetricsSection.read(r);

        OpticsSection.read(r);
        // The readout section (readout.enabled = true) is checked here and read by OnlineKind.
        org.sgdsim.giant.GiantConfig.onlineReadout(new KindReader(r), data.dim(), width, k);
        // Checked here so a bad live.* key fails before anything is written, --live or not.
        LiveSettings.from(r.config());
        WallBudget.nanos(r.config());
        OutputSection.checkPlots(r);
        OutputSection.checkFsync(r);
        final ExperimentSpec.Training trainingSpec = training.spec(training.lossSwitch(r, width, k));
        // Of several bad keys the first one read is reported: generators, checkpoint, theory, then output.dir.
        final int generators = PipelineSection.generators(r);
        final ExperimentSpec.Checkpoints checkpoints = CheckpointSection.read(r);
        final ExperimentSpec.Execution execution = new ExperimentSpec.Execution(generators, r.bool("theory.enabled"),
            checkpoints);
        return new ExperimentSpec(new Experiment.Identity(name, seed, OutputSection.dir(r), r.config()), data,
            target, student, trainingSpec, stop, metrics, execution);
    }
}
