package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sgdsim.experiment.Seeds;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.Runs;
import org.sgdsim.experiment.UserError;
import org.sgdsim.web.LiveServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sgdsim run FILE}: one experiment into a run folder. */
@Command(name = "run", description = "Run one experiment and write its run folder.")
final class RunCommand implements java.util.concurrent.Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Experiment file (HOCON), e.g. conf/experiments/quickstart.conf")
    private Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config key (repeatable).")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: <output.dir>/<name>-<time>/); must be new or empty.")
    private Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    private boolean quiet;

    @Option(names = "--reference", description = "Use the single-threaded reference loop (the pipeline's oracle) instead of the pipeline.")
    private boolean reference;

    @Option(names = "--live", description = "Serve the dashboard, Server-Sent Events and Prometheus /metrics while "
        + "the run goes, on live.host:live.port (port 0: any free one); the URL is printed on stderr.")
    private boolean live;

    @Option(names = "--seeds", paramLabel = "A-B|A,B,...", description = "DFA experiments: run these seeds (e.g. 0-4) into one folder with a seeds.csv/seeds.json summary.")
    private String seeds;

    @Option(names = "--parallel", paramLabel = "N", description = "With --seeds: runs at a time (default 1).")
    private int parallel = 1;

    @Override
    public Integer call() throws InterruptedException
    {
        final Experiment experiment = ExperimentConfig.loadAny(file, overrides, Main.applicationConf());
        final PrintWriter stdout = spec.commandLine().getOut();
        if (seeds != null)
        {
            if (live)
            {
                throw new UserError("--live: not with --seeds; ./sgdsim serve FOLDER follows the seeds' runs");
            }
            if (reference)
            {
                throw new UserError("--reference: not with --seeds");
            }
            if (parallel < 1)
            {
                throw new UserError("--parallel: expected a positive number of runs at a time, got " + parallel);
            }
            final Seeds multi = new Seeds(experiment, Seeds.parseSeeds(seeds), parallel, out,
                quiet ? null : System.err);
            final Seeds.Summary summary = Main.untilDone(multi::requestStop, multi::run);
            stdout.println(summary.oneLine());
            stdout.flush();
            return 0;
        }
        if (live && reference)
        {
            throw new UserError("--live: the reference loop has no live feed; drop --reference or --live");
        }
        // Bound before the run folder exists, so a port in use leaves nothing behind.
        try (LiveServer server = live ? Main.liveServer(LiveSettings.from(experiment.resolved()), spec) : null)
        {
            final Runs.Active<?> run = Runs.start(experiment, out, quiet ? null : System.err, reference);
            if (server != null)
            {
                if (run.live() != null)
                {
                    server.register(run.dir(), run.live());
                }
                else
                {
                    // A run without an in-memory feed (DFA: one row per epoch) reaches the dashboard from its folder.
                    server.browse(run.dir());
                }
            }
            stdout.println(finish(run));
            stdout.flush();
            if (server != null)
            {
                server.drain(java.time.Duration.ofSeconds(2));
            }
        }
        return 0;
    }

    private static <R> String finish(final Runs.Active<R> run)
    {
        return run.oneLine(Main.untilDone(run));
    }
}
