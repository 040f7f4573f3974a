package org.sgdsim.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.typesafe.config.ConfigFactory;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.online.RunModel;
import org.sgdsim.experiment.UserError;
import org.sgdsim.model.Sampler;
import org.sgdsim.stream.PipelineRun;
import org.sgdsim.stream.plane.PipelineResult;
import org.sgdsim.stream.plane.PipelineSinks;

/**
 * The benchmark harness behind {@code ./sgdsim bench}: runs the NumPy peer's model through the pipeline for a warm-up
 * and a measured window and reports throughput, latency percentiles, GC, idle fractions, and optionally the peer's
 * rate, the single-thread Gaussian fill rate (generation-bound efficiency) and the cost of live dashboard clients.
 */
public final class Bench
{
    private final int dim;
    private final int width;
    private final int batch;
    private final double seconds;
    private final double warmup;
    private final Integer generators;
    private final String sampler;
    private final List<String> overrides;
    private final java.nio.file.Path peer;
    private final boolean live;
    private final int liveClients;
    private final int stalledClients;
    private final boolean replay;
    private final int alternate;
    private final boolean calibrate;

    /** A bench of {@code settings}. */
    public Bench(final BenchSettings settings)
    {
        final BenchSettings.Model model = settings.model();
        this.dim = model.dim();
        this.width = model.width();
        this.batch = model.batch();
        this.generators = model.generators();
        this.sampler = model.sampler();
        this.overrides = model.overrides();
        this.seconds = settings.timing().seconds();
        this.warmup = settings.timing().warmup();
        this.peer = settings.peer();
        this.live = settings.live().enabled();
        this.liveClients = settings.live().clients();
        this.stalledClients = settings.live().stalledClients();
        this.replay = settings.live().replay();
        this.alternate = settings.live().alternate();
        this.calibrate = settings.calibrate();
    }

