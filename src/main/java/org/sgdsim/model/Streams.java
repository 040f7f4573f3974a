package org.sgdsim.model;

/**
 * The independent random streams of a run, each derived from the run seed with its own salt
 * (DESIGN.md, determinism). The numbers are part of the determinism contract: never renumber.
 */
public final class Streams
{
    /** Covariates and label noise, reseeded per block of samples. */
    public static final long DATA = 1;
    /** Teacher directions W*. */
    public static final long TEACHER = 2;
    /** Student first-layer initialisation. */
    public static final long STUDENT = 3;
    /** Random second-layer weights a. */
    public static final long SECOND_LAYER = 4;
    /** Fixed draws of the Monte Carlo risk estimator. */
    public static final long RISK = 5;
    /** Per-epoch permutations of a finite dataset. */
    public static final long EPOCHS = 6;
    /** MLP weight initialisation (DFA experiments). */
    public static final long MLP_INIT = 7;
    /** Feedback matrices: the DFA projection, the fa matrices, the redrawn control. */
    public static final long FEEDBACK = 8;
    // The low-rank sampler's streams share salts 7 and 8 with the DFA streams above: an online run and a DFA run
    // never draw in the same experiment, and renumbering either would change results already published.
    /** Low-rank sampler: coordinates z of the samples in span(W*, W) and their label noise, reseeded per block. */
    public static final long FIELDS = 7;
    /** Low-rank sampler: the p × d standard Gaussian matrix Y of the orthogonal part, reseeded per step. */
    public static final long ORTHOGONAL = 8;

    private Streams()
    {
    }
}
