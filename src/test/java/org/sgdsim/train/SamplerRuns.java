package org.sgdsim.train;

import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.model.RowNormalization;

import org.sgdsim.math.Kernels;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.FieldGenerator;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.StreamReader;
import org.sgdsim.model.StudentInit;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;

/**
 * Short training runs from one fixed teacher and initial student, over many data seeds, with either sampler:
 * the overlaps M and Q after given steps, per seed. Only the data differ between seeds, so a difference between
 * the samplers shows up in the distribution of the overlaps.
 */
final class SamplerRuns
{
    /** One setting: d, n_b, p, the target and activation, loss, normalisation, γ, Δ and the initial student. */
    record Setting(String name, int dim, int batchSize, int width, String target, String activation, Loss loss,
        RowNormalization normalization, double learningRate, double noise, StudentInit init)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private static final long TEACHER_SEED = 101;
    private static final long INIT_SEED = 202;
    private static final int BLOCK = 64;

    private SamplerRuns()
    {
    }

    /**
     * For data seeds 1..seeds, the number of steps of the explicit sampler, drawing its Gaussians with
     * {@code gaussian}, until the first unit's overlap m = M_11 / √Q_11 with the first teacher direction first
     * reaches {@code threshold}; {@code maxSteps} + 1 when it does not within {@code maxSteps}.
     */
    static double[] hittingSteps(final Setting s, final GaussianAlgorithm gaussian, final int seeds,
        final double threshold, final int maxSteps)
    {
        final Teacher teacher = Teacher.create(s.dim(), Expression.parseTarget(s.target()), s.noise(), TEACHER_SEED);
        final int d = s.dim();
        final double[] w0 = s.init().weights(teacher, s.width(), INIT_SEED);
        final double[] a = new double[s.width()];
        java.util.Arrays.fill(a, 1.0);
        final double[] steps = new double[seeds];
        for (int seed = 0; seed < seeds; seed++)
        {
            final double[] w = w0.clone();
            final TwoLayerNetwork student = new TwoLayerNetwork(d, w, a, Activation.parse(s.activation()));
            final UpdateRule rule = new UpdateRule(student, s.loss(), s.normalization(), s.learningRate(), 0.0, 1,
                s.batchSize());
            final StreamReader reader = new StreamReader(Sampler.EXPLICIT.blocks(teacher, s.width(), 1000 + seed,
                BLOCK, s.batchSize(), gaussian));
            int step = 0;
            while (step < maxSteps && Kernels.dot(w, 0, teacher.directions(), 0, d)
                < threshold * Math.sqrt(Kernels.dot(w, 0, w, 0, d)))
            {
                step(rule, reader, s.batchSize());
                step++;
            }
            steps[seed] = step < maxSteps ? step : maxSteps + 1;
        }
        return steps;
    }

    /**
     * Overlap entries (M row-major, then the upper triangle of Q) after each of {@code checkpoints} (increasing
     * step counts), for data seeds 1..seeds: result[checkpoint][entry][seed].
     */
    static double[][][] overlaps(final Setting s, final Sampler sampler, final int seeds, final int... checkpoints)
    {
        return overlaps(s, sampler, false, seeds, checkpoints);
    }

    /** As above; {@code broken} leaves out the low-rank sampler's orthogonal term (the negative control). */
    static double[][][] overlaps(final Setting s, final Sampler sampler, final boolean broken, final int seeds,
        final int... checkpoints)
    {
        return overlaps(s, sampler, broken, 0.0, -1, seeds, checkpoints);
    }

    /**
     * As above, training a at rate {@code secondLayerRate} when it is positive (a_1..a_p then follow the overlap
     * entries), and switching the loss to square after step {@code switchAfter} when it is ≥ 0 (the adaptive loss,
     * its condition replaced by a fixed step).
     */
    static double[][][] overlaps(final Setting s, final Sampler sampler, final boolean broken,
        final double secondLayerRate, final int switchAfter, final int seeds, final int... checkpoints)
    {
        final Teacher teacher = Teacher.create(s.dim(), Expression.parseTarget(s.target()), s.noise(), TEACHER_SEED);
        final int k = teacher.k();
        final int p = s.width();
        final int d = s.dim();
        final double[] w0 = s.init().weights(teacher, p, INIT_SEED);
        final double[] a = new double[p];
        java.util.Arrays.fill(a, 1.0);
        final int entries = p * k + p * (p + 1) / 2 + (secondLayerRate > 0.0 ? p : 0);
        final double[][][] out = new double[checkpoints.length][entries][seeds];
        for (int seed = 0; seed < seeds; seed++)
        {
            final long dataSeed = 1000 + seed;
            final double[] w = w0.clone();
            final double[] trainedA = a.clone();
            final TwoLayerNetwork student = new TwoLayerNetwork(d, w, trainedA, Activation.parse(s.activation()));
            final UpdateRule rule = sampler == Sampler.EXPLICIT
                ? new UpdateRule(student, s.loss(), s.normalization(), s.learningRate(), 0.0, 1, s.batchSize())
                : UpdateRule.lowRank(student, teacher.directions(), k, s.loss(), s.normalization(), s.learningRate(),
                    dataSeed, FieldGenerator.pieceSize(BLOCK, s.batchSize()), GaussianAlgorithm.ZIGGURAT);
            if (broken)
            {
                rule.dropOrthogonalTermForTests();
            }
            if (secondLayerRate > 0.0)
            {
                rule.trainSecondLayer(secondLayerRate);
            }
            final StreamReader reader = new StreamReader(sampler.blocks(teacher, p, dataSeed, BLOCK, s.batchSize()));
            int step = 0;
            for (int c = 0; c < checkpoints.length; c++)
            {
                for (; step < checkpoints[c]; step++)
                {
                    step(rule, reader, s.batchSize());
                    if (step == switchAfter)
                    {
                        rule.switchLoss(Loss.SQUARE);
                    }
                }
                int e = 0;
                for (int j = 0; j < p; j++)
                {
                    for (int r = 0; r < k; r++)
                    {
                        out[c][e++][seed] = Kernels.dot(w, j * d, teacher.directions(), r * d, d);
                    }
                }
                for (int j = 0; j < p; j++)
                {
                    for (int l = j; l < p; l++)
                    {
                        out[c][e++][seed] = Kernels.dot(w, j * d, w, l * d, d);
                    }
                }
                for (int j = 0; j < p && secondLayerRate > 0.0; j++)
                {
                    out[c][e++][seed] = trainedA[j];
                }
            }
        }
        return out;
    }

    // One SGD step on the next batch of the stream.
    private static void step(final UpdateRule rule, final StreamReader reader, final int batchSize)
    {
        rule.beginBatch(batchSize);
        int done = 0;
        while (done < batchSize)
        {
            final int n = reader.next(batchSize - done);
            rule.accumulate(reader.x(), reader.y(), reader.offset(), n);
            done += n;
        }
        rule.endBatch();
    }
}
