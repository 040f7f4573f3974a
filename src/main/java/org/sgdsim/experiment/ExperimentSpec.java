package org.sgdsim.experiment;

import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.online.OnlineKind;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.SecondLayer;
import org.sgdsim.model.StudentInit;
import org.sgdsim.train.Rule;

/**
 * One experiment, parsed and validated once from HOCON; every expression already evaluated.
 *
 * @param identity  name, seed, output folder and resolved configuration.
 * @param data      the data stream.
 * @param target    the teacher's f*(z1..zk).
 * @param student   the two-layer student.
 * @param training  the rule and its numbers.
 * @param stop      budgets and the optional threshold.
 * @param metrics   row schedule, risk held-out size and progress.
 * @param execution generator threads, the theory alongside, checkpoints.
 */
public record ExperimentSpec(
    Identity identity,
    Data data,
    Expression target,
    Student student,
    Training training,
    Stop stop,
    Metrics metrics,
    Execution execution) implements Experiment
{
    /**
     * The model and rule as summary.json and theory.json record them: d, k, p, target, activation, rule, loss (and its
     * switch), the second layer's rate when trained, normalisation, batch size and learning rate.
     */
    public java.util.Map<String, Object> describeModel()
    {
        final Training t = training;
        final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("d", data.dim());
        m.put("k", k());
        m.put("p", student.width());
        m.put("target", target.text());
        m.put("activation", student.activation().name());
        m.put("rule", t.rule().configName());
        m.put("loss", t.lossSwitch() != null ? "adaptive" : t.loss().configName());
        if (t.lossSwitch() != null)
        {
            m.put("switch_when", t.lossSwitch().describe());
        }
        if (t.trainsSecondLayer())
        {
            m.put("second_layer_rate", t.secondLayerRate());
        }
        m.put("normalization", t.normalization().configName());
        m.put("batch_size", t.batchSize());
        m.put("learning_rate", t.learningRate());
        return m;
    }

    @Override
    public RunKind<?, ?> kind()
    {
        return OnlineKind.KIND;
    }

    @Override
    public java.util.List<Footprint.Part> footprint()
    {
        return Footprint.online(this).parts();
    }

    /** The same experiment with another seed (seed sets): the resolved config re-read with experiment.seed set. */
    @Override
    public ExperimentSpec withSeed(final long newSeed)
    {
        return ExperimentConfig.fromUserConfig(identity.withSeed(newSeed).resolved());
    }

    @Override
    public Checkpoints checkpoints()
    {
        return execution.checkpoints();
    }

    /**
     * The data stream: x ~ N(0, I_d), label noise Δ, samples per generator block, how batches are drawn, and the
     * Gaussian generator that draws them.
     */
    public record Data(int dim, double noise, int blockSize, Sampler sampler, GaussianAlgorithm gaussian)
    {
    }

    /** The two-layer student. */
    public record Student(int width, Activation activation, SecondLayer secondLayer, StudentInit init)
    {
    }

    /**
     * The rule and its resolved numbers; {@code datasetSize} is 0 for online (fresh) samples; for rule gd
     * {@code batchSize} equals the dataset size; {@code secondLayerRate} is γ_a, or 0 when a is fixed; {@code lossSwitch} is the adaptive loss's condition
     * (the loss is then correlation until it holds, square after), or null.
     */
    public record Training(
        Rule rule,
        Loss loss,
        int batchSize,
        double learningRate,
        RowNormalization normalization,
        int repeats,
        double displacement,
        int datasetSize,
        double secondLayerRate,
        Threshold lossSwitch)
    {
        /** True when the second layer a is trained by SGD (training.second-layer = sgd) with rate {@code secondLayerRate}. */
        public boolean trainsSecondLayer()
        {
            return secondLayerRate > 0.0;
        }

        /** True when training reads fresh samples forever. */
        public boolean online()
        {
            return datasetSize == 0;
        }

        /** ρ of the displaced rule in the update (ρ = ρ0·p/d), or 0 for other rules. */
        public double rho(final int width, final int dim)
        {
            return rule == Rule.DISPLACED ? displacement * width / dim : 0.0;
        }
    }

    /** Budgets and the optional threshold; {@code checkEvery} = 0 means at every metrics row. */
    public record Stop(long maxSteps, long maxSamples, Threshold when, long checkEvery)
    {
    }

    /** Row schedule, risk held-out size and whether to print progress. */
    public record Metrics(RowSchedule every, int riskSamples, boolean progress)
    {
    }

    /** When to checkpoint (0 = never by that measure) and how many checkpoints to keep. */
    public record Checkpoints(long everySteps, long everySeconds, int keep)
    {
    }

    /**
     * How the run is carried out, beside what it trains.
     *
     * @param generators  data-generator threads of the pipeline.
     * @param theory      whether the theory (ODE) is solved alongside and written next to the metrics.
     * @param checkpoints when to checkpoint and how many to keep.
     */
    public record Execution(int generators, boolean theory, Checkpoints checkpoints)
    {
    }

    /** The {@code optics} section: the optical unit and its cost model (validated when the spec was loaded). */
    public OpticsSpec optics()
    {
        return OpticsSpec.from(resolved());
    }

    /** Number of teacher directions k. */
    public int k()
    {
        return target.arity();
    }
}
