package org.sgdsim.experiment.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.Threshold;

/** {@code stop.*}: the step and sample budgets, the optional threshold and how often it is checked. */
final class StopSection
{
    private StopSection()
    {
    }

    static ExperimentSpec.Stop read(final ConfigReader r, final TrainingSection training, final int width, final int k)
    {
        final double[] runValues = training.runValues();
        final long maxSteps = budget(r, "stop.max-steps", runValues);
        final long maxSamples = budget(r, "stop.max-samples", runValues);
        if (maxSteps == Long.MAX_VALUE && maxSamples == Long.MAX_VALUE)
        {
            throw new UserError("stop: set stop.max-steps or stop.max-samples (a number or an expression in d, nb, p, k)");
        }
        if (training.datasetSize() > 0 && maxSteps == Long.MAX_VALUE)
        {
            throw new UserError("stop.max-steps: required with a finite training.dataset-size "
                + "(a fixed dataset never runs out of samples)");
        }
        final Threshold when = threshold(r, "stop.when", width, k);
        return new ExperimentSpec.Stop(maxSteps, maxSamples, when, checkEvery(r, when, training.batchSize()));
    }

    /** A threshold object such as {@code { metric = max-cos-1, above = 0.5 }}, or null for none. */
    static Threshold threshold(final ConfigReader r, final String key, final int width, final int k)
    {
        final ConfigValue value = r.config().getValue(key);
        if (value.valueType() == ConfigValueType.STRING && "none".equals(value.unwrapped()))
        {
            return null;
        }
        final String expected = "none or { metric = max-cos-1, above = 0.5 } (above or below, not both)";
        if (value.valueType() != ConfigValueType.OBJECT || !r.config().hasPath(key + ".metric")
            || r.config().hasPath(key + ".above") == r.config().hasPath(key + ".below"))
        {
            throw r.error(key, expected, value.unwrapped());
        }
        final boolean above = r.config().hasPath(key + ".above");
        final double limit = r.doubleValue(key + (above ? ".above" : ".below"), -Double.MAX_VALUE, Double.MAX_VALUE);
        final String metric = r.string(key + ".metric");
        try
        {
            return Threshold.parse(metric, above, limit, width, k);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError(r.where(key + ".metric") + key + ".metric: " + ex.getMessage());
        }
    }

    private static long budget(final ConfigReader r, final String key, final double[] values)
    {
        if (r.isWord(key, "none"))
        {
            return Long.MAX_VALUE;
        }
        return r.count(key, TrainingSection.RUN_VARIABLES, values, 0, Long.MAX_VALUE - 1);
    }

    private static long checkEvery(final ConfigReader r, final Threshold when, final int batchSize)
    {
        final String key = "stop.check-every";
        if (r.isWord(key, "auto"))
        {
            // The overlaps cost O(p(p+k)d), several single-sample steps: check once per ≥ 8 samples, which
            // resolves the threshold to 8 samples. A risk can cost far more: check it at the metrics rows.
            return when != null && when.needsRisk() ? 0 : Math.max(1, (8 + batchSize - 1) / batchSize);
        }
        return r.longValue(key, 1, Long.MAX_VALUE);
    }
}
