package org.sgdsim.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigFactory;
import org.sgdsim.experiment.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.RunModel;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.Json;
import org.sgdsim.model.Sampler;
import org.sgdsim.stream.PipelineResult;
import org.sgdsim.stream.PipelineRun;
import org.sgdsim.stream.PipelineSinks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sgdsim bench}: the pipeline on the NumPy peer's model (He3 teacher, tanh student, square loss, plain
 * SGD), measured after a warm-up; prints one JSON line.
 */
@Command(name = "bench", description = "Measure pipeline throughput on the peer benchmark's model; prints one JSON line.")
final class BenchCommand implements java.util.concurrent.Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dim", description = "Input dimension d (default ${DEFAULT-VALUE}).")
    private int dim = 1000;

    @Option(names = "--width", description = "Hidden units p (default ${DEFAULT-VALUE}).")
    private int width = 4;

    @Option(names = "--batch", description = "Batch size n_b (default ${DEFAULT-VALUE}).")
    private int batch = 32;

    @Option(names = "--seconds", description = "Measured seconds after the warm-up (default ${DEFAULT-VALUE}).")
    private double seconds = 10;

    @Option(names = "--warmup", description = "Warm-up seconds, not measured (default ${DEFAULT-VALUE}).")
    private double warmup = 3;

    @Option(names = "--generators", description = "Generator stages (default: one per core).")
    private Integer generators;

    @Option(names = "--sampler", description = "How batches are drawn: explicit or lowrank (default ${DEFAULT-VALUE}).")
    private String sampler = "explicit";

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any experiment key of the bench model.")
    private List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--peer", paramLabel = "SCRIPT", arity = "0..1", fallbackValue = "../shared/bench/peer_numpy_sgd.py",
        description = "Also run the NumPy peer (default ../shared/bench/peer_numpy_sgd.py) on the same model right "
            + "before, and report its samples/s and the ratio.")
    private java.nio.file.Path peer;

    @Override
    public Integer call() throws Exception
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

        final Double peerRate = peer == null ? null : runPeer();
        final Window window = new Window();
        final PipelineSinks sinks = new PipelineSinks(line -> { }, window::onPipelineRow, null, null);
        final PipelineResult result;
        final long gcBefore;
        final long gcTimeBefore;
        final long gcAfter;
        final long gcTimeAfter;
        try (PipelineRun run = PipelineRun.start(RunModel.build(experiment).plan(), experiment.generators(), sinks,
            ConfigFactory.empty()))
        {
            Thread.sleep((long)(warmup * 1000));
            window.open();
            gcBefore = gcCount();
            gcTimeBefore = gcTimeMs();
            Thread.sleep((long)(seconds * 1000));
            gcAfter = gcCount();
            gcTimeAfter = gcTimeMs();
            window.close();
            run.requestStop();
            result = run.await();
        }
        final double measured = window.seconds();
        final long samples = window.samples();
        final long steps = window.steps();
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("dim", dim);
        out.put("width", width);
        out.put("batch", batch);
        out.put("sampler", experiment.data().sampler().configName());
        out.put("generators", experiment.generators());
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
        out.put("gc_count", gcAfter - gcBefore);
        out.put("gc_time_ms", gcTimeAfter - gcTimeBefore);
        if (peerRate != null)
        {
            out.put("peer_samples_per_s", peerRate);
            out.put("ratio_to_peer", samples / measured / peerRate);
        }
        out.put("generator_idle_fraction", result.pipeline().get("generator_idle_fraction"));
        out.put("learner_idle_fraction", result.pipeline().get("learner_idle_fraction"));
        spec.commandLine().getOut().println(Json.write(out).replaceAll("\\s*\\n\\s*", " ").strip());
        spec.commandLine().getOut().flush();
        return 0;
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
     * The measured window, from the pipeline's once-a-second rows (wall_s, steps, samples, …): the first row after
     * {@link #open} starts it and the last row before {@link #close} ends it, so both ends are the learner's
     * own counters at known times.
     */
    private static final class Window
    {
        private volatile boolean open;
        private volatile boolean closed;
        private double startWall = Double.NaN;
        private long startSteps;
        private long startSamples;
        private double endWall = Double.NaN;
        private long endSteps;
        private long endSamples;

        synchronized void onPipelineRow(final CharSequence row)
        {
            final String[] cells = row.toString().split(",");
            if (!open || closed || !Character.isDigit(cells[0].charAt(0)))
            {
                return;
            }
            final double wall = Double.parseDouble(cells[0]);
            final long steps = Long.parseLong(cells[1]);
            final long samples = Long.parseLong(cells[2]);
            if (Double.isNaN(startWall))
            {
                startWall = wall;
                startSteps = steps;
                startSamples = samples;
            }
            else
            {
                endWall = wall;
                endSteps = steps;
                endSamples = samples;
            }
        }

        void open()
        {
            open = true;
        }

        void close()
        {
            closed = true;
        }

        synchronized double seconds()
        {
            if (Double.isNaN(endWall))
            {
                throw new IllegalStateException("the measured window saw fewer than two pipeline rows: raise --seconds");
            }
            return endWall - startWall;
        }

        synchronized long samples()
        {
            return endSamples - startSamples;
        }

        synchronized long steps()
        {
            return endSteps - startSteps;
        }
    }
}
