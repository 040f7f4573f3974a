package org.sgdsim.train;

import java.util.Arrays;

import org.sgdsim.math.GaussianSource;
import org.sgdsim.math.Kernels;
import org.sgdsim.model.Mlp;
import org.sgdsim.optics.Projector;

/**
 * One SGD-with-momentum step of an MLP under a {@link FeedbackRule} (dfa-optics.md §1.3): v ← μv + g,
 * W ← W − η v, with g the batch-mean gradient. A step is split into phases so that a projection may run elsewhere
 * (the {@code OpticalUnit} stage) while the learner goes on:
 * <ol>
 * <li>{@link #forward}: forward pass, output error e, the signal t sent to the projection (e, or its ternary, sign
 * or target transform);</li>
 * <li>{@link #updateWithoutProjection}: everything that does not need the projection — the BP reference signals
 * for the alignment diagnostic (from the weights before this step), the output-layer update (δ_L = e), and, for
 * bp, fa and shallow, the whole step;</li>
 * <li>{@link #applyProjection}: the hidden-layer updates of dfa and dfa-redrawn from the projection of t.</li>
 * </ol>
 * Phase 2 and 3 touch disjoint parameters and phase 3 reads only the stored activations and the projection (never
 * W_{l+1}), so the result does not depend on when the projection arrives. Allocates nothing after construction.
 */
public final class MlpTrainer
{
    private final Mlp net;
    private final FeedbackRule rule;
    private final FeedbackOptions options;
    private final double learningRate;
    private final double momentum;
    private final Projector projector;
    private final Mlp.Activations act;
    private final int layers;
    private final int outputs;
    private final int maxBatch;

    private final double[][] velocityW;
    private final double[][] velocityB;
    private final double[][] gradW;
    private final double[] gradB;
    private final double[][] delta;
    private final double[][] feedbackFa;
    private final double[] error;
    private final double[] signal;
    private final double[] projection;
    private final int[] sliceOffset;
    private final double[] sliceScale;

    // Alignment diagnostic: BP deltas/gradients of the hidden layers, and running cosine sums.
    private final double[][] bpDelta;
    private final double[][] bpGradW;
    private final double[] alignmentSum;
    private long alignmentCount;
    private boolean measuring;

    // Projection fidelity against an ideal reference projection, when one is known.
    private final Projector ideal;
    private final double[] idealOut;
    private double fidelitySum;
    private long fidelityCount;

    private int batch;
    private double batchLoss;
    private long steps;

    /**
     * @param net          the network, trained in place.
     * @param rule         the feedback rule.
     * @param options      feedback options (used by dfa, dfa-redrawn and fa).
     * @param learningRate η.
     * @param momentum     μ (0 for plain SGD).
     * @param maxBatch     the largest batch.
     * @param projector    the projection for dfa rules (K inputs, at least {@link #feedbackRows} outputs), else null.
     * @param ideal        the ideal projection the fidelity is measured against, or null when the projector is ideal.
     * @param faStream     the stream the fa matrices are drawn from (null unless rule = fa).
     */
    public MlpTrainer(final Mlp net, final FeedbackRule rule, final FeedbackOptions options, final double learningRate,
        final double momentum, final int maxBatch, final Projector projector, final Projector ideal,
        final GaussianSource faStream)
    {
        this.net = net;
        this.rule = rule;
        this.options = options;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.maxBatch = maxBatch;
        this.layers = net.layers();
        this.outputs = net.width(layers);
        this.act = net.activations(maxBatch);
        this.projector = projector;
        this.ideal = ideal;
        velocityW = new double[layers][];
        velocityB = new double[layers][];
        gradW = new double[layers][];
        delta = new double[layers][];
        int widest = 0;
        for (int l = 0; l < layers; l++)
        {
            velocityW[l] = new double[net.weights(l).length];
            velocityB[l] = new double[net.biases(l).length];
            gradW[l] = new double[net.weights(l).length];
            delta[l] = new double[maxBatch * net.width(l + 1)];
            widest = Math.max(widest, net.width(l + 1));
        }
        gradB = new double[widest];
        error = new double[maxBatch * outputs];
        signal = new double[maxBatch * outputs];
        final int hidden = layers - 1;
        sliceOffset = new int[hidden];
        sliceScale = new double[hidden];
        int offset = 0;
        for (int l = 0; l < hidden; l++)
        {
            final int n = net.width(l + 1);
            sliceOffset[l] = options.slicing() == FeedbackOptions.Slicing.BLOCKS ? offset : 0;
            offset += n;
            sliceScale[l] = switch (options.normalization())
            {
                case FAN_OUT -> 1.0 / Math.sqrt(n);
                case FAN_IN -> 1.0 / Math.sqrt(outputs);
                case NONE -> 1.0;
            };
        }
        if (rule.projects())
        {
            if (projector == null)
            {
                throw new IllegalArgumentException("rule " + rule.configName() + " needs a projector");
            }
            if (projector.inputSize() != outputs || projector.outputSize() < feedbackRows(net.widths(), options.slicing()))
            {
                throw new IllegalArgumentException("projector " + projector.inputSize() + " → " + projector.outputSize()
                    + " cannot feed " + outputs + " errors to " + feedbackRows(net.widths(), options.slicing()) + " rows");
            }
            projection = new double[maxBatch * projector.outputSize()];
            idealOut = ideal == null ? null : new double[maxBatch * ideal.outputSize()];
        }
        else
        {
            projection = null;
            idealOut = null;
        }
        feedbackFa = new double[hidden][];
        if (rule == FeedbackRule.FA)
        {
            for (int l = 0; l < hidden; l++)
            {
                // B_l is n_l × n_{l+1} with entries N(0, 1/n_l): fan-out, as for DFA (§1.3).
                final double[] b = new double[net.width(l + 1) * net.width(l + 2)];
                faStream.fill(b, 0, b.length);
                Kernels.scale(1.0 / Math.sqrt(net.width(l + 1)), b, 0, b.length);
                feedbackFa[l] = b;
            }
        }
        bpDelta = new double[hidden][];
        bpGradW = new double[hidden][];
        for (int l = 0; l < hidden; l++)
        {
            bpDelta[l] = new double[maxBatch * net.width(l + 1)];
            bpGradW[l] = new double[net.weights(l).length];
        }
        alignmentSum = new double[hidden];
    }

