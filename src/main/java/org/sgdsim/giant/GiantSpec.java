package org.sgdsim.giant;

import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.Footprint;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.SecondLayer;
import org.sgdsim.model.StudentInit;

/**
 * A giant-step experiment ({@code experiment.kind = giant-step}, giant-step.md §1): T full-batch gradient steps on
 * the first layer with the second layer fixed, each on n = d^κ samples (fresh or one batch reused), then a ridge
 * readout of the second layer and the feature spectra before and after.
 *
 * @param name         the experiment name.
 * @param seed         the run seed.
 * @param dim          d.
 * @param noise        label-noise variance Δ.
 * @param blockSize    samples per generator block.
 * @param sampler      explicit, or lowrank (fresh batches only).
 * @param gaussian     the Gaussian generator.
 * @param target       the teacher's f*(z1..zk).
 * @param width        p.
 * @param activation   σ.
 * @param secondLayer  how a is drawn (fixed during the steps).
 * @param init         how W0 is drawn.
 * @param steps        T ∈ {0, 1, 2, 3} (0: the random-features baseline alone).
 * @param kappa        κ: n = ⌊d^κ⌋.
 * @param batchSize    n.
 * @param reuse        true: every step uses the first step's batch.
 * @param loss         square (e = y − f), or correlation (e = y: giant_learning's predictor_interaction = False).
 * @param learningRate η: w_j += (η/(n·p))·Σ_u a_j σ'(w_j·x_u)(y_u − f(x_u)) x_u.
 * @param learnedAbove a direction counts as learned when its max_cos reaches this.
 * @param readout      the readout and spectrum settings.
 * @param checkpoints  checkpoint settings (a giant-step run takes none: it is redone on resume).
 * @param outputDir    parent of run folders.
 * @param resolved     the resolved configuration.
 */
public record GiantSpec(String name, long seed, int dim, double noise, int blockSize, Sampler sampler,
    GaussianAlgorithm gaussian, Expression target, int width, Activation activation, SecondLayer secondLayer,
    StudentInit init, int steps, double kappa, int batchSize, boolean reuse, Loss loss, double learningRate, double learnedAbove, Readout readout,
    ExperimentSpec.Checkpoints checkpoints, Path outputDir, Config resolved) implements Experiment
{
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
        final double p = width;
        final double d = dim;
        final double rows = sampler == Sampler.LOWRANK ? p + k() : d;
        return List.of(
            new Footprint.Part("student.width × data.dim", "W, W0, the gradient and the low-rank basis", 6 * p * d * 8),
            new Footprint.Part("student.width²", "the feature Gram matrix and its eigen-decomposition", 4 * p * p * 8),
            new Footprint.Part("readout.samples, readout.test-samples × data.dim", "the readout's fresh samples",
                (double)(readout.samples() + readout.testSamples()) * (d + 1) * 8),
            new Footprint.Part("data.block-size", "one block of samples", blockSize * (rows + 1) * 8));
    }

    @Override
    public GiantSpec withSeed(final long newSeed)
    {
        return new GiantSpec(name, newSeed, dim, noise, blockSize, sampler, gaussian, target, width, activation,
            secondLayer, init, steps, kappa, batchSize, reuse, loss, learningRate, learnedAbove, readout, checkpoints, outputDir,
            resolved.withValue("experiment.seed", ConfigValueFactory.fromAnyRef(newSeed)));
    }
}
