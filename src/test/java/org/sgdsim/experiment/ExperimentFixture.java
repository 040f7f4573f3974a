package org.sgdsim.experiment;

import java.util.ArrayList;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.run.ReferenceTrainer;

/** Builds specs from inline HOCON plus overrides, and runs them in memory. */
final class ExperimentFixture
{
    private ExperimentFixture()
    {
    }

    static ExperimentSpec spec(final String hocon, final String... overrides)
    {
        Config user = ConfigFactory.parseString(hocon);
        for (final String o : overrides)
        {
            user = ExperimentConfig.parseOverride(o).withFallback(user);
        }
        return ExperimentConfig.fromUserConfig(user);
    }

    /** Runs the reference loop and returns metrics.csv's lines. */
    static List<String> rows(final ExperimentSpec spec)
    {
        final List<String> lines = new ArrayList<>();
        new ReferenceTrainer(RunModel.build(spec).plan(), line -> lines.add(line.toString()), null).run();
        return lines;
    }

    /** The same lines without the wall_s column (the only one that depends on timing). */
    static List<String> withoutWallTime(final List<String> lines)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : lines)
        {
            final String[] cells = line.split(",", -1);
            final StringBuilder s = new StringBuilder();
            for (int i = 0; i < cells.length; i++)
            {
                if (i != 2)
                {
                    s.append(cells[i]).append(',');
                }
            }
            out.add(s.toString());
        }
        return out;
    }
}