    /** Rows a feedback projection needs: Σ hidden widths for blocks, their maximum for prefix. */
    public static int feedbackRows(final int[] widths, final FeedbackOptions.Slicing slicing)
    {
        int sum = 0;
        int max = 0;
        for (int l = 1; l < widths.length - 1; l++)
        {
            sum += widths[l];
            max = Math.max(max, widths[l]);
        }
        return slicing == FeedbackOptions.Slicing.BLOCKS ? sum : max;
    }

    /** The network. */
    public Mlp net()
    {
        return net;
    }

    /** The rule. */
    public FeedbackRule rule()
    {
        return rule;
    }

    /** Steps taken. */
    public long steps()
    {
        return steps;
    }

    /**
     * One whole step on rows {@code rows[first..first+n)} of (x, y), the projection done in line; returns the batch
     * loss (sum over samples, before the step).
     */
    public double step(final double[] x, final double[] y, final int[] rows, final int first, final int n,
        final boolean measure)
    {
        forward(x, y, rows, first, n, measure);
        if (rule.projects())
        {
            projector.project(signal, n, projection);
        }
        updateWithoutProjection();
        if (rule.projects())
        {
            if (ideal != null)
            {
                ideal.project(signal, n, idealOut);
            }
            applyProjection(projection, ideal == null ? null : idealOut);
        }
        return batchLoss;
    }

    /**
     * Phase 1: forward pass and output error of the batch; {@code measure} asks for the alignment diagnostic at
     * this step. Returns the batch loss (sum over samples).
     */
    public double forward(final double[] x, final double[] y, final int[] rows, final int first, final int n,
        final boolean measure)
    {
        if (n > maxBatch)
        {
            throw new IllegalArgumentException("batch " + n + " > " + maxBatch);
        }
        batch = n;
        measuring = measure && rule.aligns();
        net.forward(x, rows, first, n, act);
        batchLoss = net.outputError(act, y, rows, first, error);
        if (rule.projects())
        {
            transform(y, rows, first);
        }
        return batchLoss;
    }

    /** The signal to project after {@link #forward}: batch × K, row-major (live buffer). */
    public double[] signal()
    {
        return signal;
    }

    /** Samples in the current step. */
    public int batch()
    {
        return batch;
    }

    /** The output errors e of the current step, batch × K (live buffer). */
    public double[] error()
    {
        return error;
    }

