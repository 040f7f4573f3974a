package org.sgdsim.optics;

/**
 * A fixed random linear map y = A e applied to a batch of error vectors: the feedback projection of DFA.
 *
 * <p>Implemented in software (a seeded Gaussian matrix) and by the simulated optical processing unit; the
 * DFA learner and the {@code OpticalUnit} stage only see this contract. Single-threaded: one owner calls
 * {@link #project} at a time.
 */
public interface Projector {

    /** Length K of each input (error) vector. */
    int inputSize();

    /** Number M of projected outputs per input vector. */
    int outputSize();

    /**
     * Projects {@code batch} vectors: {@code out[b*M + i] = (A e_b)_i} for row-major
     * {@code errors[b*K + k]}. Must not allocate on the steady-state path.
     */
    void project(double[] errors, int batch, double[] out);
}
