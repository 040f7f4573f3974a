package org.sgdsim.model;

import org.sgdsim.math.GaussianSource;
import org.sgdsim.math.Kernels;

/**
 * A multi-layer perceptron of widths n_0 … n_L (dfa-optics.md §1.1): a_l = W_l h_{l−1} + b_l, h_l = f(a_l) for
 * l &lt; L, output map and loss from {@link MlpOutput}. Layer l (1-based in the science) is index l − 1 here;
 * W_l is row-major n_l × n_{l−1}. Plain, single-threaded; the forward pass allocates nothing.
 */
public final class Mlp
{
    private final int[] widths;
    private final Activation activation;
    private final MlpOutput output;
    private final double[][] weights;
    private final double[][] biases;

    /** A network with zero weights and biases. */
    public Mlp(final int[] widths, final Activation activation, final MlpOutput output)
    {
        if (widths.length < 2)
        {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
        this.widths = widths.clone();
        this.activation = activation;
        this.output = output;
        final int layers = widths.length - 1;
        this.weights = new double[layers][];
        this.biases = new double[layers][];
        for (int l = 0; l < layers; l++)
        {
            weights[l] = new double[widths[l + 1] * widths[l]];
            biases[l] = new double[widths[l + 1]];
        }
    }

    /** W ~ U(−1/√fan_in, 1/√fan_in), b = 0 (protocol P0), drawn layer by layer, row-major, from {@code g}. */
    public void initUniform(final GaussianSource g)
    {
        for (int l = 0; l < layers(); l++)
        {
            final double bound = 1.0 / Math.sqrt(widths[l]);
            final double[] w = weights[l];
            for (int i = 0; i < w.length; i++)
            {
                w[i] = (2.0 * g.nextDouble() - 1.0) * bound;
            }
            java.util.Arrays.fill(biases[l], 0.0);
        }
    }

    /** Number of weight layers L. */
    public int layers()
    {
        return widths.length - 1;
    }

    /** Width n_l, l = 0 … L. */
    public int width(final int l)
    {
        return widths[l];
    }

    /** All widths. */
    public int[] widths()
    {
        return widths.clone();
    }

    /** The hidden activation f. */
    public Activation activation()
    {
        return activation;
    }

    /** The output map and loss. */
    public MlpOutput output()
    {
        return output;
    }

    /** W of layer index l (live array). */
    public double[] weights(final int l)
    {
        return weights[l];
    }

    /** b of layer index l (live array). */
    public double[] biases(final int l)
    {
        return biases[l];
    }

    /** Total number of parameters. */
    public int parameterCount()
    {
        int n = 0;
        for (int l = 0; l < layers(); l++)
        {
            n += weights[l].length + biases[l].length;
        }
        return n;
    }

    /**
     * Forward pass of {@code n} samples whose inputs are rows {@code rows[first..first+n)} of {@code x} (row-major,
     * n_0 wide), in that order, into {@code act}: h_0, the pre-activations a_l, h_l and f'(a_l) of the hidden layers.
     */
    public void forward(final double[] x, final int[] rows, final int first, final int n, final Activations act)
    {
        final int n0 = widths[0];
        for (int s = 0; s < n; s++)
        {
            System.arraycopy(x, rows[first + s] * n0, act.h[0], s * n0, n0);
        }
        forward(n, act);
    }

    /** Forward pass of the {@code n} inputs already in {@code act.h[0]}. */
    public void forward(final int n, final Activations act)
    {
        act.batch = n;
        for (int l = 0; l < layers(); l++)
        {
            final int in = widths[l];
            final int outW = widths[l + 1];
            final double[] w = weights[l];
            final double[] b = biases[l];
            final double[] h = act.h[l];
            final double[] a = act.a[l];
            for (int s = 0; s < n; s++)
            {
                for (int j = 0; j < outW; j++)
                {
                    a[s * outW + j] = Kernels.dot(w, j * in, h, s * in, in) + b[j];
                }
            }
            if (l < layers() - 1)
            {
                activation.evaluate(a, act.h[l + 1], act.fprime[l], n * outW);
            }
        }
    }

    /**
     * Output errors e (n × K) of the last forward pass against targets rows {@code rows[first..]} of {@code y};
     * returns the summed loss.
     */
    public double outputError(final Activations act, final double[] y, final int[] rows, final int first,
        final double[] e)
    {
        final int k = widths[widths.length - 1];
        final double[] a = act.a[layers() - 1];
        double loss = 0.0;
        for (int s = 0; s < act.batch; s++)
        {
            loss += output.error(a, s * k, y, rows[first + s] * k, k, e, s * k);
        }
        return loss;
    }

    /** Copies every parameter into {@code dst} from {@code off}: per layer W then b; returns the next offset. */
    public int copyParameters(final double[] dst, final int off)
    {
        int o = off;
        for (int l = 0; l < layers(); l++)
        {
            System.arraycopy(weights[l], 0, dst, o, weights[l].length);
            o += weights[l].length;
            System.arraycopy(biases[l], 0, dst, o, biases[l].length);
            o += biases[l].length;
        }
        return o;
    }

    /** The inverse of {@link #copyParameters}. */
    public int loadParameters(final double[] src, final int off)
    {
        int o = off;
        for (int l = 0; l < layers(); l++)
        {
            System.arraycopy(src, o, weights[l], 0, weights[l].length);
            o += weights[l].length;
            System.arraycopy(src, o, biases[l], 0, biases[l].length);
            o += biases[l].length;
        }
        return o;
    }

    /** The per-layer buffers of a forward pass over at most {@code maxBatch} samples. */
    public Activations activations(final int maxBatch)
    {
        return new Activations(widths, maxBatch);
    }

    /** What a forward pass stores for the update: h_{l−1}, a_l, f'(a_l) per layer, for one batch. */
    public static final class Activations
    {
        /** h[l] = h_l (l = 0 … L−1), batch × n_l row-major; h[0] holds the inputs. */
        public final double[][] h;
        /** a[l] = a_{l+1}, batch × n_{l+1}. */
        public final double[][] a;
        /** fprime[l] = f'(a_{l+1}) for the hidden layers l = 0 … L−2. */
        public final double[][] fprime;
        private int batch;

        Activations(final int[] widths, final int maxBatch)
        {
            final int layers = widths.length - 1;
            h = new double[layers][];
            a = new double[layers][];
            fprime = new double[Math.max(0, layers - 1)][];
            for (int l = 0; l < layers; l++)
            {
                h[l] = new double[maxBatch * widths[l]];
                a[l] = new double[maxBatch * widths[l + 1]];
                if (l < layers - 1)
                {
                    fprime[l] = new double[maxBatch * widths[l + 1]];
                }
            }
        }

        /** Samples in the last forward pass. */
        public int batch()
        {
            return batch;
        }
    }
}