    private void transform(final double[] y, final int[] rows, final int first)
    {
        final int count = batch * outputs;
        switch (options.transform())
        {
            case NONE -> System.arraycopy(error, 0, signal, 0, count);
            case TERNARY ->
            {
                final double tau = options.threshold();
                for (int i = 0; i < count; i++)
                {
                    final double e = error[i];
                    signal[i] = e > tau ? 1.0 : e < -tau ? -1.0 : 0.0;
                }
            }
            case SIGN ->
            {
                for (int i = 0; i < count; i++)
                {
                    signal[i] = Math.signum(error[i]);
                }
            }
            case TARGET ->
            {
                for (int s = 0; s < batch; s++)
                {
                    for (int c = 0; c < outputs; c++)
                    {
                        signal[s * outputs + c] = -y[rows[first + s] * outputs + c];
                    }
                }
            }
        }
        final double factor = switch (options.rescale())
        {
            case NONE -> 1.0;
            case CONSTANT -> options.rescaleConstant();
            case AUTO ->
            {
                double en = 0.0;
                double tn = 0.0;
                for (int s = 0; s < batch; s++)
                {
                    en += Math.sqrt(Kernels.squaredNorm(error, s * outputs, outputs));
                    tn += Math.sqrt(Kernels.squaredNorm(signal, s * outputs, outputs));
                }
                yield tn > 0.0 ? en / tn : 1.0;
            }
        };
        if (factor != 1.0)
        {
            Kernels.scale(factor, signal, 0, count);
        }
    }

    /**
     * Phase 2: the output layer, the alignment reference and — for bp, fa and shallow — the hidden layers.
     * Independent of the projection.
     */
    public void updateWithoutProjection()
    {
        final int top = layers - 1;
        if (measuring)
        {
            backpropagate(error, bpDelta, null);
            for (int l = 0; l < top; l++)
            {
                weightGradient(l, bpDelta[l], bpGradW[l], null);
            }
        }
        // The hidden signals of bp and fa need the top weights before their update.
        if (rule == FeedbackRule.BP)
        {
            backpropagate(error, delta, null);
        }
        else if (rule == FeedbackRule.FA)
        {
            backpropagate(error, delta, feedbackFa);
        }
        System.arraycopy(error, 0, delta[top], 0, batch * outputs);
        update(top, delta[top]);
        if (rule == FeedbackRule.BP || rule == FeedbackRule.FA)
        {
            for (int l = 0; l < top; l++)
            {
                update(l, delta[l]);
            }
        }
        if (!rule.projects())
        {
            steps++;
        }
    }

    /**
     * Phase 3 (dfa rules): the hidden updates from {@code proj} = projection of {@link #signal()}, batch × M;
     * {@code idealProj}, when not null, is the ideal projection of the same signal (for the fidelity average).
     */
    public void applyProjection(final double[] proj, final double[] idealProj)
    {
        final int m = projector.outputSize();
        if (idealProj != null)
        {
            for (int s = 0; s < batch; s++)
            {
                final double nn = Kernels.squaredNorm(idealProj, s * m, m);
                final double pp = Kernels.squaredNorm(proj, s * m, m);
                if (nn > 0.0 && pp > 0.0)
                {
                    fidelitySum += Kernels.dot(idealProj, s * m, proj, s * m, m) / Math.sqrt(nn * pp);
                    fidelityCount++;
                }
            }
        }
        for (int l = 0; l < layers - 1; l++)
        {
            final int n = net.width(l + 1);
            final double[] d = delta[l];
            final double[] fp = act.fprime[l];
            final double scale = sliceScale[l];
            final int off = sliceOffset[l];
            for (int s = 0; s < batch; s++)
            {
                final int p = s * m + off;
                final int q = s * n;
                for (int i = 0; i < n; i++)
                {
                    d[q + i] = scale * proj[p + i] * fp[q + i];
                }
            }
            update(l, d);
        }
        steps++;
    }

