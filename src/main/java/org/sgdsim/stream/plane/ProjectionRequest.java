package org.sgdsim.stream.plane;

/**
 * The one pooled buffer a learner and the optical unit pass back and forth over their two queues: the learner
 * fills {@code signal} (batch × K, the trainer's own buffer, read-only until the reply) and offers it; the optical
 * unit writes {@code projection} (batch × M) and offers it back. Ownership moves with the offer.
 */
final class ProjectionRequest
{
    final int learner;
    final double[] projection;
    /** The ideal projection of the same signal, when the unit knows it (the optical unit), else null. */
    final double[] ideal;
    double[] signal;
    int batch;

    ProjectionRequest(final int learner, final int maxBatch, final int outputs, final boolean ideal)
    {
        this.learner = learner;
        this.projection = new double[maxBatch * outputs];
        this.ideal = ideal ? new double[maxBatch * outputs] : null;
    }
}
