package org.sgdsim.experiment.dfa;

import java.util.Locale;
import java.util.Map;

import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.Footprint;
import org.sgdsim.experiment.OpticsSpec;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.model.Activation;
import org.sgdsim.model.MlpOutput;
import org.sgdsim.train.FeedbackOptions;
import org.sgdsim.train.FeedbackRule;

/**
 * An MLP training experiment ({@code experiment.kind = dfa}): task, network, rule, optimiser and feedback options,
 * parsed and validated once from the {@code network} and {@code dfa} sections (docs/configuration.md).
 */
public record DfaSpec(
    Identity identity,
    Data data,
    Network network,
    Training training,
    Feedback feedback,
    ExperimentSpec.Checkpoints checkpoints) implements Experiment
{
    /** The task and how many samples it trains and tests on. */
    public record Data(Task task, int trainSize, int testSize)
    {
    }

    /** The MLP: layer widths n_0 … K, hidden activation, output layer, and zero rather than uniform initial weights. */
    public record Network(int[] widths, Activation activation, MlpOutput output, boolean zeroInit)
    {
    }

    /** The training rule and optimiser; the alignment is measured every {@code alignmentEvery} steps (0 = never). */
    public record Training(FeedbackRule rule, int epochs, int batchSize, double learningRate, double momentum,
        int alignmentEvery)
    {
    }

    /** What projects the error back (software or the optical unit), how, and the optical unit's parameters. */
    public record Feedback(Projection projector, FeedbackOptions options, OpticsSpec optics)
    {
    }

    /** The dataset. */
    public enum Task
    {
        /** UCI digits under protocol P0 (64 inputs, 10 classes). */
        DIGITS(64, 10),
        /** The E6 teacher–student regression (20 inputs, 5 outputs). */
        TEACHER_STUDENT(20, 5);

        private final int inputs;
        private final int outputs;

        Task(final int inputs, final int outputs)
        {
            this.inputs = inputs;
            this.outputs = outputs;
        }

        /** Input width n_0 the task needs. */
        public int inputs()
        {
            return inputs;
        }

        /** Output width K the task needs. */
        public int outputs()
        {
            return outputs;
        }

        /** The config name. */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What computes the feedback projection. */
    public enum Projection
    {
        /** A seeded Gaussian (or uniform, orthogonal) matrix in software. */
        SOFTWARE,
        /** The simulated optical processing unit. */
        OPU;

        /** The config name. */
        public String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Gaussian generator of the run's draws ({@code data.gaussian}, validated when the spec was read). */
    public org.sgdsim.math.GaussianAlgorithm gaussian()
    {
        return org.sgdsim.math.GaussianAlgorithm.parse(resolved().getString("data.gaussian"));
    }

    @Override
    public RunKind<?, ?> kind()
    {
        return DfaKind.KIND;
    }

    @Override
    public java.util.List<Footprint.Part> footprint()
    {
        return Footprint.dfa(this).parts();
    }

    /** The same experiment with another seed (multi-seed runs). */
    @Override
    public DfaSpec withSeed(final long newSeed)
    {
        return new DfaSpec(identity.withSeed(newSeed), data, network, training, feedback, checkpoints);
    }

    @Override
    public Map<String, Object> seedSetFields()
    {
        return Map.of("rule", training.rule().configName());
    }
}
