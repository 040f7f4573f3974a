package org.sgdsim.metrics;

import java.util.List;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.Seeds;
import org.sgdsim.model.SampleGenerator;
import org.sgdsim.model.StreamReader;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * Ridge readouts and feature spectra of a trained first layer on fresh samples (giant-step.md §1 steps 2–3, §3): the
 * fit and test samples are drawn once, from streams of their own (never the training stream), and every readout of
 * the run uses the same ones. Plain Java, single-threaded; shared by the giant-step and online kinds.
 */
public final class FreshReadout
{
    /** Salt of the fit (and spectrum) samples. */
    public static final long FIT_STREAM = 0x52454144L;
    /** Salt of the test samples. */
    public static final long TEST_STREAM = 0x54455354L;

    /** A readout's errors at a step: ½·mean (y − âᵀφ)² on the fit samples and on the test samples. */
    public record Errors(long step, double trainError, double testError)
    {
    }

    private final int dim;
    private final double lambda;
    private final double[] fitX;
    private final double[] fitY;
    private final double[] testX;
    private final double[] testY;

    /** Draws {@code samples} fit and {@code testSamples} test samples labelled by {@code teacher}. */
    public FreshReadout(final Teacher teacher, final long seed, final int blockSize, final GaussianAlgorithm gaussian,
        final double lambda, final int samples, final int testSamples)
    {
        this.dim = teacher.dim();
        this.lambda = lambda;
        this.fitX = new double[samples * dim];
        this.fitY = new double[samples];
        draw(teacher, Seeds.mix(seed, FIT_STREAM), blockSize, gaussian, fitX, fitY);
        this.testX = new double[testSamples * dim];
        this.testY = new double[testSamples];
        draw(teacher, Seeds.mix(seed, TEST_STREAM), blockSize, gaussian, testX, testY);
    }

    private static void draw(final Teacher teacher, final long seed, final int blockSize,
        final GaussianAlgorithm gaussian, final double[] x, final double[] y)
    {
        new StreamReader(new SampleGenerator(teacher, seed, blockSize, gaussian)).read(y.length, x, y, 0);
    }

    /** The ridge fit of a on {@code network}'s first layer (read, not changed), tested on the test samples. */
    public Errors fit(final long step, final TwoLayerNetwork network)
    {
        final RidgeReadout ridge = new RidgeReadout(network);
        ridge.add(fitX, fitY, 0, fitY.length);
        final RidgeReadout.Fit fit = ridge.solve(lambda);
        return new Errors(step, fit.trainError(), ridge.error(fit.a(), testX, testY, 0, testY.length));
    }

    /**
     * Eigenvalues of the feature covariance on the fit samples, largest first, of {@code network}'s first layer with
     * its rows rescaled to unit norm: what a step changed in the rows' directions, not in their lengths (a giant step
     * multiplies the norms by up to η/p, which moves the whole bulk).
     */
    public double[] spectrum(final TwoLayerNetwork network)
    {
        final int p = network.width();
        final double[] unit = network.weights().clone();
        for (int j = 0; j < p; j++)
        {
            final double norm = Math.sqrt(Kernels.dot(unit, j * dim, unit, j * dim, dim));
            if (norm > 0.0)
            {
                for (int i = 0; i < dim; i++)
                {
                    unit[j * dim + i] /= norm;
                }
            }
        }
        return FeatureSpectrum.eigenvalues(new TwoLayerNetwork(dim, unit, network.secondLayer(), network.activation()),
            fitX, 0, fitY.length);
    }

    /** readout.csv: {@code step,lambda,samples,train_error,test_error}, a row per readout. */
    public String csv(final List<Errors> readouts)
    {
        final StringBuilder s = new StringBuilder("step,lambda,samples,train_error,test_error\n");
        for (final Errors o : readouts)
        {
            s.append(o.step()).append(',').append(lambda).append(',').append(fitY.length).append(',')
                .append(o.trainError()).append(',').append(o.testError()).append('\n');
        }
        return s.toString();
    }

    /** spectrum.csv: {@code index,before,after,outlier}, 1 where an after-eigenvalue counts as an outlier. */
    public static String spectrumCsv(final double[] before, final double[] after, final FeatureSpectrum.Outliers o)
    {
        final StringBuilder s = new StringBuilder("index,before,after,outlier\n");
        for (int i = 0; i < before.length; i++)
        {
            s.append(i + 1).append(',').append(before[i]).append(',').append(after[i]).append(',')
                .append(i >= o.structural() && after[i] > o.edge() ? 1 : 0).append('\n');
        }
        return s.toString();
    }
}
