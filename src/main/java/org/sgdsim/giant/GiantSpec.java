package org.sgdsim.giant;

import java.util.List;

import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.Footprint;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Loss;
import org.sgdsim.model.Sampler;

/**
 * A giant-step experiment ({@code experiment.kind = giant-step}, giant-step.md §1): T full-batch gradient steps on
 * the first layer with the second layer fixed, each on n = d^κ samples (fresh or one batch reused), then a ridge
 * readout of the second layer and the feature spectra before and after.
 *
 * @param identity    name, seed, output folder and resolved configuration.
 * @param data        the data stream, as the online kind reads it (a lowrank sampler only with fresh batches).
 * @param target      the teacher's f*(z1..zk).
 * @param student     the two-layer student: width p, σ, how a (fixed during the steps) and W0 are drawn.
 * @param steps       the giant steps on W.
 * @param readout     the readout and spectrum settings.
 * @param checkpoints checkpoint settings (a giant-step run takes none: it is redone on resume).
 */
public record GiantSpec(Experiment.Identity identity, ExperimentSpec.Data data, Expression target,
    ExperimentSpec.Student student, Steps steps, Readout readout, ExperimentSpec.Checkpoints checkpoints)
    implements Experiment
{
    /**
     * The full-batch gradient steps on the first layer (giant-step.md §1, step 1).
     *
     * @param count        T ∈ {0, 1, 2, 3} (0: the random-features baseline alone).
     * @param kappa        κ: n = ⌊d^κ⌋.
     * @param batchSize    n.
     * @param reuse        true: every step uses the first step's batch.
     * @param loss         square (e = y − f), or correlation (e = y: giant_learning's predictor_interaction = False).
     * @param learningRate η: w_j += (η/(n·p))·Σ_u a_j σ'(w_j·x_u)(y_u − f(x_u)) x_u.
     * @param learnedAbove a direction counts as learned when its max_cos reaches this.
     */
    public record Steps(int count, double kappa, int batchSize, boolean reuse, Loss loss, double learningRate,
        double learnedAbove)
    {
    }

    /**
     * The readout section.
     *
     * @param lambda      ridge penalty λ (sgdsim's scale: λ = λ'/p for the papers' 1/√p network).
     * @param samples     n_r fresh samples of the fit (and of the spectra).
     * @param testSamples fresh samples of the test error.
     * @param atSteps     steps besides 0 and T at which a readout is fitted too.
     * @param spectrum    whether spectrum.csv and the outlier count are written.
     * @param margin      relative margin of the bulk edge ({@code org.sgdsim.metrics.FeatureSpectrum}).
     */
    public record Readout(double lambda, int samples, int testSamples, List<Integer> atSteps, boolean spectrum,
        double margin)
    {
        /** Copies the list. */
        public Readout
        {
            atSteps = List.copyOf(atSteps);
        }
    }

    /** Directions k of the teacher. */
    public int k()
    {
        return target.arity();
    }

    @Override
    public RunKind<?, ?> kind()
    {
        return GiantKind.KIND;
    }

    @Override
    public List<Footprint.Part> footprint()
    {
        final double p = student.width();
        final double d = data.dim();
        final double rows = data.sampler() == Sampler.LOWRANK ? p + k() : d;
        return List.of(
            new Footprint.Part("student.width × data.dim", "W, W0, the gradient and the low-rank basis", 6 * p * d * 8),
            new Footprint.Part("student.width²", "the feature Gram matrix and its eigen-decomposition", 4 * p * p * 8),
            new Footprint.Part("readout.samples, readout.test-samples × data.dim", "the readout's fresh samples",
                (double)(readout.samples() + readout.testSamples()) * (d + 1) * 8),
            new Footprint.Part("data.block-size", "one block of samples", data.blockSize() * (rows + 1) * 8));
    }

    @Override
    public GiantSpec withSeed(final long newSeed)
    {
        return new GiantSpec(identity.withSeed(newSeed), data, target, student, steps, readout, checkpoints);
    }
}
