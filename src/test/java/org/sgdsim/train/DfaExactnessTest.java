package org.sgdsim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Digits;
import org.sgdsim.model.LabelledData;
import org.sgdsim.model.Mlp;
import org.sgdsim.model.MlpOutput;
import org.sgdsim.model.Streams;
import org.sgdsim.optics.Projector;

/** E1 (a) and (e) of dfa-optics.md §6, and the zero-initialisation contrast of §1.6. */
class DfaExactnessTest
{
    /** Gaussian feedback, ternary threshold 0.1, no rescale; the rest as given. */
    private static FeedbackOptions options(final FeedbackOptions.FeedbackScale normalization,
        final FeedbackOptions.Slicing slicing, final FeedbackOptions.Transform transform)
    {
        return new FeedbackOptions(FeedbackOptions.Distribution.GAUSS, normalization, slicing, transform, 0.1,
            FeedbackOptions.Rescale.NONE, 1.0);
    }

    private static final LabelledData DATA = Digits.p0().train();
    private static final int[] ROWS = java.util.stream.IntStream.range(0, DATA.size()).toArray();

    private static Mlp net(final int... widths)
    {
        final Mlp net = new Mlp(widths, Activation.parse("tanh"), MlpOutput.SOFTMAX);
        net.initUniform(new GaussianStream(3, Streams.MLP_INIT));
        return net;
    }

    /** B_1 := W_2ᵀ of the live network, read at projection time (before the step changes W_2). */
    private static final class TransposeOfTop implements Projector
    {
        private final Mlp net;

        TransposeOfTop(final Mlp net)
        {
            this.net = net;
        }

        @Override
        public int inputSize()
        {
            return net.width(2);
        }

        @Override
        public int outputSize()
        {
            return net.width(1);
        }

