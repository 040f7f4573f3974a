package org.sgdsim.experiment.config;

import java.util.List;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.dfa.DfaSpec;

/** {@code network.*}: the MLP's layer widths (checked against the task) and its initialisation. */
final class NetworkSection
{
    private NetworkSection()
    {
    }

    static int[] widths(final ConfigReader r, final DfaSpec.Task task)
    {
        final String key = "network.widths";
        final String expected = "a list of at least 2 positive integers, [" + task.inputs() + ", ..., "
            + task.outputs() + "] for task " + task.configName();
        final ConfigValue value = r.config().getValue(key);
        if (value.valueType() != ConfigValueType.LIST)
        {
            throw r.error(key, expected, value.unwrapped());
        }
        final List<?> list = (List<?>)value.unwrapped();
        if (list.size() < 2)
        {
            throw r.error(key, expected, value.unwrapped());
        }
        final int[] widths = new int[list.size()];
        for (int i = 0; i < widths.length; i++)
        {
            if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < 1 || n.doubleValue() > 1 << 16)
            {
                throw r.error(key, expected, value.unwrapped());
            }
            widths[i] = n.intValue();
        }
        if (widths[0] != task.inputs() || widths[widths.length - 1] != task.outputs())
        {
            throw r.error(key, expected, value.unwrapped());
        }
        return widths;
    }

    /** True for {@code network.init = zero}, false for uniform. */
    static boolean zeroInit(final ConfigReader r)
    {
        final String init = r.string("network.init");
        if (!init.equals("uniform") && !init.equals("zero"))
        {
            throw r.error("network.init", "uniform or zero", init);
        }
        return init.equals("zero");
    }
}
