package org.sgdsim.experiment.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import com.typesafe.config.Config;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.math.expr.Expression;

/**
 * The section readers and typed reads, for the reader of a run kind in a package of its own
 * ({@code org.sgdsim.giant}): the sections it shares with the online kind read exactly as they do there, with the
 * same one-line errors.
 */
public final class KindReader
{
    private final ConfigReader r;

    KindReader(final ConfigReader r)
    {
        this.r = r;
    }

    /** The merged configuration being read. */
    public Config config()
    {
        return r.config();
    }

    /** {@code experiment.name}. */
    public String name()
    {
        return ExperimentSection.name(r);
    }

    /** {@code experiment.seed}. */
    public long seed()
    {
        return ExperimentSection.seed(r);
    }

    /** The {@code data} section. */
    public ExperimentSpec.Data data()
    {
        return DataSection.read(r);
    }

    /** {@code teacher.target}, at most d directions. */
    public Expression target(final int dim)
    {
        return TeacherSection.target(r, dim);
    }

    /** The {@code student} section. */
    public ExperimentSpec.Student student(final int dim, final int k)
    {
        return StudentSection.read(r, dim, k);
    }

    /** The {@code checkpoint} section. */
    public ExperimentSpec.Checkpoints checkpoints()
    {
        return CheckpointSection.read(r);
    }

    /** {@code output.dir}, with output.plots and output.fsync checked. */
    public Path outputDir()
    {
        OutputSection.checkPlots(r);
        OutputSection.checkFsync(r);
        return OutputSection.dir(r);
    }

    /** A string. */
    public String string(final String key)
    {
        return r.string(key);
    }

    /** A boolean. */
    public boolean bool(final String key)
    {
        return r.bool(key);
    }

    /** An integer in [min, max]. */
    public long longValue(final String key, final long min, final long max)
    {
        return r.longValue(key, min, max);
    }

    /** A number in [min, max]. */
    public double doubleValue(final String key, final double min, final double max)
    {
        return r.doubleValue(key, min, max);
    }

    /** A number or an expression in {@code variables}. */
    public double number(final String key, final List<String> variables, final double[] values)
    {
        return r.number(key, variables, values);
    }

    /** A count: a number or an expression, rounded down. */
    public long count(final String key, final List<String> variables, final double[] values, final long min,
        final long max)
    {
        return r.count(key, variables, values, min, max);
    }

    /** A string parsed by {@code parser} (its IllegalArgumentException becomes the key's one-line error). */
    public <T> T parse(final String key, final Function<String, T> parser)
    {
        return r.parse(key, parser);
    }

    /** The one-line error of a key: where it was set, what was expected, what it got. */
    public UserError error(final String key, final String expected, final Object got)
    {
        return r.error(key, expected, got);
    }
}
