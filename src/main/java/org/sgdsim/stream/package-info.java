/**
 * The control plane of a run: Pekko typed actors, one per stage ({@link org.sgdsim.stream.DataGenerator},
 * {@link org.sgdsim.stream.Batcher}, {@link org.sgdsim.stream.Learner} (online SGD's learner or a DFA run's),
 * {@link org.sgdsim.stream.MetricTracker}, {@link org.sgdsim.stream.OpticalUnit}) under a run supervisor, spawned
 * into the process's one actor system ({@link org.sgdsim.stream.Engine}). Each actor owns the agent of its stage in
 * {@link org.sgdsim.stream.plane}: it attaches the agent to a thread, turns the agent's failure into a message, and
 * detaches it on stop. No batch passes through a mailbox.
 */
package org.sgdsim.stream;
