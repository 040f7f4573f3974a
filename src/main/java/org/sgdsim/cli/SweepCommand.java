package org.sgdsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigRenderOptions;
import org.sgdsim.cluster.ClusterSettings;
import org.sgdsim.cluster.ClusterSweep;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.sweep.RunRecord;
import org.sgdsim.experiment.sweep.SweepDefinition;
import org.sgdsim.experiment.sweep.SweepFile;
import org.sgdsim.experiment.sweep.SweepPlan;
import org.sgdsim.experiment.sweep.SweepReport;
import org.sgdsim.experiment.sweep.SweepRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sgdsim sweep FILE}: every grid point × seed of a sweep file, several runs at a time, then runs.csv,
 * summary.csv, fits.json and plots. Re-running with the same {@code --out} resumes: finished runs are kept.
 */
@Command(name = "sweep", description = {
    "Run a grid of experiments over seeds and write runs.csv, summary.csv, fits.json and plots/.",
    "Re-run with the same --out to resume: runs with a summary.json are kept, unfinished ones redone."})
final class SweepCommand implements java.util.concurrent.Callable<Integer>
{
    /** Exit code when Ctrl-C or SIGTERM stopped the sweep before its last run. */
    static final int INTERRUPTED = 130;
    private static final String PLAN = "sweep-plan.txt";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Sweep file (HOCON), e.g. conf/sweeps/he3-batch-size.conf")
    private Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {
        "Override a key (repeatable): seeds, name, experiment, grid.*, set.*, time-model.*, curves.*, fits.* change "
            + "the sweep file; any other key overrides the experiment (above set { }, below the grid)."})
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep folder (default: <output.dir>/<name>-<time>/). "
        + "An existing folder of the same sweep is resumed.")
    private Path out;

    @Option(names = "--parallel", paramLabel = "N", description = "Runs at a time (default: max(1, cores/2); "
        + "each run's pipeline keeps about two threads busy).")
    private Integer parallel;

    @Option(names = "--workers", paramLabel = "P", description = "Iteration-time model: parallel workers P (overrides time-model.workers).")
    private Integer workers;

    @Option(names = "--rate", paramLabel = "R", description = "Iteration-time model: samples/s per worker (default: measured).")
    private Double rate;

    @Option(names = "--latency", paramLabel = "S", description = "Iteration-time model: fixed seconds per iteration (default 0).")
    private Double latency;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = {"Hand the runs to the workers of the cluster "
        + "whose seed node is at HOST:PORT (see docs/cluster.md) instead of running them here; --parallel is then "
        + "each worker's own setting. Settings of this node: cluster { } of conf/application.conf and "
        + "--set cluster.key=value."})
    private String cluster;

    @Option(names = {"-q", "--quiet"}, description = "No line per finished run.")
    private boolean quiet;

    @Option(names = "--live", description = "Serve the dashboard, Server-Sent Events and Prometheus /metrics for every "
        + "run of the sweep, on the experiment's live.host:live.port; the URL is printed on stderr.")
    private boolean live;

    /** The --live server of this sweep (null without --live); closed when the sweep ends. */
    private org.sgdsim.web.LiveServer server;

    @Override
    public Integer call()
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        final int runsAtATime = parallel != null ? parallel : Math.max(1, cores / 2);
        if (runsAtATime < 1 || runsAtATime > 1024)
        {
            throw new UserError("--parallel: expected a number of runs in [1, 1024], got " + runsAtATime);
        }
        // Checked before anything is written: where to join and this node's settings.
        final ClusterSettings settings = cluster == null ? null : ClusterSettings.load(Main.applicationConf(),
            overrides).withSeedNodes(List.of(ClusterSettings.hostPort("--cluster", cluster)));
        if (settings != null)
        {
            settings.checkTransport();
        }
        // cluster.* keys configure this node (ClusterSettings), not the runs.
        final SweepDefinition definition = withTimeModel(SweepFile.load(file, overrides.stream()
            .filter(o -> !o.trim().startsWith("cluster.")).toList()));
        // Each run gets one generator unless the cores leave more room (results do not depend on it).
        final SweepPlan expanded = SweepPlan.expand(definition, Main.applicationConf(),
            Math.max(1, cores / runsAtATime - 1));
        // A sweep folder written before data.gaussian existed goes on with the generator it started with.
        final boolean legacy = writtenBeforeGaussianKey(expanded);
        final SweepPlan plan = legacy ? expanded.withLegacyGaussian() : expanded;
        if (settings == null)
        {
            plan.checkMemory(runsAtATime); // a cluster's workers check their own heaps as they start each run
        }
        final String fingerprint = plan.fingerprint(!legacy);
        // Bound before the sweep folder is touched, so a port in use leaves nothing behind.
        server = live ? Main.liveServer(
            org.sgdsim.experiment.LiveSettings.from(plan.points().get(0).experiment().resolved()), spec) : null;
        final Path dir = folder(plan, fingerprint);

        final SweepDefinition.Source source = definition.source();
        RunFolder.writeAtomically(dir.resolve("sweep.conf"), "# The sweep as run (file " + source.file()
            + " with its --set overrides).\n" + source.resolved().root().render(ConfigRenderOptions.defaults()
            .setOriginComments(false).setComments(true).setJson(false)));
        RunFolder.writeAtomically(dir.resolve(PLAN), fingerprint);

        if (settings != null)
        {
            final ClusterSweep sweep = new ClusterSweep(plan, dir, settings, quiet ? null : System.err);
            if (server != null)
            {
                server.browse(dir);
                server.cluster(new org.sgdsim.cluster.DashboardView(sweep::status));
            }
            return finish(plan, dir, sweep::requestStop, sweep::run, sweep::runDir, sweep::skipped, sweep::done,
                () -> 0);
        }
        final SweepRunner runner = new SweepRunner(plan, dir, runsAtATime, quiet ? null : System.err);
        if (server != null)
        {
            server.browse(dir);
            runner.onRunStarted(a -> server.register(a.dir(), a.live()));
        }
        return finish(plan, dir, runner::requestStop, runner::run, runner::runDir, runner::skipped, runner::done,
            runner::unfinished);
    }

    /**
     * Runs the sweep (here or on a cluster) with a shutdown hook that stops it, then writes the reports.
     *
     * @param stop    asks the runs to stop (from the hook).
     * @param run     runs what is left; the records in plan order, or null when stopped.
     * @param runDir  the folder holding each run's summary.json and metrics.csv.
     * @param skipped runs finished before.
     * @param done    runs finished now.
     * @param unfinished runs stopped at stop.max-wall (the sweep then ends without reports, to be re-run).
     */
    private int finish(final SweepPlan plan, final Path dir, final Runnable stop,
        final java.util.function.Supplier<List<RunRecord>> run,
        final java.util.function.Function<SweepPlan.Run, Path> runDir, final java.util.function.IntSupplier skipped,
        final java.util.function.IntSupplier done, final java.util.function.IntSupplier unfinished)
    {
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.run();
            try
            {
                finished.await(60, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "sgdsim-sweep-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final PrintWriter stdout = spec.commandLine().getOut();
        try
        {
            final List<RunRecord> records = run.get();
            if (records == null && unfinished.getAsInt() > 0)
            {
                // Not a failure: the runs did what stop.max-wall asked; the reports wait for the last of them.
                spec.commandLine().getErr().println("sgdsim: sweep stopped with " + unfinished.getAsInt()
                    + " runs unfinished at stop.max-wall; resume with: sgdsim sweep " + file + " --out " + dir);
                spec.commandLine().getErr().flush();
                return 0;
            }
            if (records == null)
            {
                spec.commandLine().getErr().println("sgdsim: sweep interrupted after " + done.getAsInt()
                    + " runs; resume with: sgdsim sweep " + file + " --out " + dir
                    + (cluster != null ? " --cluster " + cluster : ""));
                spec.commandLine().getErr().flush();
                return INTERRUPTED;
            }
            if (!plan.online())
            {
                for (final String line : org.sgdsim.experiment.sweep.KindSweepReport.write(plan, dir, runDir))
                {
                    stdout.println(line);
                }
                stdout.flush();
                return 0;
            }
            for (final String line : SweepReport.write(plan, records, dir, runDir))
            {
                stdout.println(line);
            }
            stdout.println(dir + ": " + plan.runs().size() + " runs (" + skipped.getAsInt() + " from before, "
                + done.getAsInt() + " now); runs.csv, summary.csv, fits.json, plots/");
            stdout.flush();
            return 0;
        }
        finally
        {
            if (server != null)
            {
                server.close();
            }
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the hook is running and returns now that the sweep is done
            }
        }
    }

    private SweepDefinition withTimeModel(final SweepDefinition d)
    {
        if (workers != null && workers < 1)
        {
            throw new UserError("--workers: expected a number of workers ≥ 1, got " + workers);
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate)))
        {
            throw new UserError("--rate: expected samples per second > 0, got " + rate);
        }
        if (latency != null && !(latency >= 0 && Double.isFinite(latency)))
        {
            throw new UserError("--latency: expected seconds ≥ 0, got " + latency);
        }
        final SweepDefinition.Report report = d.report();
        final SweepDefinition.TimeModel m = report.timeModel();
        final SweepDefinition.TimeModel model = new SweepDefinition.TimeModel(workers != null ? workers : m.workers(),
            rate != null ? rate : m.rate(), latency != null ? latency : m.latency());
        return new SweepDefinition(d.source(), d.axes(), d.seeds(), d.overrides(),
            new SweepDefinition.Report(model, report.curves(), report.fits()));
    }

    /** True when --out holds this plan as written before {@code data.gaussian} existed (no such field per run). */
    private boolean writtenBeforeGaussianKey(final SweepPlan plan)
    {
        final Path previous = out == null ? null : out.resolve(PLAN);
        try
        {
            return previous != null && Files.isRegularFile(previous)
                && Files.readString(previous, StandardCharsets.UTF_8).equals(plan.fingerprint(false));
        }
        catch (final IOException ex)
        {
            throw new UserError("--out " + out + ": cannot read " + PLAN + ": " + ex.getMessage());
        }
    }

    /** The sweep folder: --out (new, empty, or a folder of the same plan to resume) or a new timestamped one. */
    private Path folder(final SweepPlan plan, final String fingerprint)
    {
        if (out == null)
        {
            return RunFolder.create(plan.points().get(0).experiment().outputDir(), plan.definition().name(), null).dir();
        }
        try
        {
            if (Files.exists(out))
            {
                if (!Files.isDirectory(out))
                {
                    throw new UserError("--out " + out + " exists and is not a directory");
                }
                final boolean empty;
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(out))
                {
                    empty = !entries.iterator().hasNext();
                }
                if (!empty)
                {
                    final Path previous = out.resolve(PLAN);
                    if (!Files.isRegularFile(previous))
                    {
                        throw new UserError("--out " + out + " is not empty and holds no " + PLAN
                            + "; choose a new folder (nothing is overwritten)");
                    }
                    if (!Files.readString(previous, StandardCharsets.UTF_8).equals(fingerprint))
                    {
                        throw new UserError("--out " + out + " holds a different sweep (its " + PLAN + " differs: "
                            + "other grid, seeds or experiment); choose a new folder to run this one");
                    }
                }
            }
            Files.createDirectories(out);
            return out;
        }
        catch (final IOException ex)
        {
            throw new UserError("--out " + out + ": cannot use the folder: " + RunFolder.reason(ex));
        }
    }
}
