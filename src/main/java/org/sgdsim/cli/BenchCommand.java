package org.sgdsim.cli;

import java.util.List;
import java.util.Map;

import org.sgdsim.bench.Bench;
import org.sgdsim.bench.BenchSettings;
import org.sgdsim.metrics.Json;
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

    @Option(names = "--live", description = "Feed the run's live ring and serve it (dashboard, SSE, /metrics) on a free "
        + "loopback port, as run --live does.")
    private boolean live;

    @Option(names = "--live-clients", paramLabel = "N", description = "With --live: N Server-Sent Events clients "
        + "reading the run's events during the whole bench (default ${DEFAULT-VALUE}).")
    private int liveClients;

    @Option(names = "--stalled-clients", paramLabel = "M", description = "With --live: M more SSE clients that connect "
        + "and never read (default ${DEFAULT-VALUE}).")
    private int stalledClients;

    @Option(names = "--replay", description = "With --alternate: each phase's new clients replay the live ring from its "
        + "oldest row (a burst of catch-up, the worst case) instead of following from the newest row, as dashboards "
        + "already open do.")
    private boolean replay;

    @Option(names = "--alternate", paramLabel = "PAIRS", description = "With --live: after the warm-up, PAIRS pairs "
        + "of --seconds phases in one run, first without clients, then with the --live-clients and --stalled-clients "
        + "connected; prints each phase's samples/s and the with/without ratio of each pair.")
    private int alternate;

    @Option(names = "--calibrate", description = "Time the single-thread Gaussian fill (the generators' own code, d "
        + "per call) on this JVM's main thread for 3 s right before and right after the pipeline, and print "
        + "generation_efficiency = samples/s ÷ (G · rate / d) against their mean: the same machine state as the run.")
    private boolean calibrate;

    @Override
    public Integer call() throws Exception
    {
        final BenchSettings settings = new BenchSettings(
            new BenchSettings.Model(dim, width, batch, sampler, generators, overrides),
            new BenchSettings.Timing(seconds, warmup), peer,
            new BenchSettings.Live(live, liveClients, stalledClients, replay, alternate), calibrate);
        final Map<String, Object> out = new Bench(settings).run();
        spec.commandLine().getOut().println(Json.write(out).replaceAll("\\s*\\n\\s*", " ").strip());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
