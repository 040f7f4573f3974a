package org.sgdsim.metrics;

import org.sgdsim.model.LabelledData;
import org.sgdsim.model.Mlp;

/**
 * Loss, accuracy and normalised MSE of an MLP on a fixed dataset, in chunks through preallocated buffers (no
 * allocation per call). Accuracy is for classification data, the normalised MSE (MSE over samples and outputs ÷ the
 * mean per-output variance of y, dfa-optics.md §6 E6) for regression.
 */
public final class MlpScores
{
    private static final int CHUNK = 256;

    private final Mlp net;
    private final LabelledData data;
    private final Mlp.Activations act;
    private final int[] rows;
    private final double[] error;
    private final double targetVariance;

    private double loss;
    private double accuracy;
    private double nmse;

    /** Scores of {@code net} on {@code data}. */
    public MlpScores(final Mlp net, final LabelledData data)
    {
        this.net = net;
        this.data = data;
        this.act = net.activations(CHUNK);
        this.rows = new int[data.size()];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = i;
        }
        this.error = new double[CHUNK * data.outputs()];
        this.targetVariance = data.targetVariance();
    }

    /** Evaluates the current network; read the results with the getters. */
    public void evaluate()
    {
        final int k = data.outputs();
        final int last = net.layers() - 1;
        double lossSum = 0.0;
        double squared = 0.0;
        long correct = 0;
        for (int first = 0; first < data.size(); first += CHUNK)
        {
            final int n = Math.min(CHUNK, data.size() - first);
            net.forward(data.x(), rows, first, n, act);
            lossSum += net.outputError(act, data.y(), rows, first, error);
            final double[] a = act.a[last];
            for (int s = 0; s < n; s++)
            {
                if (data.classification())
                {
                    int best = 0;
                    for (int c = 1; c < k; c++)
                    {
                        if (a[s * k + c] > a[s * k + best])
                        {
                            best = c;
                        }
                    }
                    if (best == data.labels()[first + s])
                    {
                        correct++;
                    }
                }
                for (int c = 0; c < k; c++)
                {
                    final double d = a[s * k + c] - data.y()[(first + s) * k + c];
                    squared += d * d;
                }
            }
        }
        loss = lossSum / data.size();
        accuracy = data.classification() ? (double)correct / data.size() : Double.NaN;
        nmse = squared / ((double)data.size() * k) / targetVariance;
    }

    /** Mean loss per sample. */
    public double loss()
    {
        return loss;
    }

    /** Fraction classified correctly (NaN for regression). */
    public double accuracy()
    {
        return accuracy;
    }

    /** MSE over samples and outputs ÷ mean per-output variance of y. */
    public double nmse()
    {
        return nmse;
    }
}
