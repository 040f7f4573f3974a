package org.sgdsim.giant;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.math.Kernels;
import org.sgdsim.metrics.FreshReadout;
import org.sgdsim.model.BlockSource;
import org.sgdsim.model.FieldGenerator;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.StreamReader;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.train.UpdateRule;

/**
 * The giant-step protocol on one thread (giant-step.md §1): full-batch gradient steps on W with a fixed, each
 * through {@link UpdateRule} on a batch of n samples (fresh, or the first batch regenerated from its seed), then
 * ridge readouts and feature spectra on fresh samples of streams of their own. Plain Java, no actors: the step is
 * one pass over n samples and the readout one p × p solve, so stages would only add hand-offs.
 */
public final class GiantSteps
{
    private final GiantSpec spec;
    private final Teacher teacher;
    private final TwoLayerNetwork student;
    private final UpdateRule rule;
    private final BlockSource training;
    private StreamReader fresh;
    private int steps;
    private final FreshReadout readout;

    /** Builds teacher, student (W0 and a from their streams) and the readout samples of {@code spec}. */
    public GiantSteps(final GiantSpec spec)
    {
        this.spec = spec;
        final ExperimentSpec.Data data = spec.data();
        final ExperimentSpec.Student net = spec.student();
        final GiantSpec.Steps giant = spec.steps();
        this.teacher = Teacher.create(data.dim(), spec.target(), data.noise(), spec.seed());
        final double[] a = net.secondLayer().weights(net.width(), spec.seed());
        final double[] w = net.init().weights(teacher, net.width(), spec.seed());
        this.student = new TwoLayerNetwork(data.dim(), w, a, net.activation());
        if (data.sampler() == Sampler.LOWRANK)
        {
            this.rule = UpdateRule.lowRank(student, teacher.directions(), teacher.k(), giant.loss(),
                RowNormalization.NONE, giant.learningRate(), spec.seed(),
                FieldGenerator.pieceSize(data.blockSize(), giant.batchSize()), data.gaussian());
        }
        else
        {
            this.rule = new UpdateRule(student, giant.loss(), RowNormalization.NONE, giant.learningRate(), 0.0, 1,
                giant.batchSize());
        }
        this.training = data.sampler().blocks(teacher, net.width(), spec.seed(), data.blockSize(), giant.batchSize(),
            data.gaussian());
        this.fresh = new StreamReader(training);
        final GiantSpec.Readout r = spec.readout();
        this.readout = new FreshReadout(teacher, spec.seed(), data.blockSize(), data.gaussian(), r.lambda(),
            r.samples(), r.testSamples());
    }

    /** The readout's fresh samples. */
    public FreshReadout fresh()
    {
        return readout;
    }

    /**
     * One full-batch step: w_j += (η/(n·p))·Σ_u a_j σ'(λ_uj)(y_u − f(x_u)) x_u over the step's batch — the next n
     * samples of the stream, or with batch reuse the first n again (regenerated from their blocks' seeds, so nothing
     * of size n·d is kept).
     */
    public void step()
    {
        final int batch = spec.steps().batchSize();
        final StreamReader reader = spec.steps().reuse() ? new StreamReader(training) : fresh;
        rule.beginBatch(batch);
        int done = 0;
        while (done < batch)
        {
            final int n = reader.next(batch - done);
            rule.accumulate(reader.x(), reader.y(), reader.offset(), n);
            done += n;
        }
        rule.endBatch();
        steps++;
    }

    /** Steps taken. */
    public int steps()
    {
        return steps;
    }

    /** Training samples drawn so far: n per step, or n once with batch reuse. */
    public long samples()
    {
        final int batch = spec.steps().batchSize();
        return spec.steps().reuse() ? (steps == 0 ? 0 : batch) : (long)steps * batch;
    }

    /** max_j |w_j·w*_c| / ‖w_j‖ for each teacher direction c (the cosine; W* has unit rows). */
    public double[] overlaps()
    {
        return overlaps(student.weights());
    }

    private double[] overlaps(final double[] w)
    {
        final int d = spec.data().dim();
        final double[] directions = teacher.directions();
        final double[] best = new double[teacher.k()];
        for (int j = 0; j < spec.student().width(); j++)
        {
            final double norm = Math.sqrt(Kernels.dot(w, j * d, w, j * d, d));
            for (int c = 0; c < teacher.k(); c++)
            {
                final double cos = norm > 0.0 ? Math.abs(Kernels.dot(w, j * d, directions, c * d, d)) / norm : 0.0;
                best[c] = Math.max(best[c], Double.isNaN(cos) ? Double.NaN : cos);
            }
        }
        return best;
    }

    /** The ridge readout of the current first layer: fit on the readout samples, test on the test samples. */
    public FreshReadout.Errors readout()
    {
        return readout.fit(steps, student);
    }

    /** Eigenvalues of the feature covariance of the current W, rows at unit norm ({@link FreshReadout#spectrum}). */
    public double[] spectrum()
    {
        return readout.spectrum(student);
    }

    /** True when every first-layer weight is finite (a step size too large overflows). */
    public boolean finite()
    {
        for (final double v : student.weights())
        {
            if (!Double.isFinite(v))
            {
                return false;
            }
        }
        return true;
    }
}
