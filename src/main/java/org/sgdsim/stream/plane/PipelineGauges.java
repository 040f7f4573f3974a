package org.sgdsim.stream.plane;

import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * The pipeline's own metrics, sampled by the tracker once a second into {@code pipeline.csv}: throughput, queue
 * depths and the fraction of time each generator and the learner sat idle. Reads counters the stages publish
 * with ordered writes; never touches their data.
 */
final class PipelineGauges
{
    private final GeneratorAgent[] generators;
    private final LearnerAgent learner;
    private final OneToOneConcurrentArrayQueue<Block>[] blockQueues;
    private final OneToOneConcurrentArrayQueue<Slice> sliceQueue;
    private final long startNs;
    private static final java.lang.management.MemoryMXBean MEMORY = java.lang.management.ManagementFactory.getMemoryMXBean();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final java.io.File FDS = new java.io.File("/proc/self/fd");

    private final StringBuilder line = new StringBuilder(128);

    private long lastNs;
    private long lastSteps;
    private long lastSamples;
    private final long[] lastGeneratorBusy;
    private long lastLearnerBusy;
    private long intervals;
    private double sumBlockDepth;
    private double sumSliceDepth;

    private final int poolBlocks;
    private final int dedicated;
    /** Busy counters at the end of the first interval: the steady state is measured from there. */
    private long steadyStartNs = -1;
    private long[] steadyGeneratorBusy;
    private long steadyLearnerBusy;

    PipelineGauges(final GeneratorAgent[] generators, final LearnerAgent learner,
        final OneToOneConcurrentArrayQueue<Block>[] blockQueues, final OneToOneConcurrentArrayQueue<Slice> sliceQueue,
        final int poolBlocks, final int dedicated, final long startNs)
    {
        this.dedicated = dedicated;
        this.poolBlocks = poolBlocks;
        this.generators = generators;
        this.learner = learner;
        this.blockQueues = blockQueues;
        this.sliceQueue = sliceQueue;
        this.startNs = startNs;
        this.lastNs = startNs;
        this.lastGeneratorBusy = new long[generators.length];
    }

    String header()
    {
        return "wall_s,steps,samples,samples_per_s,steps_per_s,block_queue_depth,slice_queue_depth,"
            + "generator_idle_fraction,learner_idle_fraction,heap_used_bytes,threads,open_files";
    }

    /** One pipeline.csv row for the interval since the last call. */
    CharSequence sample(final long now)
    {
        final double dt = Math.max(1e-9, (now - lastNs) * 1e-9);
        final long steps = learner.steps();
        final long samples = learner.samples();
        int blockDepth = 0;
        for (final OneToOneConcurrentArrayQueue<Block> q : blockQueues)
        {
            blockDepth += q.size();
        }
        final int sliceDepth = sliceQueue.size();
        double generatorBusy = 0.0;
        for (int g = 0; g < generators.length; g++)
        {
            final long busy = generators[g].busyNs();
            generatorBusy += (busy - lastGeneratorBusy[g]) * 1e-9;
            lastGeneratorBusy[g] = busy;
        }
        final long learnerBusy = learner.busyNs();
        final double generatorIdle = clamp(1.0 - generatorBusy / (dt * generators.length));
        final double learnerIdle = clamp(1.0 - (learnerBusy - lastLearnerBusy) * 1e-9 / dt);
        line.setLength(0);
        line.append(Math.round((now - startNs) * 1e-6) / 1e3).append(',').append(steps).append(',').append(samples)
            .append(',').append(Math.round((samples - lastSamples) / dt)).append(',')
            .append(Math.round((steps - lastSteps) / dt)).append(',').append(blockDepth).append(',').append(sliceDepth)
            .append(',').append(Math.round(generatorIdle * 1e4) / 1e4).append(',')
            .append(Math.round(learnerIdle * 1e4) / 1e4).append(',')
            .append(MEMORY.getHeapMemoryUsage().getUsed()).append(',').append(THREADS.getThreadCount()).append(',')
            .append(openFiles());
        if (steadyStartNs < 0)
        {
            steadyStartNs = now;
            steadyGeneratorBusy = lastGeneratorBusy.clone();
            steadyLearnerBusy = learnerBusy;
        }
        lastNs = now;
        lastSteps = steps;
        lastSamples = samples;
        lastLearnerBusy = learnerBusy;
        intervals++;
        sumBlockDepth += blockDepth;
        sumSliceDepth += sliceDepth;
        return line;
    }

