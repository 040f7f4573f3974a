package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.sgdsim.experiment.Runs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sgdsim resume RUN_DIR}: continues an interrupted or crashed run from its newest valid checkpoint. */
@Command(name = "resume", description = "Continue a run from its newest valid checkpoint; its files end as if never interrupted.")
final class ResumeCommand implements java.util.concurrent.Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder (with config.conf and checkpoints/).")
    private Path dir;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    private boolean quiet;

    @Option(names = "--set", paramLabel = "stop.KEY=VALUE",
        description = "Override a stop.* key for the rest of the run, e.g. a fresh stop.max-wall=2h (other keys are fixed).")
    private java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--restart", description = "Start the run over when checkpoints exist but none is intact.")
    private boolean restart;

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        final Runs.Active<?> run = Runs.resume(dir, restart, overrides, quiet ? null : System.err, note ->
        {
            err.println("sgdsim: " + note);
            err.flush();
        });
        spec.commandLine().getOut().println(finish(run));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static <R> String finish(final Runs.Active<R> run)
    {
        return run.oneLine(Main.untilDone(run));
    }
}
