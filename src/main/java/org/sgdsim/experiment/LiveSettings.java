package org.sgdsim.experiment;

import java.time.Duration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.config.ExperimentConfig;

/**
 * The {@code live { }} section: where the embedded dashboard / SSE / Prometheus server listens and how it treats
 * its clients (docs/configuration.md).
 *
 * @param host          address to bind (127.0.0.1 by default: nothing outside this machine reaches it).
 * @param port          TCP port, 0 for any free one.
 * @param bufferRows    rows each run keeps for the dashboard and for SSE resumption.
 * @param heartbeat     idle time after which an SSE stream gets a comment line.
 * @param clientTimeout time a single write to an SSE client may take before the client is dropped.
 * @param maxClients    SSE streams at once.
 */
public record LiveSettings(String host, int port, int bufferRows, Duration heartbeat, Duration clientTimeout,
    int maxClients)
{
    /** Reads and checks {@code live.*} of a resolved config (defaults included). */
    public static LiveSettings from(final Config config)
    {
        final String host = string(config, "live.host");
        if (host.isBlank())
        {
            throw new UserError("live.host: expected an address to bind such as 127.0.0.1, got ''");
        }
        return new LiveSettings(host, (int)integer(config, "live.port", 0, 65535),
            (int)integer(config, "live.buffer-rows", 16, 1 << 24), duration(config, "live.heartbeat"),
            duration(config, "live.client-timeout"), (int)integer(config, "live.max-clients", 1, 10_000));
    }

    /** The same settings on another port (the --port option). */
    public LiveSettings withPort(final int newPort)
    {
        if (newPort < 0 || newPort > 65535)
        {
            throw new UserError("--port: expected a TCP port in [0, 65535], got " + newPort);
        }
        return new LiveSettings(host, newPort, bufferRows, heartbeat, clientTimeout, maxClients);
    }

    private static String string(final Config config, final String key)
    {
        final ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.STRING)
        {
            throw new UserError(ExperimentConfig.where(value) + key + ": expected a string, got " + value.unwrapped());
        }
        return (String)value.unwrapped();
    }

    private static long integer(final Config config, final String key, final long min, final long max)
    {
        final ConfigValue value = config.getValue(key);
        final String expected = key + ": expected an integer in [" + min + ", " + max + "], got ";
        if (value.valueType() != ConfigValueType.NUMBER || !(value.unwrapped() instanceof Integer
            || value.unwrapped() instanceof Long))
        {
            throw new UserError(ExperimentConfig.where(value) + expected + value.unwrapped());
        }
        final long v = ((Number)value.unwrapped()).longValue();
        if (v < min || v > max)
        {
            throw new UserError(ExperimentConfig.where(value) + expected + v);
        }
        return v;
    }

    private static Duration duration(final Config config, final String key)
    {
        try
        {
            final Duration d = config.getDuration(key);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0)
            {
                throw new UserError(ExperimentConfig.where(config.getValue(key)) + key
                    + ": expected a duration in (0, 1h] such as 15s, got " + config.getValue(key).unwrapped());
            }
            return d;
        }
        catch (final ConfigException ex)
        {
            throw new UserError(ExperimentConfig.where(config.getValue(key)) + key
                + ": expected a duration such as 15s or 500ms, got " + config.getValue(key).unwrapped());
        }
    }
}