    /** Runs the bench and returns the fields of its one JSON line; a bad setting is a {@link UserError}. */
    public Map<String, Object> run() throws Exception
    {
        if (dim < 1 || width < 1 || batch < 1 || !(seconds > 0) || !(warmup >= 0))
        {
            throw new UserError("bench: --dim, --width, --batch must be ≥ 1, --seconds > 0 and --warmup ≥ 0");
        }
        final StringBuilder hocon = new StringBuilder()
            .append("experiment.name = bench\n")
            .append("data.dim = ").append(dim).append('\n')
            .append("data.sampler = \"").append(sampler).append("\"\n")
            .append("teacher.target = \"He3(z1)\"\n")
            .append("student { width = ").append(width).append(", activation = tanh, init = random }\n")
            .append("training { batch-size = ").append(batch).append(", learning-rate = \"0.5*p/d\", loss = square }\n")
            .append("stop.max-steps = 9000000000000000000\n")
            .append("metrics { every = 9000000000000000000, progress = false, risk-samples = 10000 }\n");
        if (generators != null)
        {
            hocon.append("pipeline.generators = ").append(generators).append('\n');
        }
        com.typesafe.config.Config user = ConfigFactory.parseString(hocon.toString());
        for (final String o : overrides)
        {
            user = ExperimentConfig.parseOverride(o).withFallback(user);
        }
        final ExperimentSpec experiment = ExperimentConfig.fromUserConfig(user);
        org.sgdsim.experiment.Footprint.online(experiment).check(1);

        if (calibrate && experiment.data().sampler() != Sampler.EXPLICIT)
        {
            throw new UserError("bench: --calibrate rates explicit samples (d Gaussians each); it does not apply to "
                + "--sampler " + experiment.data().sampler().configName());
        }
        if (replay && alternate == 0)
        {
            throw new UserError("bench: --replay needs --alternate");
        }
        if (alternate < 0 || alternate > 100 || alternate > 0 && !live)
        {
            throw new UserError("bench: --alternate needs --live and a number of pairs in [0, 100]");
        }
        if ((liveClients > 0 || stalledClients > 0) && !live || liveClients < 0 || stalledClients < 0
            || liveClients + stalledClients > 1000)
        {
            throw new UserError("bench: --live-clients and --stalled-clients need --live, are ≥ 0 and at most 1000 "
                + "together");
        }
        final Double peerRate = peer == null ? null : runPeer();
        final double rateBefore = calibrate ? singleThreadGaussianRate(dim, experiment.data().gaussian()) : Double.NaN;
        final Window window = new Window();
        final org.sgdsim.metrics.LiveRows feed = live
            ? new org.sgdsim.metrics.LiveRows(experiment.resolved().getInt("live.buffer-rows")) : null;
        final PipelineSinks sinks = new PipelineSinks(line -> { }, window::onPipelineRow, null, null).withLive(feed);
        final org.sgdsim.experiment.LiveSettings liveSettings = live
            ? org.sgdsim.experiment.LiveSettings.from(experiment.resolved()).withPort(0) : null;
        final PipelineResult result;
        final long gcBefore;
        final long gcTimeBefore;
        final long gcAfter;
        final long gcTimeAfter;
        final LiveClients clients;
        List<Map<String, Object>> phases = null;
        try (org.sgdsim.web.LiveServer server = live ? org.sgdsim.web.LiveServer.start(liveSettings) : null;
            PipelineRun run = PipelineRun.start(RunModel.build(experiment).plan(), experiment.execution().generators(),
            sinks, ConfigFactory.empty());
            LiveClients readers = live && alternate == 0 ? new LiveClients(server.port(),
                server.register(java.nio.file.Path.of("bench"), feed), liveClients, stalledClients, -1) : null)
        {
            clients = readers;
            Thread.sleep((long)(warmup * 1000));
            window.open();
            if (alternate > 0)
            {
                phases = alternate(server.port(), server.register(java.nio.file.Path.of("bench"), feed), window, feed);
            }
            gcBefore = gcCount();
            gcTimeBefore = gcTimeMs();
            Thread.sleep((long)(seconds * 1000));
            gcAfter = gcCount();
            gcTimeAfter = gcTimeMs();
            window.close();
            run.requestStop();
            result = run.await();
        }
        final double rateAfter = calibrate ? singleThreadGaussianRate(dim, experiment.data().gaussian()) : Double.NaN;
        final double measured = window.seconds();
        final long samples = window.samples();
        final long steps = window.steps();
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("dim", dim);
        out.put("width", width);
        out.put("batch", batch);
        out.put("sampler", experiment.data().sampler().configName());
        out.put("generators", experiment.execution().generators());
        out.put("seconds", measured);
        out.put("samples_per_s", samples / measured);
        out.put("steps_per_s", steps / measured);
        final int row = experiment.data().sampler() == Sampler.LOWRANK ? experiment.student().width() + experiment.k()
            : dim;
        final double draws = samples * (row + 1.0)
            + (experiment.data().sampler() == Sampler.LOWRANK ? (double)steps * experiment.student().width() * dim : 0);
        out.put("gaussians_per_s", draws / measured);
        @SuppressWarnings("unchecked")
        final Map<String, Object> iteration = (Map<String, Object>)result.latency().get("learner-iteration");
        out.put("learner_iteration_p50_us", iteration.get("p50_us"));
        out.put("learner_iteration_p99_us", iteration.get("p99_us"));
        if (experiment.data().sampler() == Sampler.EXPLICIT)
        {
            // The median block of the first generator, per sample: comparable with JMH's sampleBlock, so a slow
            // generator shows apart from a slow hand-off.
            @SuppressWarnings("unchecked")
            final Map<String, Object> generation = (Map<String, Object>)result.latency().get("block-generation-0");
            out.put("generation_p50_us_per_sample",
                ((Number)generation.get("p50_us")).doubleValue() / experiment.data().blockSize());
        }
        if (calibrate)
        {
            final double rate = (rateBefore + rateAfter) / 2;
            out.put("single_thread_gaussians_per_s_before", rateBefore);
            out.put("single_thread_gaussians_per_s_after", rateAfter);
            out.put("generation_efficiency", samples / measured / (experiment.execution().generators() * rate / dim));
        }
        out.put("gc_count", gcAfter - gcBefore);
        out.put("gc_time_ms", gcTimeAfter - gcTimeBefore);
        if (peerRate != null)
        {
            out.put("peer_samples_per_s", peerRate);
            out.put("ratio_to_peer", samples / measured / peerRate);
        }
        if (phases != null)
        {
            out.put("live_clients", liveClients);
            out.put("stalled_clients", stalledClients);
            out.put("phases", phases);
            final List<Double> ratios = new java.util.ArrayList<>();
            for (int i = 0; i + 1 < phases.size(); i += 2)
            {
                ratios.add((Double)phases.get(i + 1).get("samples_per_s") / (Double)phases.get(i).get("samples_per_s"));
            }
            out.put("with_over_without", ratios);
            out.put("mean_with_over_without", ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        }
        if (clients != null)
        {
            out.put("live_clients", liveClients);
            out.put("stalled_clients", stalledClients);
            out.put("live_rows", feed.next());
            out.put("events_read", clients.events());
            out.put("clients_ended_early", clients.failed());
        }
        out.put("generator_idle_fraction", result.pipeline().get("generator_idle_fraction"));
        out.put("learner_idle_fraction", result.pipeline().get("learner_idle_fraction"));
        return out;
    }

    /**
     * Runs the NumPy peer for about {@code seconds} on the same d, p and n_b, and parses its {@code samples/s=}.
     * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from its environment only: they slow a current NumPy.
     */
    private double runPeer() throws java.io.IOException, InterruptedException
    {
        if (!java.nio.file.Files.isRegularFile(peer))
        {
            throw new UserError("--peer: " + peer + " does not exist");
        }
        final long steps = Math.max(200, (long)(seconds * 60_000 / batch));
        final ProcessBuilder pb = new ProcessBuilder("python3", peer.toString(), Integer.toString(dim),
            Integer.toString(width), Integer.toString(batch), Long.toString(steps)).redirectErrorStream(true);
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        final Process process = pb.start();
        final String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        final int code = process.waitFor();
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("samples/s=([0-9.]+)").matcher(output);
        if (code != 0 || !m.find())
        {
            throw new UserError("--peer: " + peer + " did not report samples/s (exit " + code + "): "
                + output.strip().replace('\n', ' '));
        }
        return Double.parseDouble(m.group(1));
    }

    /** CPU time of each live thread whose name starts with {@code prefix}, by thread id. */
    private static Map<Long, Long> cpuNanos(final String prefix)
    {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<Long, Long> out = new java.util.HashMap<>();
        for (final java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (t != null && t.getThreadName().startsWith(prefix))
            {
                out.put(t.getThreadId(), Math.max(0, threads.getThreadCpuTime(t.getThreadId())));
            }
        }
        return out;
    }

    /**
     * CPU time the threads named {@code prefix…} used since {@code before}: a thread that ends in between (an idle
     * pooled one) takes its earlier time with it instead of making the difference negative.
     */
    private static long cpuNanosSince(final String prefix, final Map<Long, Long> before)
    {
        long sum = 0;
        for (final Map.Entry<Long, Long> t : cpuNanos(prefix).entrySet())
        {
            sum += t.getValue() - before.getOrDefault(t.getKey(), 0L);
        }
        return sum;
    }

    /**
     * Gaussians per second of one thread filling rows of d with the run's generator ({@code data.gaussian}), timed
     * for 3 s after 2 s of warm-up: the basis of the generation-bound target, taken in the same JVM and machine state
     * as the run.
     */
    private static double singleThreadGaussianRate(final int dim, final org.sgdsim.math.GaussianAlgorithm gaussian)
    {
        final org.sgdsim.math.GaussianSource gaussians = gaussian.stream(1, 2);
        final double[] row = new double[dim];
        double sink = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 2_000_000_000L)
        {
            gaussians.fill(row, 0, dim);
            sink += row[0];
        }
        long rows = 0;
        start = System.nanoTime();
        long elapsed;
        do
        {
            for (int i = 0; i < 1000; i++)
            {
                gaussians.fill(row, 0, dim);
                sink += row[i % dim];
            }
            rows += 1000;
            elapsed = System.nanoTime() - start;
        }
        while (elapsed < 3_000_000_000L);
        // The sum keeps the fills observable; it is NaN only if a Gaussian was.
        return Double.isNaN(sink) ? Double.NaN : rows * (double)dim / (elapsed / 1e9);
    }

