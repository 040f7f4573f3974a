package org.sgdsim.experiment.config;

import java.util.List;
import java.util.function.Function;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.UserError;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.math.expr.ExpressionException;

/** Typed reads with one-line errors; holds the merged config and the user's own layers. */
final class ConfigReader
{
    private final Config config;
    private final Config user;

    ConfigReader(final Config config, final Config user)
    {
        this.config = config;
        this.user = user;
    }

    /** The merged configuration being read. */
    Config config()
    {
        return config;
    }

    /** True when the user's own layers (not the defaults) set {@code key}. */
    boolean userSets(final String key)
    {
        return user.hasPath(key);
    }

    /** True when {@code key} holds the string {@code word} (none, auto, log ...). */
    boolean isWord(final String key, final String word)
    {
        final ConfigValue value = config.getValue(key);
        return value.valueType() == ConfigValueType.STRING && word.equals(value.unwrapped());
    }

    String string(final String key)
    {
        final ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.STRING)
        {
            throw error(key, "a string", value.unwrapped());
        }
        return (String)value.unwrapped();
    }

    boolean bool(final String key)
    {
        try
        {
            return config.getBoolean(key);
        }
        catch (final ConfigException ex)
        {
            throw error(key, "true or false", config.getValue(key).unwrapped());
        }
    }

    long longValue(final String key, final long min, final long max)
    {
        final ConfigValue value = config.getValue(key);
        final String expected = "an integer in [" + min + ", " + max + "]";
        if (value.valueType() != ConfigValueType.NUMBER)
        {
            throw error(key, expected, value.unwrapped());
        }
        final Number n = (Number)value.unwrapped();
        final double d = n.doubleValue();
        if (n instanceof Double && (d != Math.rint(d) || Math.abs(d) > 9.0e15))
        {
            throw error(key, expected, value.unwrapped());
        }
        final long v = n.longValue();
        if (v < min || v > max)
        {
            throw error(key, expected, v);
        }
        return v;
    }

    double doubleValue(final String key, final double min, final double max)
    {
        final ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.NUMBER)
        {
            throw error(key, "a number in [" + min + ", " + max + "]", value.unwrapped());
        }
        final double v = ((Number)value.unwrapped()).doubleValue();
        if (!(v >= min && v <= max))
        {
            throw error(key, "a number in [" + min + ", " + max + "]", v);
        }
        return v;
    }

    /** A positive integer, or none (returned as 0). */
    long optionalCount(final String key)
    {
        final ConfigValue value = config.getValue(key);
        if (value.valueType() == ConfigValueType.STRING && "none".equals(value.unwrapped()))
        {
            return 0;
        }
        if (value.valueType() != ConfigValueType.NUMBER)
        {
            throw error(key, "none or a positive integer", value.unwrapped());
        }
        return longValue(key, 1, Long.MAX_VALUE / 1_000_000_000L);
    }

    /** A number, or an expression in the given variables. */
    double number(final String key, final List<String> variables, final double[] values)
    {
        final ConfigValue value = config.getValue(key);
        final double v;
        if (value.valueType() == ConfigValueType.NUMBER)
        {
            v = ((Number)value.unwrapped()).doubleValue();
        }
        else if (value.valueType() == ConfigValueType.STRING)
        {
            try
            {
                v = Expression.parse((String)value.unwrapped(), variables).evaluate(values);
            }
            catch (final ExpressionException ex)
            {
                throw new UserError(where(key) + key + ": " + ex.getMessage());
            }
        }
        else
        {
            throw error(key, "a number or an expression in " + String.join(", ", variables), value.unwrapped());
        }
        if (!Double.isFinite(v))
        {
            throw error(key, "a finite value", render(value.unwrapped()) + " = " + v);
        }
        return v;
    }

    /** A count: a number or an expression, rounded down (with 1e-9 relative slack for round-off). */
    long count(final String key, final List<String> variables, final double[] values, final long min, final long max)
    {
        final double v = number(key, variables, values);
        // Round-off of an expression like d^1.5 may leave 2999.9999999: such a value means the integer nearby.
        // The slack snaps only to that integer, never past it (1e18 stays 1e18, not 1e18 + 1e9).
        final double nearest = Math.rint(v);
        final double floored = Math.abs(v - nearest) <= 1e-9 * Math.max(1.0, Math.abs(v)) ? nearest : Math.floor(v);
        if (floored < min || floored > max)
        {
            final Object given = config.getValue(key).unwrapped();
            throw error(key, "a count in [" + min + ", " + max + "]",
                given instanceof String ? render(given) + " = " + v : given);
        }
        return (long)floored;
    }

    <T> T parse(final String key, final Function<String, T> parser)
    {
        final String text = string(key);
        try
        {
            return parser.apply(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError(where(key) + key + ": " + ex.getMessage());
        }
    }

    /** The file:line prefix of {@code key}'s value (empty for defaults). */
    String where(final String key)
    {
        return ExperimentConfig.where(config.getValue(key));
    }

    UserError error(final String key, final String expected, final Object got)
    {
        return new UserError(where(key) + key + ": expected " + expected + ", got "
            + (got instanceof String s && s.startsWith("'") ? s : render(got)));
    }

    private static String render(final Object got)
    {
        if (got instanceof String s)
        {
            return "'" + s + "'";
        }
        return String.valueOf(got);
    }
}
