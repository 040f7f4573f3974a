/**
 * The data plane of a run, in plain Java: the stage agents (generators, batcher, learner, tracker, DFA learner,
 * optical unit), the pooled buffers they pass over Agrona SPSC queues (blocks, slices, snapshots, projection
 * requests, the low-rank field-map board), the stage threads that run the agents, and {@link
 * org.sgdsim.stream.plane.Pipeline}, which wires one run's pools and queues. Nothing here knows actors: the
 * actors of {@link org.sgdsim.stream} start and stop these agents.
 */
package org.sgdsim.stream.plane;
