package org.sgdsim.stream.plane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.sgdsim.metrics.LatencyLog;
import org.sgdsim.metrics.LiveRows;
import org.sgdsim.metrics.Progress;
import org.sgdsim.metrics.MetricsRow;
import org.sgdsim.metrics.OrderParameters;
import org.sgdsim.metrics.RiskEstimator;
import org.sgdsim.run.RunPlan;
import org.sgdsim.run.TrainingState;

/**
 * Turns the learner's snapshots into metrics rows (computing the risk off the learner's thread), prints progress,
 * and once a second collects the stages' latency histograms into the interval log and the pipeline's own
 * metrics (throughput, queue depths, idle fractions).
 */
public final class TrackerAgent implements Agent
{
    private static final long INTERVAL_NS = 1_000_000_000L;

    /** A latency recorder and the name its intervals carry in latency.hlog. */
    record Stage(String tag, SingleWriterRecorder recorder)
    {
    }

    /** What the tracker hands back when the run is over. */
    public record Outcome(OrderParameters finalOverlaps, double finalRisk, Map<String, Object> latency,
        Map<String, Object> pipeline)
    {
    }

    private final OneToOneConcurrentArrayQueue<Snapshot> snapshots;
    private final OneToOneConcurrentArrayQueue<Snapshot> freeSnapshots;
    private final RiskEstimator risk;
    private MetricsRow rowFormat;
    private final Consumer<CharSequence> rows;
    private final Consumer<CharSequence> pipelineRows;
    private final Progress progress;
    private final List<Stage> stages;
    private final Histogram[] totals;
    private final Histogram[] intervals;
    private final LatencyLog log;
    private final Consumer<TrainingState> checkpoints;
    private final boolean resumed;
    private final LiveRows live;
    private final List<String> stageTags;
    private final PipelineGauges gauges;
    private Consumer<Outcome> onFinished = outcome -> { };
    private final OrderParameters overlaps;
    private final long startNs;

    private long lastIntervalNs;
    private double lastRisk = Double.NaN;
    private boolean done;

    /**
     * @param plan  the run: its tracker's risk estimator, the sizes of its rows, and whether it resumes (then no
     *              header lines are written to the files).
     * @param sinks where rows, pipeline rows, latency intervals, checkpoints and the live feed go.
     */
    TrackerAgent(final OneToOneConcurrentArrayQueue<Snapshot> snapshots,
        final OneToOneConcurrentArrayQueue<Snapshot> freeSnapshots, final RunPlan plan, final PipelineSinks sinks,
        final Progress progress, final List<Stage> stages, final PipelineGauges gauges, final long startNs)
    {
        final int width = plan.model().student().width();
        final int k = plan.model().teacher().k();
        this.snapshots = snapshots;
        this.freeSnapshots = freeSnapshots;
        this.risk = plan.monitoring().trackerRisk();
        this.rowFormat = new MetricsRow(width, k);
        this.overlaps = new OrderParameters(width, k);
        this.rows = sinks.rows();
        this.pipelineRows = sinks.pipelineRows();
        this.progress = progress;
        this.stages = stages;
        this.totals = new Histogram[stages.size()];
        this.intervals = new Histogram[stages.size()];
        for (int i = 0; i < totals.length; i++)
        {
            totals[i] = new Histogram(Pipeline.LATENCY_DIGITS);
            intervals[i] = null;
        }
        this.log = sinks.latencyLog();
        this.checkpoints = sinks.checkpoints();
        this.resumed = plan.resume() != null;
        this.live = sinks.live();
        this.stageTags = stages.stream().map(Stage::tag).toList();
        this.gauges = gauges;
        this.startNs = startNs;
    }

    @Override
    public void onStart()
    {
        lastIntervalNs = System.nanoTime();
        if (!resumed)
        {
            rows.accept(rowFormat.header());
            pipelineRows.accept(gauges.header());
        }
        if (live != null)
        {
            live.header(LiveRows.Table.METRICS, rowFormat.header());
            live.header(LiveRows.Table.PIPELINE, gauges.header());
            live.header(LiveRows.Table.LATENCY, LiveRows.LATENCY_HEADER);
        }
        if (log != null)
        {
            log.start(System.currentTimeMillis());
        }
    }

    /** The run trains a: rows gain a_1..a_p and the risk uses the a of each snapshot. Call before start. */
    void trackSecondLayer()
    {
        overlaps.trackSecondLayer();
        rowFormat = new MetricsRow(overlaps.width(), overlaps.k(), true);
    }