    /** Whole-run figures for summary.json. */
    Map<String, Object> summary()
    {
        final double wall = Math.max(1e-9, (lastNs - startNs) * 1e-9);
        long generatorBusy = 0;
        for (final GeneratorAgent g : generators)
        {
            generatorBusy += g.busyNs();
        }
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("generators", generators.length);
        s.put("samples_per_s", learner.samples() / wall);
        s.put("steps_per_s", learner.steps() / wall);
        s.put("generator_idle_fraction", clamp(1.0 - generatorBusy * 1e-9 / (wall * generators.length)));
        s.put("learner_idle_fraction", clamp(1.0 - learner.busyNs() * 1e-9 / wall));
        s.put("mean_block_queue_depth", intervals == 0 ? 0.0 : sumBlockDepth / intervals);
        s.put("mean_slice_queue_depth", intervals == 0 ? 0.0 : sumSliceDepth / intervals);
        long blocks = 0;
        for (final GeneratorAgent g : generators)
        {
            blocks += g.blocks();
        }
        s.put("blocks_generated", blocks);
        s.put("pool_blocks", poolBlocks);
        s.put("layout", layout());
        s.put("busy_fraction", busy(startNs, new long[generators.length], 0L, lastNs));
        if (steadyStartNs >= 0 && lastNs > steadyStartNs)
        {
            final Map<String, Double> steady = busy(steadyStartNs, steadyGeneratorBusy, steadyLearnerBusy, lastNs);
            s.put("steady_busy_fraction", steady);
            s.put("bottleneck", steady.entrySet().stream().filter(e -> !"learner".equals(e.getKey()))
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null));
        }
        return s;
    }

    /** Which stage runs on which thread. */
    private String layout()
    {
        final StringBuilder s = new StringBuilder();
        for (int g = 0; g < dedicated; g++)
        {
            s.append("generator-").append(g).append(": own thread; ");
        }
        s.append("batcher, learner");
        for (int g = dedicated; g < generators.length; g++)
        {
            s.append(", generator-").append(g).append(" (fills the learner's idle time)");
        }
        return s.append(": learner thread; metric-tracker: own thread").toString();
    }

    /** Busy fraction of each generator, the learner and the learner's thread between {@code fromNs} and {@code toNs}. */
    private Map<String, Double> busy(final long fromNs, final long[] generatorBusyFrom, final long learnerBusyFrom,
        final long toNs)
    {
        final double wall = Math.max(1e-9, (toNs - fromNs) * 1e-9);
        final Map<String, Double> b = new LinkedHashMap<>();
        final double learnerBusy = clamp((learner.busyNs() - learnerBusyFrom) * 1e-9 / wall);
        double learnerThread = learnerBusy;
        for (int g = 0; g < generators.length; g++)
        {
            final double f = clamp((generators[g].busyNs() - generatorBusyFrom[g]) * 1e-9 / wall);
            b.put("generator-" + g, round(f));
            if (g >= dedicated)
            {
                learnerThread += f;
            }
        }
        b.put("learner", round(learnerBusy));
        b.put("learner_thread", round(clamp(learnerThread)));
        return b;
    }

    private static double round(final double v)
    {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Open file descriptors of this process (Linux /proc), or −1 where that is not available. */
    private static long openFiles()
    {
        final String[] fds = FDS.list();
        return fds == null ? -1 : fds.length;
    }

    private static double clamp(final double v)
    {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
