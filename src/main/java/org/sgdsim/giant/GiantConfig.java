package org.sgdsim.giant;

import java.util.ArrayList;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.config.KindReader;
import org.sgdsim.experiment.UserError;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Loss;
import org.sgdsim.model.Sampler;

/**
 * Reads a giant-step experiment: the online kind's data, teacher and student sections, and the {@code giant} and
 * {@code readout} sections of this kind (docs/configuration.md). Every problem is a one-line {@link UserError}.
 */
public final class GiantConfig
{
    /** Variables of the step size: n is the batch size d^κ. */
    private static final List<String> RATE_VARIABLES = List.of("d", "p", "k", "n");
    private static final List<String> SIZE_VARIABLES = List.of("d", "p", "k");
    /** Sections only this kind reads; set with another kind they would be silently ignored, so they are refused. */
    private static final List<String> OWN_SECTIONS = List.of("giant", "readout");
    /** Largest batch: the step streams its samples, but n·p·d multiply-adds per step must stay within a run. */
    private static final long MAX_BATCH = 1L << 30;
    /** Widest readout: a p × p Gram matrix and its Cholesky factor (p = 4096: 134 MB each). */
    private static final int MAX_WIDTH = 4096;

    private GiantConfig()
    {
    }

    /** Refuses this kind's sections, set to anything but their defaults, in an experiment of another kind. */
    public static void rejectOutside(final String kind, final Config user)
    {
        if (GiantKind.NAME.equals(kind))
        {
            return;
        }
        final Config defaults = ExperimentConfig.defaults();
        for (final String section : OWN_SECTIONS)
        {
            if (section.equals("readout") && kind.equals("online"))
            {
                continue; // an online run reads out at its end with readout.enabled = true
            }
            // A run folder's config.conf records every key at its default: only a value that differs would be lost.
            if (user.hasPath(section) && !user.getConfig(section).withFallback(defaults.getConfig(section)).root()
                .equals(defaults.getConfig(section).root()))
            {
                throw new UserError(section + ": only with experiment.kind = " + GiantKind.NAME + " (this experiment is "
                    + kind + ")");
            }
        }
    }

    /** The spec of a giant-step experiment. */
    public static GiantSpec read(final KindReader r)
    {
        final String name = r.name();
        final long seed = r.seed();
        final ExperimentSpec.Data data = r.data();
        final int dim = data.dim();
        final Sampler sampler = data.sampler();
        final Expression target = r.target(dim);
        final int k = target.arity();
        final ExperimentSpec.Student student = r.student(dim, k);
        final int width = student.width();
        if (width > MAX_WIDTH)
        {
            throw r.error("student.width", "at most " + MAX_WIDTH + " for experiment.kind = " + GiantKind.NAME
                + " (the readout solves a p × p system)", width);
        }

        final int steps = (int)r.longValue("giant.steps", 0, 3);
        final double kappa = r.doubleValue("giant.kappa", 0.0, 4.0);
        final double n = Math.floor(Math.pow(dim, kappa) * (1.0 + 1e-12));
        if (n < 1 || n > MAX_BATCH)
        {
            throw r.error("giant.kappa", "d^kappa in [1, " + MAX_BATCH + "]", kappa + " (d^kappa = " + n + ")");
        }
        final int batchSize = (int)n;
        final String batch = r.string("giant.batch");
        if (!batch.equals("fresh") && !batch.equals("reuse"))
        {
            throw r.error("giant.batch", "fresh or reuse", batch);
        }
        final boolean reuse = batch.equals("reuse");
        if (sampler == Sampler.LOWRANK && reuse && steps > 1)
        {
            throw r.error("data.sampler", "explicit with giant.batch = reuse (the low-rank draw is exact for a fresh "
                + "batch only: a reused batch's coordinates change with W)", "lowrank");
        }
        final Loss loss = r.parse("giant.loss", GiantConfig::loss);
        final double learningRate = r.number("giant.learning-rate", RATE_VARIABLES,
            new double[] {dim, width, k, batchSize});
        if (!(learningRate > 0.0))
        {
            throw r.error("giant.learning-rate", "a positive step size", learningRate);
        }
        if ("false".equals(enabled(r)))
        {
            throw r.error("readout.enabled", "auto or true for experiment.kind = " + GiantKind.NAME
                + " (its readout is the protocol's result)", false);
        }
        final GiantSpec.Readout readout = readout(r, steps, dim, width, k);
        final GiantSpec.Steps giant = new GiantSpec.Steps(steps, kappa, batchSize, reuse, loss, learningRate,
            r.doubleValue("giant.learned-above", 0.0, 1.0));
        final ExperimentSpec.Checkpoints checkpoints = r.checkpoints();
        return new GiantSpec(new Experiment.Identity(name, seed, r.outputDir(), r.config()), data, target, student,
            giant, readout, checkpoints);
    }

