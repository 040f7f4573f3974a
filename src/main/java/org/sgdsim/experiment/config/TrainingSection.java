package org.sgdsim.experiment.config;

import java.util.Arrays;
import java.util.List;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.Sampler;
import org.sgdsim.train.Rule;

/**
 * {@code training.*}: rule, loss, normalisation, batch and dataset sizes, step sizes. Sizes may be expressions in
 * d, p, k and (except for the batch size itself) nb.
 */
final class TrainingSection
{
    private static final List<String> SIZE_VARIABLES = List.of("d", "p", "k");
    static final List<String> RUN_VARIABLES = List.of("d", "nb", "p", "k");
    /** The second layer's rate may also refer to the first layer's, lr. */
    private static final List<String> SECOND_LAYER_VARIABLES = List.of("d", "nb", "p", "k", "lr");

    private final Rule rule;
    private final boolean adaptive;
    private final Loss loss;
    private final RowNormalization normalization;
    private final int repeats;
    private final double displacement;
    private final int batchSize;
    private final int datasetSize;
    private final double[] runValues;
    private final double learningRate;
    private final double secondLayerRate;

    /** Reads every key but training.switch-when, which {@link #lossSwitch} reads once the rest is checked. */
    TrainingSection(final ConfigReader r, final ExperimentSpec.Data data, final int width, final int k)
    {
        final int dim = data.dim();
        rule = r.parse("training.rule", Rule::parse);
        adaptive = "adaptive".equals(r.config().getValue("training.loss").unwrapped());
        loss = adaptive ? Loss.CORRELATION : r.parse("training.loss", text ->
        {
            try
            {
                return Loss.parse(text);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("expected square, correlation, exponential or adaptive, got '"
                    + text + "'");
            }
        });
        normalization = r.parse("training.normalization", RowNormalization::parse);
        repeats = (int)r.longValue("training.repeats", 1, 1_000_000);
        displacement = r.doubleValue("training.displacement", -1e6, 1e6);

        final double[] sizeValues = {dim, width, k};
        int batch = (int)r.count("training.batch-size", SIZE_VARIABLES, sizeValues, 1, Integer.MAX_VALUE);
        datasetSize = datasetSize(r, rule, batch, dim, width, k);
        if (rule == Rule.GD)
        {
            if (datasetSize == 0)
            {
                throw r.error("training.dataset-size", "a finite dataset (a count or an expression) for rule gd",
                    "online");
            }
            if (r.userSets("training.batch-size")
                && r.count("training.batch-size", SIZE_VARIABLES, sizeValues, 1, Integer.MAX_VALUE) != datasetSize)
            {
                throw r.error("training.batch-size", "no batch size with rule gd (it uses the whole dataset; "
                    + "use rule sgd with a dataset-size for mini-batches)", r.config().getValue("training.batch-size")
                    .unwrapped());
            }
            batch = datasetSize;
        }
        batchSize = batch;
        if (datasetSize > 0 && batchSize > datasetSize)
        {
            throw r.error("training.batch-size", "at most training.dataset-size = " + datasetSize, batchSize);
        }
        if (repeats > 1 && (long)batchSize * dim > Integer.MAX_VALUE - 16)
        {
            throw r.error("training.repeats", "1 when n_b·d exceeds one Java array (the batch is kept for the repeats)",
                repeats);
        }
        if (data.sampler() == Sampler.LOWRANK)
        {
            DataSection.lowRankServes(r, rule, datasetSize, repeats);
        }
        runValues = new double[] {dim, batchSize, width, k};
        learningRate = r.number("training.learning-rate", RUN_VARIABLES, runValues);
        if (!(learningRate > 0.0))
        {
            throw r.error("training.learning-rate", "a positive step size", learningRate);
        }
        secondLayerRate = secondLayerRate(r);
    }

    /** The values of d, nb, p, k for expressions in {@link #RUN_VARIABLES}. */
    double[] runValues()
    {
        return runValues.clone();
    }

    int batchSize()
    {
        return batchSize;
    }

    int datasetSize()
    {
        return datasetSize;
    }

    /** The adaptive loss's condition (training.switch-when), required with loss = adaptive and refused otherwise. */
    Threshold lossSwitch(final ConfigReader r, final int width, final int k)
    {
        final Threshold when = StopSection.threshold(r, "training.switch-when", width, k);
        if (adaptive && when == null)
        {
            throw new UserError(r.where("training.switch-when") + "training.switch-when: required with training.loss "
                + "= adaptive, e.g. { metric = risk, below = 0.05 }");
        }
        if (!adaptive && when != null)
        {
            throw r.error("training.switch-when", "none unless training.loss = adaptive",
                r.config().getValue("training.switch-when").unwrapped());
        }
        return when;
    }

    ExperimentSpec.Training spec(final Threshold lossSwitch)
    {
        return new ExperimentSpec.Training(rule, loss, batchSize, learningRate, normalization, repeats, displacement,
            datasetSize, secondLayerRate, lossSwitch);
    }

    /** γ_a of training.second-layer = sgd (an expression that may use lr, the W rate), or 0 for fixed. */
    private double secondLayerRate(final ConfigReader r)
    {
        final String mode = r.string("training.second-layer");
        if ("fixed".equals(mode))
        {
            return 0.0;
        }
        if (!"sgd".equals(mode))
        {
            throw r.error("training.second-layer", "fixed or sgd", mode);
        }
        final double[] values = Arrays.copyOf(runValues, runValues.length + 1);
        values[runValues.length] = learningRate;
        final double rate = r.number("training.second-layer-rate", SECOND_LAYER_VARIABLES, values);
        if (!(rate > 0.0))
        {
            throw r.error("training.second-layer-rate", "a positive step size", rate);
        }
        return rate;
    }

    private static int datasetSize(final ConfigReader r, final Rule rule, final int batchSize, final int dim,
        final int width, final int k)
    {
        final String key = "training.dataset-size";
        final ConfigValue value = r.config().getValue(key);
        if (value.valueType() == ConfigValueType.STRING && "online".equals(value.unwrapped()))
        {
            return 0;
        }
        // With gd the batch is the dataset, so its size cannot depend on nb.
        final long n = rule == Rule.GD ? r.count(key, SIZE_VARIABLES, new double[] {dim, width, k}, 1, Integer.MAX_VALUE)
            : r.count(key, RUN_VARIABLES, new double[] {dim, batchSize, width, k}, 1, Integer.MAX_VALUE);
        if (n * (long)dim > Integer.MAX_VALUE - 16)
        {
            throw r.error(key, "at most " + (Integer.MAX_VALUE / dim) + " samples in dimension " + dim
                + " (one Java array)", n);
        }
        return (int)n;
    }
}
