package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sgdsim.experiment.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Runs;
import org.sgdsim.metrics.RunResult;
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

    @Override
    public Integer call() throws InterruptedException
    {
        final ExperimentSpec experiment = ExperimentConfig.load(file, overrides, Main.applicationConf());
        if (live && reference)
        {
            throw new UserError("--live: the reference loop has no live feed; drop --reference or --live");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        // Bound before the run folder exists, so a port in use leaves nothing behind.
        try (LiveServer server = live ? Main.liveServer(LiveSettings.from(experiment.resolved()), spec) : null)
        {
            final Runs.Active run = Runs.start(experiment, out, quiet ? null : System.err, reference);
            if (server != null)
            {
                server.register(run.dir(), run.live());
            }
            final RunResult r = Main.untilDone(run);
            stdout.println(oneLine(run, r));
            stdout.flush();
            if (server != null)
            {
                server.drain(java.time.Duration.ofSeconds(2));
            }
        }
        return 0;
    }

    static String oneLine(final Runs.Active run, final RunResult r)
    {
        final StringBuilder s = new StringBuilder();
        s.append(run.dir()).append(": ").append(r.steps()).append(" steps, ").append(r.samples()).append(" samples, ");
        for (int c = 0; c < r.finalOverlaps().k(); c++)
        {
            s.append(String.format("max_cos_%d %.4f, ", c + 1, r.finalOverlaps().maxCos(c)));
        }
        s.append(String.format("risk %.5g, %.1f s", r.finalRisk(), r.wallSeconds()));
        if (run.spec().stop().when() != null)
        {
            s.append(r.reached()
                ? String.format(", reached %s at step %d (%d samples)", run.spec().stop().when().describe(),
                    r.stepsToThreshold(), r.samplesToThreshold())
                : ", threshold not reached");
        }
        s.append(" [").append(r.stopReason().configName()).append(']');
        return s.toString();
    }
}
