package org.sgdsim.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import org.sgdsim.metrics.LiveRows;

/**
 * The Prometheus exposition of every active run, built at scrape time from the runs' newest rows (nothing is
 * updated between scrapes). Labels are {@code run} and, where a figure belongs to one stage, {@code stage}.
 * Every metrics.csv column other than step, samples and wall_s becomes a gauge {@code sgdsim_<column>}
 * (max_cos_r, risk, and whatever a rule adds such as test accuracy); M and Q entries are
 * {@code sgdsim_student_teacher_overlap_j_r} and {@code sgdsim_student_overlap_j_l}.
 *
 * <p>Every run the server knows is exported, also the folders nobody opened (from their files' newest rows), up to
 * {@link #MAX_RUNS} runs, those under way first, then by id; {@code sgdsim_runs{state}} counts them all and
 * {@code sgdsim_runs_exported} says how many have series, so the cardinality stays bounded.
 */
final class PrometheusExport implements MultiCollector
{
    /** Counter: SGD steps taken. */
    static final String STEPS = "sgdsim_steps";
    /** Counter: samples consumed. */
    static final String SAMPLES = "sgdsim_samples";
    /** Gauge: samples per second over the last second. */
    static final String SAMPLE_RATE = "sgdsim_throughput_samples_per_second";
    /** Gauge: steps per second over the last second. */
    static final String STEP_RATE = "sgdsim_throughput_steps_per_second";
    /** Gauge: items waiting in the queue a stage reads (stage = batcher: blocks; learner: slices). */
    static final String QUEUE_DEPTH = "sgdsim_queue_depth";
    /** Gauge: fraction of the last second a stage sat idle (stage = generator, learner). */
    static final String IDLE = "sgdsim_idle_ratio";
    /** Gauge: heap in use when the last pipeline row was taken. */
    static final String HEAP = "sgdsim_heap_used_bytes";
    /** Histogram: time of one iteration of a stage (learner step, block generated, queue wait). */
    static final String ITERATION = "sgdsim_iteration_duration_seconds";
    /** Gauge: 1 while a run is under way, 0 once it has ended. */
    static final String RUNNING = "sgdsim_run_running";
    /** Gauge: SSE streams open now. */
    static final String SSE_CLIENTS = "sgdsim_sse_clients";
    /** Counter: SSE clients dropped for stalling (a write longer than live.client-timeout). */
    static final String SSE_DROPPED = "sgdsim_sse_dropped_clients";
    /** Gauge: runs the server knows, by state (live, running, finished), exported or not. */
    static final String RUNS = "sgdsim_runs";
    /** Gauge: runs that have series in this exposition (at most {@link #MAX_RUNS}). */
    static final String RUNS_EXPORTED = "sgdsim_runs_exported";
    /** The most runs with series of their own; the rest only count in {@code sgdsim_runs}. */
    static final int MAX_RUNS = 256;

    /** The metric names this export writes whatever the runs' columns (counters with their _total). */
    static final Set<String> FIXED_NAMES = Set.of(STEPS + "_total", SAMPLES + "_total", SAMPLE_RATE, STEP_RATE,
        QUEUE_DEPTH, IDLE, HEAP, ITERATION, RUNNING, SSE_CLIENTS, SSE_DROPPED + "_total", RUNS, RUNS_EXPORTED);
    /** metrics.csv columns that are counters or time, not gauges. */
    private static final Set<String> NOT_GAUGES = Set.of("step", "samples", "wall_s");

    private final RunCatalog catalog;
    private final int maxRuns;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Gauge sseClients;
    private final Counter sseDropped;

    PrometheusExport(final RunCatalog catalog)
    {
        this(catalog, MAX_RUNS);
    }

    /** @param maxRuns the most runs with series of their own. */
    PrometheusExport(final RunCatalog catalog, final int maxRuns)
    {
        this.catalog = catalog;
        this.maxRuns = maxRuns;
        registry.register(this);
        sseClients = Gauge.builder().name(SSE_CLIENTS).help("Server-Sent Event streams open now").register(registry);
        sseDropped = Counter.builder().name(SSE_DROPPED)
            .help("SSE clients dropped because a write took longer than live.client-timeout")
            .register(registry);
    }

    /** An SSE stream opened (+1) or closed (−1). */
    void clients(final int delta)
    {
        sseClients.inc(delta);
    }

    /** An SSE client was dropped for stalling. */
    void dropped()
    {
        sseDropped.inc();
    }

    /** The content type of {@link #write}. */
    String contentType()
    {
        return writer.getContentType();
    }

