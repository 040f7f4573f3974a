package org.sgdsim.model;

/**
 * A fixed set of n samples for supervised training: inputs {@code x[i*inputs + j]}, targets
 * {@code y[i*outputs + k]} (one-hot for classification) and, for classification, the class labels.
 */
public record LabelledData(int size, int inputs, int outputs, double[] x, double[] y, int[] labels)
{
    /** Checks the array lengths. */
    public LabelledData
    {
        if (x.length != size * inputs || y.length != size * outputs || (labels != null && labels.length != size))
        {
            throw new IllegalArgumentException("inconsistent sizes for " + size + " samples of " + inputs
                + " inputs and " + outputs + " outputs");
        }
    }

    /** True when the targets are one-hot classes (accuracy is defined). */
    public boolean classification()
    {
        return labels != null;
    }

    /** Mean over outputs of the per-output variance of y (population, ddof 0): the E6 normaliser of the MSE. */
    public double targetVariance()
    {
        double total = 0.0;
        for (int k = 0; k < outputs; k++)
        {
            double mean = 0.0;
            for (int i = 0; i < size; i++)
            {
                mean += y[i * outputs + k];
            }
            mean /= size;
            double var = 0.0;
            for (int i = 0; i < size; i++)
            {
                final double d = y[i * outputs + k] - mean;
                var += d * d;
            }
            total += var / size;
        }
        return total / outputs;
    }

    /** A training set and a test set. */
    public record Split(LabelledData train, LabelledData test)
    {
    }
}
