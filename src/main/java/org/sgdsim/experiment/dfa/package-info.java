/**
 * The DFA run kind ({@code experiment.kind = dfa}) under the engine's {@link org.sgdsim.experiment.RunKind} seam: its
 * spec, the MLP session it trains (through its stages or the reference loop) and its reports. Folders, checkpoints,
 * resume and seeds are the engine's.
 */
package org.sgdsim.experiment.dfa;
