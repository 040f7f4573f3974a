package org.sgdsim.metrics;

/** The population risk R = ½·E[(f*(ν) − f(λ))²] (label noise excluded) as a function of the overlaps. */
public interface RiskEstimator
{
    /** R at the given order parameters. */
    double risk(OrderParameters op);

    /** How R is computed, stated in the run's summary (e.g. "closed-form-erf"). */
    String method();
}
