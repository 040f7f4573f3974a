package org.sgdsim.experiment.config;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.model.Sampler;
import org.sgdsim.train.Rule;

/** {@code data.*}: dimension, label noise, block size, how batches are drawn and the Gaussian generator. */
final class DataSection
{
    private DataSection()
    {
    }

    static ExperimentSpec.Data read(final ConfigReader r)
    {
        final int dim = (int)r.longValue("data.dim", 1, 1 << 24);
        final double noise = r.doubleValue("data.noise", 0.0, Double.MAX_VALUE);
        final int blockSize = (int)r.longValue("data.block-size", 1, 1 << 20);
        final Sampler sampler = r.parse("data.sampler", Sampler::parse);
        return new ExperimentSpec.Data(dim, noise, blockSize, sampler, gaussian(r));
    }

    /** {@code data.gaussian}: the Gaussian generator of every draw the run makes. */
    static GaussianAlgorithm gaussian(final ConfigReader r)
    {
        final String value = r.string("data.gaussian");
        final GaussianAlgorithm gaussian = GaussianAlgorithm.parse(value);
        if (gaussian == null)
        {
            throw r.error("data.gaussian", "vector or ziggurat", value);
        }
        return gaussian;
    }

    /** The low-rank sampler draws fresh Gaussian batches for one gradient step each: nothing else. */
    static void lowRankServes(final ConfigReader r, final Rule rule, final int datasetSize, final int repeats)
    {
        if (rule != Rule.SGD)
        {
            throw r.error("data.sampler", "explicit with training.rule = " + rule.configName()
                + " (lowrank serves online sgd only: the displaced step needs each sample's ‖x‖², and gd a "
                + "fixed dataset)", "lowrank");
        }
        if (datasetSize > 0)
        {
            throw r.error("data.sampler", "explicit with a finite training.dataset-size (lowrank draws every "
                + "batch fresh)", "lowrank");
        }
        if (repeats > 1)
        {
            throw r.error("data.sampler", "explicit with training.repeats > 1 (lowrank forgets each batch's "
                + "directions outside span(W*, W) after the step)", "lowrank");
        }
    }
}
