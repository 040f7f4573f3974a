/**
 * What the reference loop and the actor pipeline share, in plain Java: run plans, the training state a checkpoint
 * holds, the single-threaded reference trainer (the pipeline's oracle) and the MLP session. Nothing here knows actors.
 */
package org.sgdsim.run;
