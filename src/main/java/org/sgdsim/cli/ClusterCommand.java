package org.sgdsim.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.sgdsim.cluster.ClusterKeys;
import org.sgdsim.cluster.ClusterNode;
import org.sgdsim.cluster.ClusterSettings;
import org.sgdsim.experiment.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sgdsim cluster seed|worker}: starts a node of a sweep cluster and keeps it up until SIGINT/SIGTERM. A
 * worker then drains its runs to a checkpoint and leaves; a sweep coordinator queues them again.
 */
@Command(name = "cluster", description = {
    "Start a node of a Pekko cluster that runs sweeps (see docs/cluster.md): a seed holds the membership together,",
    "a worker runs the sweep points handed to it by `sgdsim sweep FILE --cluster HOST:PORT`.",
    "Settings: the cluster { } section of conf/application.conf and --set cluster.key=value."})
final class ClusterCommand implements java.util.concurrent.Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROLE", description = "seed, worker, keygen DIR (make the TLS keys of a "
        + "cluster) or bench (measure a sweep coordinator)")
    private String role;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "keygen: the folder for the keys "
        + "(give it to every node as cluster.tls.dir)")
    private java.nio.file.Path dir;

    @Option(names = "--renew", description = "keygen: issue a new node certificate from the CA already in DIR.")
    private boolean renew;

    @Option(names = "--days", paramLabel = "N", description = "keygen: validity of the node certificate in days "
        + "(default ${DEFAULT-VALUE}).")
    private int days = 365;

    @Option(names = "--set", paramLabel = "cluster.KEY=VALUE", description = "Override a cluster key (repeatable), e.g. "
        + "--set cluster.port=2552 --set cluster.host=10.0.0.5")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--join", paramLabel = "HOST:PORT", description = "Seed node to join (repeatable; replaces "
        + "cluster.seed-nodes).")
    private List<String> join = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "Worker: runs at a time (overrides "
        + "cluster.worker.parallel; default max(1, cores/2)).")
    private Integer parallel;

    @Option(names = "--runs", paramLabel = "N", description = "bench: runs planned, a multiple of 10 (default "
        + "${DEFAULT-VALUE}).")
    private int runs = 10_000;

    @Option(names = "--workers", paramLabel = "W", description = "bench: in-process workers (default ${DEFAULT-VALUE}).")
    private int workers = 16;

    @Option(names = "--slots", paramLabel = "S", description = "bench: runs each worker asks for at a time (default "
        + "${DEFAULT-VALUE}).")
    private int slots = 4;

    @Option(names = "--out", paramLabel = "DIR", description = "bench: the sweep folder it writes, removed afterwards "
        + "unless --keep (default ${DEFAULT-VALUE}).")
    private java.nio.file.Path out = java.nio.file.Path.of("runs", "cluster-bench");

    @Option(names = "--keep", description = "bench: keep the sweep folder.")
    private boolean keep;

    @Option(names = {"-q", "--quiet"}, description = "No line per run.")
    private boolean quiet;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException
    {
        if (!List.of(ClusterNode.SEED, ClusterNode.WORKER, "keygen", "bench").contains(role))
        {
            throw new UserError("cluster: expected seed, worker, keygen DIR or bench, got '" + role + "'");
        }
        if (role.equals("keygen") != (dir != null))
        {
            throw new UserError(dir == null ? "cluster keygen: expected the folder for the keys, e.g. "
                + "`sgdsim cluster keygen runs/cluster-keys`" : "cluster " + role + ": unexpected argument '" + dir + "'");
        }
        for (final String o : overrides)
        {
            final int eq = o.indexOf('=');
            if (eq <= 0 || !o.substring(0, eq).trim().startsWith("cluster."))
            {
                throw new UserError("--set " + o + ": sgdsim cluster takes only cluster.* keys (see docs/cluster.md)");
            }
        }
        ClusterSettings settings = ClusterSettings.load(Main.applicationConf(), overrides);
        if (!join.isEmpty())
        {
            join.forEach(j -> ClusterSettings.hostPort("--join", j));
            settings = settings.withSeedNodes(join);
        }
        if (parallel != null)
        {
            if (parallel < 1 || parallel > 1024)
            {
                throw new UserError("--parallel: expected a number of runs in [1, 1024], got " + parallel);
            }
            settings = settings.withParallel(parallel);
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (role.equals("keygen"))
        {
            final ClusterKeys keys = ClusterKeys.generate(dir, renew, days, settings.membership().name());
            out.println("sgdsim cluster keygen: " + (renew ? "renewed " : "") + "cluster keys in " + dir
                + "; node certificate valid until " + keys.nodeCertificate().getNotAfter().toInstant()
                + "; start every node with --set cluster.tls.dir=" + dir + " (keep " + ClusterKeys.CA
                + " and " + ClusterKeys.PASSWORD + " private)");
            return 0;
        }
        if (role.equals("bench"))
        {
            final java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("sgdsim.home", "."));
            out.println(org.sgdsim.metrics.Json.write(org.sgdsim.cluster.ClusterBench.run(
                home.resolve("conf/experiments/quickstart.conf"), runs, workers, slots, this.out, keep)));
            return 0;
        }
        final ClusterNode node = role.equals(ClusterNode.SEED) ? ClusterNode.seed(settings)
            : ClusterNode.worker(settings, quiet ? null : System.err);
        out.println("sgdsim cluster " + role + ": " + node.address() + " joining " + String.join(", ",
            settings.membership().seedNodes()) + (role.equals(ClusterNode.WORKER) ? "; " + settings.worker().parallel()
            + " run(s) at a time, run folders under " + settings.worker().dir() : ""));
        out.flush();
        if (node.awaitUp(Duration.ofDays(3650)))
        {
            out.println("sgdsim cluster " + role + ": " + node.address() + " is up");
            out.flush();
        }
        // SIGINT/SIGTERM: drain the worker's runs to a checkpoint and leave the cluster while the JVM still runs
        // normally (a run's last files need no shutdown-time restrictions), then exit 0; a second signal exits now.
        final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        final sun.misc.SignalHandler stop = signal ->
        {
            if (stopping.getAndSet(true))
            {
                Runtime.getRuntime().halt(130);
            }
            node.leave();
        };
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
        try
        {
            node.whenTerminated().toCompletableFuture().get();
        }
        catch (final ExecutionException ex)
        {
            // terminated all the same
        }
        if (stopping.get())
        {
            return 0;
        }
        spec.commandLine().getErr().println("sgdsim: cluster " + role + " " + node.address()
            + " has left the cluster (removed by the split brain resolver, or shut down); start it again to rejoin");
        spec.commandLine().getErr().flush();
        return Main.RUN_FAILED;
    }
}
