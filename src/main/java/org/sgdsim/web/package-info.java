/**
 * The embedded HTTP server of {@code run --live}, {@code sweep --live} and {@code serve}: the dashboard, Server-Sent
 * Events, JSON for scripts and the Prometheus exposition, all read from the runs' {@link org.sgdsim.metrics.LiveRows}
 * feeds on the server's own threads.
 */
package org.sgdsim.web;
