package org.sgdsim.experiment.config;

import java.util.Locale;

import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.dfa.DfaSpec;
import org.sgdsim.experiment.OpticsSpec;
import org.sgdsim.experiment.WallBudget;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Digits;
import org.sgdsim.model.MlpOutput;
import org.sgdsim.optics.Encoding;
import org.sgdsim.optics.Readout;
import org.sgdsim.train.FeedbackOptions;
import org.sgdsim.train.FeedbackRule;
import org.sgdsim.train.MlpTrainer;

/**
 * {@code experiment.kind = dfa}: reads the {@code dfa}, {@code network}, {@code optics}, checkpoint and output
 * sections and checks the combinations no single section can.
 */
final class DfaSpecReader
{
    private DfaSpecReader()
    {
    }

    static DfaSpec read(final ConfigReader r)
    {
        final String name = ExperimentSection.name(r);
        final long seed = ExperimentSection.seed(r);
        final DfaSpec.Task task = r.parse("dfa.task", t -> FeedbackOptions.parse(DfaSpec.Task.class, t));
        final int trainSize = (int)r.longValue("dfa.train-size", 1, 10_000_000);
        final int testSize = (int)r.longValue("dfa.test-size", 1, 10_000_000);
        final int[] widths = NetworkSection.widths(r, task);
        final Activation activation = r.parse("network.activation", Activation::parse);
        final MlpOutput output = r.parse("network.output", MlpOutput::parse);
        final boolean zeroInit = NetworkSection.zeroInit(r);
        final FeedbackRule rule = r.parse("dfa.rule", FeedbackRule::parse);
        final int epochs = (int)r.longValue("dfa.epochs", 1, 1_000_000);
        final int trainCount = task == DfaSpec.Task.DIGITS ? Digits.TRAIN_ROWS : trainSize;
        final int batchSize = (int)r.longValue("dfa.batch-size", 1, trainCount);
        final double learningRate = r.doubleValue("dfa.learning-rate", Double.MIN_VALUE, 1e6);
        final double momentum = r.doubleValue("dfa.momentum", 0.0, 1.0);
        final DfaSpec.Projection projector = r.parse("dfa.projector",
            p -> FeedbackOptions.parse(DfaSpec.Projection.class, p));
        if (projector == DfaSpec.Projection.OPU && rule != FeedbackRule.DFA)
        {
            throw r.error("dfa.projector", "software with rule " + rule.configName()
                + " (the optical unit serves rule dfa)", "opu");
        }
        final FeedbackOptions feedback = FeedbackSection.read(r);
        if (feedback.transform() == FeedbackOptions.Transform.TARGET && output != MlpOutput.SOFTMAX)
        {
            throw r.error("dfa.feedback.error", "none, ternary or sign with a linear output (target needs classes)",
                "target");
        }
        if (feedback.distribution() == FeedbackOptions.Distribution.ORTHOGONAL
            && MlpTrainer.feedbackRows(widths, feedback.slicing()) < widths[widths.length - 1])
        {
            throw r.error("dfa.feedback.distribution", "gauss or uniform when the feedback has fewer rows than "
                + "outputs", "orthogonal");
        }
        final OpticsSpec optics = OpticsSection.read(r);
        if (projector == DfaSpec.Projection.OPU && optics.unit().projection().encoding() == Encoding.TERNARY
            && optics.unit().projection().readout() != Readout.LIGHTONML
            && (feedback.transform() == FeedbackOptions.Transform.NONE
                || feedback.rescale() != FeedbackOptions.Rescale.NONE))
        {
            // The DMD shows only −1/0/+1 per mirror with the ternary encoding.
            throw r.error("dfa.feedback.error", "ternary, sign or target with rescale = none when dfa.projector = opu"
                + " and optics.encoding = ternary (or optics.encoding = bit-planes)",
                feedback.transform().configName() + ", rescale " + feedback.rescale().name().toLowerCase(Locale.ROOT));
        }
        final int alignmentEvery = (int)r.longValue("dfa.alignment-every", 0, Integer.MAX_VALUE);
        WallBudget.nanos(r.config());
        OutputSection.checkFsync(r);
        DataSection.gaussian(r);
        final ExperimentSpec.Checkpoints checkpoints = CheckpointSection.read(r);
        return new DfaSpec(new Experiment.Identity(name, seed, OutputSection.dir(r), r.config()),
            new DfaSpec.Data(task, trainSize, testSize), new DfaSpec.Network(widths, activation, output, zeroInit),
            new DfaSpec.Training(rule, epochs, batchSize, learningRate, momentum, alignmentEvery),
            new DfaSpec.Feedback(projector, feedback, optics), checkpoints);
    }
}
