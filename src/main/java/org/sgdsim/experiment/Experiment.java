package org.sgdsim.experiment;

/** A parsed experiment of either kind: online SGD ({@link ExperimentSpec}) or MLP training with DFA ({@link DfaSpec}). */
public sealed interface Experiment permits ExperimentSpec, DfaSpec
{
    /** The experiment name (it names the run folder). */
    String name();
}