        @Override
        public void project(final double[] errors, final int batch, final double[] out)
        {
            final int k = net.width(2);
            final int m = net.width(1);
            final double[] w2 = net.weights(1);
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < m; i++)
                {
                    double s = 0.0;
                    for (int c = 0; c < k; c++)
                    {
                        s += w2[c * m + i] * errors[b * k + c];
                    }
                    out[b * m + i] = s;
                }
            }
        }
    }

    @Test
    void e1aDfaWithTheTransposedTopWeightsIsBackprop()
    {
        final Mlp bpNet = net(64, 24, 10);
        final Mlp dfaNet = net(64, 24, 10);
        final FeedbackOptions exact = options(FeedbackOptions.FeedbackScale.NONE, FeedbackOptions.Slicing.PREFIX,
            FeedbackOptions.Transform.NONE);
        final MlpTrainer bp = new MlpTrainer(bpNet, FeedbackRule.BP, exact, 0.05, 0.9, 32, null, null, null);
        final MlpTrainer dfa = new MlpTrainer(dfaNet, FeedbackRule.DFA, exact, 0.05, 0.9, 32,
            new TransposeOfTop(dfaNet), null, null);
        double maxDiff = 0.0;
        for (int step = 0; step < 20; step++)
        {
            bp.step(DATA.x(), DATA.y(), ROWS, step * 32, 32, false);
            dfa.step(DATA.x(), DATA.y(), ROWS, step * 32, 32, false);
            for (int l = 0; l < 2; l++)
            {
                for (int i = 0; i < bpNet.weights(l).length; i++)
                {
                    maxDiff = Math.max(maxDiff, Math.abs(bpNet.weights(l)[i] - dfaNet.weights(l)[i]));
                }
                for (int i = 0; i < bpNet.biases(l).length; i++)
                {
                    maxDiff = Math.max(maxDiff, Math.abs(bpNet.biases(l)[i] - dfaNet.biases(l)[i]));
                }
            }
        }
        assertTrue(maxDiff < 1e-12, "max |ΔW| between DFA (B = W2ᵀ) and BP: " + maxDiff);
        assertFalse(Arrays.equals(bpNet.weights(0), net(64, 24, 10).weights(0)), "the hidden layer trained");
    }

    @Test
    void e1eOneDfaStepChangesEveryHiddenLayer()
    {
        for (final FeedbackOptions.Slicing slicing : FeedbackOptions.Slicing.values())
        {
            final Mlp net = net(64, 20, 16, 12, 10);
            final double[][] before = new double[net.layers()][];
            for (int l = 0; l < net.layers(); l++)
            {
                before[l] = net.weights(l).clone();
            }
            final FeedbackOptions options = options(FeedbackOptions.FeedbackScale.FAN_OUT, slicing,
                FeedbackOptions.Transform.NONE);
            final SoftwareProjector projector = new SoftwareProjector(
                MlpTrainer.feedbackRows(net.widths(), slicing), 10, options.distribution(), 5, Streams.FEEDBACK, false);
            final MlpTrainer dfa = new MlpTrainer(net, FeedbackRule.DFA, options, 0.01, 0.9, 32, projector, null, null);
            dfa.step(DATA.x(), DATA.y(), ROWS, 0, 32, false);
            for (int l = 0; l < net.layers(); l++)
            {
                int changed = 0;
                for (int i = 0; i < before[l].length; i++)
                {
                    if (before[l][i] != net.weights(l)[i])
                    {
                        changed++;
                    }
                }
                // tanh is never flat and the inputs are standardised: nearly every entry moves.
                assertTrue(changed > before[l].length / 2, slicing + ": layer " + (l + 1) + " changed " + changed
                    + " of " + before[l].length + " weights");
            }
        }
    }

    @Test
    void fromZeroInitialisationDfaLearnsTheHiddenLayersAndBackpropCannot()
    {
        final int[] widths = {64, 16, 16, 10};
        final Mlp bpNet = new Mlp(widths, Activation.parse("tanh"), MlpOutput.SOFTMAX);
        final Mlp dfaNet = new Mlp(widths, Activation.parse("tanh"), MlpOutput.SOFTMAX);
        final FeedbackOptions options = options(FeedbackOptions.FeedbackScale.FAN_OUT, FeedbackOptions.Slicing.BLOCKS,
            FeedbackOptions.Transform.NONE);
        final MlpTrainer bp = new MlpTrainer(bpNet, FeedbackRule.BP, options, 0.01, 0.9, 32, null, null, null);
        final MlpTrainer dfa = new MlpTrainer(dfaNet, FeedbackRule.DFA, options, 0.01, 0.9, 32,
            new SoftwareProjector(32, 10, options.distribution(), 1, Streams.FEEDBACK, false), null, null);
        for (int step = 0; step < 3; step++)
        {
            bp.step(DATA.x(), DATA.y(), ROWS, step * 32, 32, false);
            dfa.step(DATA.x(), DATA.y(), ROWS, step * 32, 32, false);
        }
        for (int l = 0; l < 2; l++)
        {
            final int layer = l;
            assertTrue(Arrays.stream(bpNet.weights(l)).allMatch(w -> w == 0.0), "BP hidden layer " + (l + 1) + " moved");
            assertTrue(Arrays.stream(dfaNet.weights(l)).anyMatch(w -> w != 0.0),
                () -> "DFA hidden layer " + (layer + 1) + " stayed at zero");
        }
    }

    @Test
    void hiddenUpdatesDoNotReadTheWeightsAbove()
    {
        // Phase 3 must depend only on the stored activations and the projection: scrambling W_{l+1} between the
        // projection and the hidden update leaves the hidden layers as they would have been.
        final Mlp a = net(64, 20, 20, 10);
        final Mlp b = net(64, 20, 20, 10);
        final FeedbackOptions options = options(FeedbackOptions.FeedbackScale.FAN_OUT, FeedbackOptions.Slicing.BLOCKS,
            FeedbackOptions.Transform.NONE);
        final MlpTrainer ta = new MlpTrainer(a, FeedbackRule.DFA, options, 0.01, 0.9, 32,
            new SoftwareProjector(40, 10, options.distribution(), 2, Streams.FEEDBACK, false), null, null);
        final SoftwareProjector pb = new SoftwareProjector(40, 10, options.distribution(), 2, Streams.FEEDBACK, false);
        final MlpTrainer tb = new MlpTrainer(b, FeedbackRule.DFA, options, 0.01, 0.9, 32, pb, null, null);
        ta.step(DATA.x(), DATA.y(), ROWS, 0, 32, false);
        tb.forward(DATA.x(), DATA.y(), ROWS, 0, 32, false);
        final double[] projection = new double[32 * 40];
        pb.project(tb.signal(), 32, projection);
        tb.updateWithoutProjection();
        Arrays.fill(b.weights(1), 7.0);
        Arrays.fill(b.weights(2), -3.0);
        tb.applyProjection(projection, null);
        assertEquals(0, Arrays.compare(a.weights(0), b.weights(0)), "layer 1 as if nothing had been scrambled");
        // Layer 2 was overwritten with 7 before its own update: the update itself (first step: −η g) is the same.
        final double[] init = net(64, 20, 20, 10).weights(1);
        for (int i = 0; i < init.length; i++)
        {
            assertEquals(a.weights(1)[i] - init[i], b.weights(1)[i] - 7.0, 1e-12, "layer 2 update, entry " + i);
        }
    }

    @Test
    void ternaryTransformKeepsSignsAboveTheThreshold()
    {
        final Mlp net = net(64, 8, 10);
        final FeedbackOptions options = options(FeedbackOptions.FeedbackScale.FAN_OUT, FeedbackOptions.Slicing.BLOCKS,
            FeedbackOptions.Transform.TERNARY);
        final MlpTrainer t = new MlpTrainer(net, FeedbackRule.DFA, options, 0.01, 0.9, 16,
            new SoftwareProjector(8, 10, options.distribution(), 1, Streams.FEEDBACK, false), null, null);
        t.forward(DATA.x(), DATA.y(), ROWS, 0, 16, false);
        for (int i = 0; i < 16 * 10; i++)
        {
            final double e = t.error()[i];
            final double expected = e > 0.1 ? 1.0 : e < -0.1 ? -1.0 : 0.0;
            assertEquals(expected, t.signal()[i], "entry " + i + " of e = " + e);
        }
    }

    @Test
    void softwareFeedbackHasUnitVarianceAndOrthogonalColumnsAreOrthogonal()
    {
        for (final FeedbackOptions.Distribution d : FeedbackOptions.Distribution.values())
        {
            final SoftwareProjector p = new SoftwareProjector(4000, 10, d, 9, Streams.FEEDBACK, false);
            double sum = 0.0;
            double sq = 0.0;
            for (int i = 0; i < 4000; i++)
            {
                for (int k = 0; k < 10; k++)
                {
                    sum += p.entry(i, k);
                    sq += p.entry(i, k) * p.entry(i, k);
                }
            }
            final double mean = sum / 40_000;
            assertEquals(0.0, mean, 0.03, d + " mean");
            assertEquals(1.0, sq / 40_000 - mean * mean, 0.05, d + " variance");
            if (d == FeedbackOptions.Distribution.ORTHOGONAL)
            {
                double dot = 0.0;
                for (int i = 0; i < 4000; i++)
                {
                    dot += p.entry(i, 0) * p.entry(i, 1);
                }
                assertEquals(0.0, dot, 1e-9);
            }
        }
    }

    @Test
    void aStepAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        for (final FeedbackRule rule : FeedbackRule.values())
        {
            final Mlp net = net(64, 16, 16, 10);
            final FeedbackOptions options = options(FeedbackOptions.FeedbackScale.FAN_OUT,
                FeedbackOptions.Slicing.BLOCKS, FeedbackOptions.Transform.TERNARY);
            final MlpTrainer t = new MlpTrainer(net, rule, options, 0.01, 0.9, 32,
                rule.projects() ? new SoftwareProjector(32, 10, options.distribution(), 1, Streams.FEEDBACK,
                    rule == FeedbackRule.DFA_REDRAWN) : null, null, new GaussianStream(1, Streams.FEEDBACK));
            for (int i = 0; i < 300; i++)
            {
                t.step(DATA.x(), DATA.y(), ROWS, (i % 40) * 32, 32, i % 2 == 0);
            }
            final long id = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100; i++)
            {
                t.step(DATA.x(), DATA.y(), ROWS, (i % 40) * 32, 32, i % 2 == 0);
            }
            final long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(allocated < 1024, rule.configName() + ": " + allocated + " bytes over 100 steps");
        }
    }
}
