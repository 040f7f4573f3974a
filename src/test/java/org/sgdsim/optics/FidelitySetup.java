package org.sgdsim.optics;

import org.sgdsim.math.GaussianStream;

/** The §2.5 measurement setup: sparse ternary errors through a unit, mean cosine to the ideal projection. */
final class FidelitySetup
{
    /** K of §2.5. */
    static final int K = 10;
    /** M of §2.5. */
    static final int M = 256;
    /** Error vectors of §2.5. */
    static final int VECTORS = 2000;

    private FidelitySetup()
    {
    }

    /** Errors with entries nonzero with probability 0.3, then ±1 with equal probability (nnz ≈ 3 of K = 10). */
    static double[] sparseTernary(final int vectors, final int k, final long seed)
    {
        final GaussianStream random = new GaussianStream(seed, 77);
        final double[] e = new double[vectors * k];
        for (int j = 0; j < e.length; j++)
        {
            if (random.nextDouble() < 0.3)
            {
                e[j] = random.nextDouble() < 0.5 ? -1.0 : 1.0;
            }
        }
        return e;
    }

    /**
     * Mean cosine between the unit's projection and its ideal one over the §2.5 error set. Vector by vector, so that
     * under drift each is compared with the matrix the device had when it was exposed.
     */
    static double fidelity(final OpuParameters parameters, final long seed)
    {
        final OpticalProcessingUnit unit = new OpticalProcessingUnit(parameters, K, M, seed);
        final double[] e = sparseTernary(VECTORS, K, seed);
        final double[] one = new double[K];
        final double[] measured = new double[VECTORS * M];
        final double[] ideal = new double[VECTORS * M];
        final double[] out = new double[M];
        for (int b = 0; b < VECTORS; b++)
        {
            System.arraycopy(e, b * K, one, 0, K);
            unit.project(one, 1, out);
            System.arraycopy(out, 0, measured, b * M, M);
            unit.idealProject(one, 1, out);
            System.arraycopy(out, 0, ideal, b * M, M);
        }
        return ProjectionFidelity.meanCosine(measured, ideal, VECTORS, M);
    }
}
