package org.sgdsim.experiment.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.metrics.RowSchedule;

/** {@code metrics.*}: when rows are written, the held-out risk's size and the progress line. */
final class MetricsSection
{
    private MetricsSection()
    {
    }

    static ExperimentSpec.Metrics read(final ConfigReader r)
    {
        return new ExperimentSpec.Metrics(schedule(r), (int)r.longValue("metrics.risk-samples", 10_000, 10_000_000),
            r.bool("metrics.progress"));
    }

    private static RowSchedule schedule(final ConfigReader r)
    {
        final String key = "metrics.every";
        final ConfigValue value = r.config().getValue(key);
        if (value.valueType() == ConfigValueType.STRING && "log".equals(value.unwrapped()))
        {
            return RowSchedule.logSpaced((int)r.longValue("metrics.per-decade", 1, 1000));
        }
        if (value.valueType() != ConfigValueType.NUMBER)
        {
            throw r.error(key, "log or a positive number of steps", value.unwrapped());
        }
        return RowSchedule.every(r.longValue(key, 1, Long.MAX_VALUE));
    }
}
