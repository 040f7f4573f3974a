/**
 * Reading an experiment's configuration: {@link org.sgdsim.experiment.config.ExperimentConfig} layers the defaults,
 * {@code application.conf}, the file and {@code --set} overrides, rejects unknown keys and hands the result to the
 * reader of its {@code experiment.kind}; that reader reads one section at a time (a small class per section) and
 * checks the combinations no single section can. Every problem is one line naming the key.
 */
package org.sgdsim.experiment.config;
