package org.sgdsim.optics;

/** Projection fidelity (dfa-optics.md §2.5): the mean cosine between measured and ideal projections. */
public final class ProjectionFidelity
{
    private ProjectionFidelity()
    {
    }

    /**
     * Mean over the batch of cos(measured_b, ideal_b) for row-major {@code batch × outputs} arrays. Vectors whose
     * ideal projection is zero (an all-zero error) have no direction and are left out; NaN if none is left.
     */
    public static double meanCosine(final double[] measured, final double[] ideal, final int batch, final int outputs)
    {
        double sum = 0.0;
        int counted = 0;
        for (int b = 0; b < batch; b++)
        {
            final int o = b * outputs;
            double dot = 0.0;
            double mm = 0.0;
            double ii = 0.0;
            for (int i = 0; i < outputs; i++)
            {
                dot += measured[o + i] * ideal[o + i];
                mm += measured[o + i] * measured[o + i];
                ii += ideal[o + i] * ideal[o + i];
            }
            if (ii > 0.0)
            {
                sum += mm > 0.0 ? dot / Math.sqrt(mm * ii) : 0.0;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }
}