    /** {@code readout.enabled} as text: auto, true or false. */
    private static String enabled(final KindReader r)
    {
        final String value = String.valueOf(r.config().getValue("readout.enabled").unwrapped());
        if (!value.equals("auto") && !value.equals("true") && !value.equals("false"))
        {
            throw r.error("readout.enabled", "auto, true or false", r.config().getValue("readout.enabled").unwrapped());
        }
        return value;
    }

    /**
     * The readout of an online run ({@code readout.enabled = true}: a ridge readout and the spectra at the end of
     * training, beside the no-step one, and readouts at {@code readout.at-steps}), or null without one ({@code auto}
     * and {@code false}).
     */
    public static GiantSpec.Readout onlineReadout(final KindReader r, final int dim, final int width,
        final int k)
    {
        if (!"true".equals(enabled(r)))
        {
            return null;
        }
        final GiantSpec.Readout readout = readout(r, Integer.MAX_VALUE, dim, width, k);
        final List<Integer> steps = readout.atSteps();
        for (int i = 1; i < steps.size(); i++)
        {
            if (steps.get(i) <= steps.get(i - 1))
            {
                throw r.error("readout.at-steps", "an increasing list of steps ≥ 0 for an online run",
                    r.config().getValue("readout.at-steps").unwrapped());
            }
        }
        return readout;
    }

    /** The {@code readout} section, readouts allowed at steps 0 … {@code steps}. */
    private static GiantSpec.Readout readout(final KindReader r, final int steps, final int dim,
        final int width, final int k)
    {
        final double[] sizes = {dim, width, k};
        final double lambda = r.doubleValue("readout.lambda", 0.0, 1e12);
        final int samples = (int)r.count("readout.samples", SIZE_VARIABLES, sizes, 1, 1 << 24);
        final int testSamples = (int)r.count("readout.test-samples", SIZE_VARIABLES, sizes, 1, 1 << 24);
        if (lambda == 0.0 && samples < width)
        {
            throw r.error("readout.lambda", "a positive penalty when readout.samples < student.width (the fit "
                + "is singular)", 0);
        }
        if ((long)Math.max(samples, testSamples) * dim > Integer.MAX_VALUE - 16)
        {
            throw r.error("readout.samples", "at most (2^31 − 16)/d samples (they are kept in one array)", samples);
        }
        return new GiantSpec.Readout(lambda, samples, testSamples, atSteps(r, steps), r.bool("readout.spectrum"),
            r.doubleValue("readout.spectrum-margin", 0.0, 10.0));
    }

    /** square or correlation: the losses whose full-batch step the giant-step papers take. */
    private static Loss loss(final String text)
    {
        return switch (text)
        {
            case "square" -> Loss.SQUARE;
            case "correlation" -> Loss.CORRELATION;
            default -> throw new IllegalArgumentException("expected square or correlation, got '" + text + "'");
        };
    }

    private static List<Integer> atSteps(final KindReader r, final int steps)
    {
        final String key = "readout.at-steps";
        final Config c = r.config();
        // steps = Integer.MAX_VALUE: an online run, whose length the stop section decides.
        final String expected = steps == Integer.MAX_VALUE ? "an increasing list of steps ≥ 0 for an online run"
            : "a list of steps in [0, giant.steps = " + steps + "]";
        if (c.getValue(key).valueType() != ConfigValueType.LIST)
        {
            throw r.error(key, expected, c.getValue(key).unwrapped());
        }
        final List<Integer> out = new ArrayList<>();
        try
        {
            for (final Number v : c.getNumberList(key))
            {
                if (v.doubleValue() != Math.rint(v.doubleValue()) || v.doubleValue() < 0 || v.doubleValue() > steps)
                {
                    throw r.error(key, expected, c.getValue(key).unwrapped());
                }
                out.add(v.intValue());
            }
        }
        catch (final ConfigException ex)
        {
            throw r.error(key, expected, c.getValue(key).unwrapped());
        }
        return out;
    }
}