    /** Writes the exposition. */
    void write(final OutputStream out) throws IOException
    {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    /** Prometheus name of a metrics.csv column's gauge, or null for columns that are not gauges. */
    static String gaugeName(final String column)
    {
        if (NOT_GAUGES.contains(column))
        {
            return null;
        }
        // M and Q by their names in the science (a bare "m" reads as metres to promtool's lint)
        final String c = column.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
            .replaceFirst("^m_(\\d+_\\d+)$", "student_teacher_overlap_$1")
            .replaceFirst("^q_(\\d+_\\d+)$", "student_overlap_$1");
        final String name = "sgdsim_" + c;
        return FIXED_NAMES.contains(name) || name.startsWith(STEPS) || name.startsWith(SAMPLES) ? null : name;
    }

    @Override
    public MetricSnapshots collect()
    {
        final CounterSnapshot.Builder steps = CounterSnapshot.builder().name(STEPS).help("SGD steps taken");
        final CounterSnapshot.Builder samples = CounterSnapshot.builder().name(SAMPLES).help("Samples consumed");
        final GaugeSnapshot.Builder sampleRate = GaugeSnapshot.builder().name(SAMPLE_RATE)
            .help("Samples per second over the last second");
        final GaugeSnapshot.Builder stepRate = GaugeSnapshot.builder().name(STEP_RATE)
            .help("Steps per second over the last second");
        final GaugeSnapshot.Builder depth = GaugeSnapshot.builder().name(QUEUE_DEPTH)
            .help("Items waiting in the queue a stage reads (batcher: blocks, learner: slices)");
        final GaugeSnapshot.Builder idle = GaugeSnapshot.builder().name(IDLE).unit(Unit.RATIO)
            .help("Fraction of the last second a stage sat idle");
        final GaugeSnapshot.Builder heap = GaugeSnapshot.builder().name(HEAP).unit(Unit.BYTES)
            .help("Heap in use at the last pipeline row");
        final GaugeSnapshot.Builder running = GaugeSnapshot.builder().name(RUNNING)
            .help("1 while the run is under way, 0 once it has ended");
        final HistogramSnapshot.Builder iteration = HistogramSnapshot.builder().name(ITERATION).unit(Unit.SECONDS)
            .help("Time of one iteration of a stage: learner step, block generation, queue waits");
        final Map<String, GaugeSnapshot.Builder> columns = new LinkedHashMap<>();
        boolean anyPipeline = false;
        boolean anyLatency = false;
        final List<RunCatalog.Entry> all = catalog.all();
        final Map<String, Integer> byState = new java.util.TreeMap<>();
        final List<RunCatalog.Entry> exported = new ArrayList<>();
        for (final RunCatalog.Entry run : all)
        {
            final String state = run.state();
            byState.merge(state, 1, Integer::sum);
            if (!state.equals("finished"))
            {
                exported.add(run);
            }
        }
        for (final RunCatalog.Entry run : all)
        {
            if (exported.size() >= maxRuns)
            {
                break;
            }
            if (run.state().equals("finished"))
            {
                exported.add(run);
            }
        }
        for (final RunCatalog.Entry run : exported.subList(0, Math.min(maxRuns, exported.size())))
        {
            final Labels labels = Labels.of("run", run.id);
            final Map<String, String> metric;
            final Map<String, String> pipe;
            final boolean finished;
            final LiveRows rows = run.active() ? run.rows() : null;
            if (rows != null)
            {
                metric = cells(rows.header(LiveRows.Table.METRICS), rows.latest(LiveRows.Table.METRICS));
                pipe = cells(rows.header(LiveRows.Table.PIPELINE), rows.latest(LiveRows.Table.PIPELINE));
                finished = rows.finished();
            }
            else
            {
                // a folder nobody opened: its files' newest rows, without following it
                metric = cells(run.newest("metrics.csv"));
                pipe = cells(run.newest("pipeline.csv"));
                finished = !run.state().equals("running");
            }
            running.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                .value(finished ? 0 : 1).build());
            // a DFA run has steps and samples in metrics.csv and no pipeline.csv
            final double stepCount = max(number(metric, "step"), number(pipe, "steps"));
            final double sampleCount = max(number(metric, "samples"), number(pipe, "samples"));
            if (!Double.isNaN(stepCount))
            {
                steps.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(stepCount)
                    .build());
                samples.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                    .value(sampleCount).build());
            }
            for (final Map.Entry<String, String> cell : metric.entrySet())
            {
                final String name = gaugeName(cell.getKey());
                final double v = parse(cell.getValue());
                if (name != null && !Double.isNaN(v))
                {
                    columns.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n)
                        .help("metrics.csv column " + cell.getKey() + " at the newest row"))
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(v).build());
                }
            }
            if (!pipe.isEmpty())
            {
                anyPipeline = true;
                gauge(sampleRate, labels, number(pipe, "samples_per_s"));
                gauge(stepRate, labels, number(pipe, "steps_per_s"));
                gauge(depth, labels.add("stage", "batcher"), number(pipe, "block_queue_depth"));
                gauge(depth, labels.add("stage", "learner"), number(pipe, "slice_queue_depth"));
                gauge(idle, labels.add("stage", "generator"), number(pipe, "generator_idle_fraction"));
                gauge(idle, labels.add("stage", "learner"), number(pipe, "learner_idle_fraction"));
                gauge(heap, labels, number(pipe, "heap_used_bytes"));
            }
            for (final Map.Entry<String, LiveRows.StageLatency> stage
                : rows == null ? Map.<String, LiveRows.StageLatency>of().entrySet() : rows.latencyTotals().entrySet())
            {
                anyLatency = true;
                iteration.dataPoint(histogram(labels.add("stage", stage.getKey()), stage.getValue()));
            }
        }
        final GaugeSnapshot.Builder runs = GaugeSnapshot.builder().name(RUNS)
            .help("Runs the server knows, by state, with series or not");
        for (final String state : List.of("live", "running", "finished"))
        {
            runs.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("state", state))
                .value(byState.getOrDefault(state, 0)).build());
        }
        final List<MetricSnapshot> out = new ArrayList<>();
        out.add(runs.build());
        out.add(GaugeSnapshot.builder().name(RUNS_EXPORTED)
            .help("Runs with series in this exposition (at most " + maxRuns + ")")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(Math.min(maxRuns, exported.size())).build())
            .build());
        out.add(steps.build());
        out.add(samples.build());
        out.add(running.build());
        if (anyPipeline)
        {
            out.add(sampleRate.build());
            out.add(stepRate.build());
            out.add(depth.build());
            out.add(idle.build());
            out.add(heap.build());
        }
        if (anyLatency)
        {
            out.add(iteration.build());
        }
        for (final GaugeSnapshot.Builder b : columns.values())
        {
            out.add(b.build());
        }
        return new MetricSnapshots(out);
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogram(final Labels labels,
        final LiveRows.StageLatency latency)
    {
        final double[] bounds = new double[LiveRows.BUCKETS_SECONDS.length + 1];
        System.arraycopy(LiveRows.BUCKETS_SECONDS, 0, bounds, 0, LiveRows.BUCKETS_SECONDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        final long[] cumulative = latency.cumulativeCounts();
        final long[] counts = new long[bounds.length];
        long previous = 0;
        for (int i = 0; i < counts.length; i++)
        {
            // HdrHistogram's buckets are approximate near a bound: keep the cumulative counts monotone
            final long c = Math.max(previous, cumulative[i]);
            counts[i] = c - previous;
            previous = c;
        }
        return HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(latency.sumSeconds()).build();
    }

    private static void gauge(final GaugeSnapshot.Builder b, final Labels labels, final double v)
    {
        if (!Double.isNaN(v))
        {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(v).build());
        }
    }

    /** A row's cells by column name; empty when there is no header or no row yet. */
    private static Map<String, String> cells(final String header, final LiveRows.Row row)
    {
        return cells(header, row == null ? null : row.text());
    }

    private static Map<String, String> cells(final String header, final String row)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        if (header == null || row == null)
        {
            return out;
        }
        final String[] names = header.split(",", -1);
        final String[] values = row.split(",", -1);
        for (int i = 0; i < names.length && i < values.length; i++)
        {
            out.put(names[i], values[i]);
        }
        return out;
    }

    /** {@code cells(header, row)} of a {@link RunCatalog.Entry#newest} answer. */
    private static Map<String, String> cells(final String[] headerAndRow)
    {
        return headerAndRow == null ? new LinkedHashMap<>() : cells(headerAndRow[0], headerAndRow[1]);
    }

    /** The larger of two counts, either of which may be missing (NaN). */
    private static double max(final double a, final double b)
    {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static double number(final Map<String, String> cells, final String column)
    {
        final String v = cells.get(column);
        return v == null ? Double.NaN : parse(v);
    }

    private static double parse(final String v)
    {
        try
        {
            final double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : Double.NaN;
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }
}