    @Override
    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        int work = 0;
        Snapshot s;
        boolean finalSeen = false;
        while ((s = snapshots.poll()) != null)
        {
            work++;
            System.arraycopy(s.m, 0, overlaps.mMatrix(), 0, s.m.length);
            System.arraycopy(s.q, 0, overlaps.qMatrix(), 0, s.q.length);
            if (overlaps.secondLayer() != null)
            {
                System.arraycopy(s.a, 0, overlaps.secondLayer(), 0, s.a.length);
            }
            switch (s.kind)
            {
                case ROW:
                    row(s);
                    break;
                case PROGRESS:
                    if (progress != null)
                    {
                        progress.print(s.step, s.samples, overlaps, risk.risk(overlaps));
                    }
                    break;
                case FINAL:
                    if (s.finalRow)
                    {
                        row(s);
                    }
                    finalSeen = true;
                    break;
                case CHECKPOINT:
                    if (checkpoints != null)
                    {
                        checkpoints.accept(s.state);
                    }
                    s.state = null;
                    break;
                default:
                    throw new IllegalStateException(s.kind.name());
            }
            freeSnapshots.offer(s);
            if (finalSeen)
            {
                break;
            }
        }
        final long now = System.nanoTime();
        if (finalSeen || now - lastIntervalNs >= INTERVAL_NS)
        {
            collectIntervals(now);
            work++;
        }
        if (finalSeen)
        {
            done = true;
            if (live != null)
            {
                live.finish();
            }
            if (Double.isNaN(lastRisk))
            {
                lastRisk = risk.risk(overlaps);
            }
            onFinished.accept(new Outcome(OrderParameters.of(overlaps.width(), overlaps.k(), overlaps.mMatrix(),
                overlaps.qMatrix()), lastRisk, latencySummary(), gauges.summary()));
        }
        return work;
    }

    private void row(final Snapshot s)
    {
        lastRisk = Double.isNaN(s.knownRisk) ? risk.risk(overlaps) : s.knownRisk;
        final CharSequence line = rowFormat.format(s.step, s.samples, s.wallNs * 1e-9, overlaps, lastRisk);
        rows.accept(line);
        if (live != null)
        {
            live.append(LiveRows.Table.METRICS, line);
        }
        if (progress != null && progress.due())
        {
            progress.print(s.step, s.samples, overlaps, lastRisk);
        }
    }

    private void collectIntervals(final long now)
    {
        final double startSec = (lastIntervalNs - startNs) * 1e-9;
        for (int i = 0; i < stages.size(); i++)
        {
            intervals[i] = stages.get(i).recorder().getIntervalHistogram(intervals[i]);
            totals[i].add(intervals[i]);
            if (log != null && intervals[i].getTotalCount() > 0)
            {
                intervals[i].setTag(stages.get(i).tag());
                intervals[i].setStartTimeStamp(log.baseTime() + (long)(startSec * 1000));
                intervals[i].setEndTimeStamp(log.baseTime() + (long)((now - startNs) * 1e-6));
                log.interval(intervals[i]);
            }
        }
        final CharSequence pipelineRow = gauges.sample(now);
        pipelineRows.accept(pipelineRow);
        if (live != null)
        {
            live.append(LiveRows.Table.PIPELINE, pipelineRow);
            live.latency(stageTags, intervals, (now - startNs) * 1e-9);
        }
        lastIntervalNs = now;
    }

    private Map<String, Object> latencySummary()
    {
        final Map<String, Object> all = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++)
        {
            final Histogram h = totals[i];
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("count", h.getTotalCount());
            one.put("p50_us", h.getValueAtPercentile(50) / 1e3);
            one.put("p90_us", h.getValueAtPercentile(90) / 1e3);
            one.put("p99_us", h.getValueAtPercentile(99) / 1e3);
            one.put("p99_9_us", h.getValueAtPercentile(99.9) / 1e3);
            one.put("max_us", h.getMaxValue() / 1e3);
            all.put(stages.get(i).tag(), one);
        }
        return all;
    }

    /** Where the outcome goes; set by the owning actor before the agent starts. */
    public void onFinished(final Consumer<Outcome> listener)
    {
        this.onFinished = listener;
    }

    @Override
    public String roleName()
    {
        return "metric-tracker";
    }
}