    /** δ of every hidden layer from e: through W_{l+1}ᵀ (bp), or through the fa matrices when given. */
    private void backpropagate(final double[] e, final double[][] out, final double[][] fa)
    {
        for (int l = layers - 2; l >= 0; l--)
        {
            final int n = net.width(l + 1);
            final int above = net.width(l + 2);
            final double[] upper = l == layers - 2 ? e : out[l + 1];
            final double[] d = out[l];
            final double[] fp = act.fprime[l];
            if (fa == null)
            {
                final double[] w = net.weights(l + 1);
                Arrays.fill(d, 0, batch * n, 0.0);
                for (int s = 0; s < batch; s++)
                {
                    for (int j = 0; j < above; j++)
                    {
                        Kernels.axpy(upper[s * above + j], w, j * n, d, s * n, n);
                    }
                }
            }
            else
            {
                final double[] b = fa[l];
                for (int s = 0; s < batch; s++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        d[s * n + i] = Kernels.dot(b, i * above, upper, s * above, above);
                    }
                }
            }
            for (int i = 0; i < batch * n; i++)
            {
                d[i] *= fp[i];
            }
        }
    }

    /** g_W = mean over the batch of δ h_{l−1}ᵀ into {@code gw}; bias gradient into {@code gb} when not null. */
    private void weightGradient(final int l, final double[] d, final double[] gw, final double[] gb)
    {
        final int in = net.width(l);
        final int n = net.width(l + 1);
        final double[] h = act.h[l];
        final double inv = 1.0 / batch;
        Arrays.fill(gw, 0.0);
        if (gb != null)
        {
            Arrays.fill(gb, 0, n, 0.0);
        }
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < n; j++)
            {
                final double dj = d[s * n + j] * inv;
                if (dj != 0.0)
                {
                    Kernels.axpy(dj, h, s * in, gw, j * in, in);
                }
                if (gb != null)
                {
                    gb[j] += dj;
                }
            }
        }
    }

    /** Gradient of layer l from δ, then v ← μv + g, W ← W − ηv (weights and biases). */
    private void update(final int l, final double[] d)
    {
        final double[] gw = gradW[l];
        weightGradient(l, d, gw, gradB);
        if (measuring && l < layers - 1)
        {
            alignmentSum[l] += cosine(gw, bpGradW[l]);
            if (l == 0)
            {
                alignmentCount++;
            }
        }
        final double[] w = net.weights(l);
        final double[] vw = velocityW[l];
        for (int i = 0; i < w.length; i++)
        {
            vw[i] = momentum * vw[i] + gw[i];
            w[i] -= learningRate * vw[i];
        }
        final double[] b = net.biases(l);
        final double[] vb = velocityB[l];
        for (int i = 0; i < b.length; i++)
        {
            vb[i] = momentum * vb[i] + gradB[i];
            b[i] -= learningRate * vb[i];
        }
    }

    private static double cosine(final double[] a, final double[] b)
    {
        final double aa = Kernels.squaredNorm(a, 0, a.length);
        final double bb = Kernels.squaredNorm(b, 0, b.length);
        return aa > 0.0 && bb > 0.0 ? Kernels.dot(a, 0, b, 0, a.length) / Math.sqrt(aa * bb) : 0.0;
    }

    /**
     * Mean cosine, per hidden layer, between this rule's weight gradient and BP's on the same batch over the
     * measured steps since the last reset (NaN for rules that do not align, or before any measured step).
     */
    public double[] alignment()
    {
        final double[] out = new double[layers - 1];
        for (int l = 0; l < out.length; l++)
        {
            out[l] = alignmentCount == 0 ? Double.NaN : alignmentSum[l] / alignmentCount;
        }
        return out;
    }

    /** Mean cosine between the projections received and the ideal ones since the last reset (NaN if not measured). */
    public double fidelity()
    {
        return fidelityCount == 0 ? Double.NaN : fidelitySum / fidelityCount;
    }

    /** Starts new alignment and fidelity averages. */
    public void resetDiagnostics()
    {
        Arrays.fill(alignmentSum, 0.0);
        alignmentCount = 0;
        fidelitySum = 0.0;
        fidelityCount = 0;
    }

    /** Length of {@link #saveState}: parameters and momentum buffers. */
    public int stateLength()
    {
        return 2 * net.parameterCount();
    }

    /** Writes parameters then velocities into {@code dst} from {@code off}; returns the next offset. */
    public int saveState(final double[] dst, final int off)
    {
        int o = net.copyParameters(dst, off);
        for (int l = 0; l < layers; l++)
        {
            System.arraycopy(velocityW[l], 0, dst, o, velocityW[l].length);
            o += velocityW[l].length;
            System.arraycopy(velocityB[l], 0, dst, o, velocityB[l].length);
            o += velocityB[l].length;
        }
        return o;
    }

    /** The inverse of {@link #saveState}; {@code steps} restores the step counter. */
    public int loadState(final double[] src, final int off, final long stepsDone)
    {
        int o = net.loadParameters(src, off);
        for (int l = 0; l < layers; l++)
        {
            System.arraycopy(src, o, velocityW[l], 0, velocityW[l].length);
            o += velocityW[l].length;
            System.arraycopy(src, o, velocityB[l], 0, velocityB[l].length);
            o += velocityB[l].length;
        }
        steps = stepsDone;
        return o;
    }
}
