package org.sgdsim.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.config.OpticsSection;
import org.sgdsim.optics.CostModel;
import org.sgdsim.optics.OpuParameters;

/**
 * The {@code optics { ... }} section of an experiment, parsed and validated: the optical unit's parameters and the
 * §4 cost model's. Keys and defaults: defaults.conf; meaning: docs/configuration.md and docs/optics.md.
 *
 * @param unit the optical processing unit.
 * @param cost the GPU, link and model settings of {@code sgdsim optics-cost}.
 */
public record OpticsSpec(OpuParameters unit, CostModel.Parameters cost)
{
    private static final String P = "optics.";

    /** Parses the section from a merged configuration (user layers over the defaults). */
    public static OpticsSpec from(final Config merged)
    {
        return OpticsSection.from(merged);
    }

    /**
     * The optics section from the built-in defaults, an optional {@code application.conf} and {@code --set}
     * overrides, which must all be {@code optics.*} keys (for commands that read nothing else).
     */
    public static OpticsSpec load(final List<String> overrides, final Path application)
    {
        Config user = ConfigFactory.empty();
        for (final String override : overrides)
        {
            final Config parsed = ExperimentConfig.parseOverride(override);
            for (final Map.Entry<String, ConfigValue> e : parsed.entrySet())
            {
                if (!e.getKey().startsWith(P))
                {
                    throw new UserError("--set: '" + e.getKey() + "': expected an optics.* key (this command reads only"
                        + " the optics section)");
                }
            }
            user = parsed.withFallback(user);
        }
        if (application != null && Files.isRegularFile(application))
        {
            user = user.withFallback(ExperimentConfig.parseFile(application));
        }
        try
        {
            user = user.resolve();
        }
        catch (final ConfigException ex)
        {
            throw new UserError(ex.getMessage().replace('\n', ' '));
        }
        ExperimentConfig.rejectUnknownKeys(user);
        return from(user.withFallback(ExperimentConfig.defaults()));
    }
}
