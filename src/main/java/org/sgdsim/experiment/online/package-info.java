/**
 * The online-SGD run kind ({@code experiment.kind = online}) under the engine's {@link org.sgdsim.experiment.RunKind}
 * seam: the run's model built from its spec, its training through the pipeline or the reference loop, theory.csv and
 * the per-run plots. Folders, checkpoints, resume, seeds and sweeps are the engine's.
 */
package org.sgdsim.experiment.online;