    private static long gcCount()
    {
        long n = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcTimeMs()
    {
        long t = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    /**
     * Alternates phases without and with SSE clients in the running pipeline, each from one pipeline row to the
     * row after --seconds, so both sides of a pair share the JVM, the warm-up and (nearly) the machine's load.
     */
    private List<Map<String, Object>> alternate(final int port, final String run, final Window window,
        final org.sgdsim.metrics.LiveRows feed) throws Exception
    {
        final List<Map<String, Object>> phases = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * alternate; i++)
        {
            final boolean with = i % 2 == 1;
            final double[] start = window.nextRow();
            final Map<Long, Long> serverCpu = cpuNanos("sgdsim-web-");
            // following clients resume after the newest row (Last-Event-ID), as an open dashboard does
            final long lastEventId = replay ? -1 : feed.next() - 1;
            final LiveClients phaseClients = with
                ? new LiveClients(port, run, liveClients, stalledClients, lastEventId) : null;
            Thread.sleep((long)(seconds * 1000));
            final double[] end = window.nextRow();
            final double wall = end[0] - start[0];
            final Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("clients", with ? liveClients + stalledClients : 0);
            phase.put("seconds", end[0] - start[0]);
            phase.put("samples_per_s", (end[1] - start[1]) / (end[0] - start[0]));
            // CPU the live server's threads used, as a fraction of one core: what serving costs, whatever the load
            phase.put("server_cpu_fraction", cpuNanosSince("sgdsim-web-", serverCpu) * 1e-9 / wall);
            if (phaseClients != null)
            {
                phase.put("client_cpu_fraction", cpuNanosSince("bench-sse-", Map.of()) * 1e-9 / wall);
                phase.put("events_read", phaseClients.events());
                phase.put("clients_ended_early", phaseClients.failed());
                phaseClients.close();
            }
            phases.add(phase);
        }
        return phases;
    }

}
