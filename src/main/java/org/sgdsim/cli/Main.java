package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.sgdsim.experiment.Runs;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.Version;
import org.sgdsim.metrics.RunResult;
import org.sgdsim.stream.plane.StageFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the sgdsim command line. */
@Command(
    name = "sgdsim",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Streaming simulator of online SGD and feedback alignment in high dimension.")
public final class Main implements Runnable
{
    /** Exit code for errors the user caused (bad config, CLI or files). */
    public static final int USER_ERROR = 2;
    /** Exit code for a run that failed at run time. */
    public static final int RUN_FAILED = 1;

    /** The subcommands, in the order the usage lists them. */
    private static final Class<?>[] COMMANDS = {RunCommand.class, ResumeCommand.class, SweepCommand.class,
        ServeCommand.class, ClusterCommand.class, BenchCommand.class, TheoryCommand.class, OpticsCostCommand.class,
        VersionCommand.class, CommandLine.HelpCommand.class};

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        startEngineAhead(java.util.List.of(args));
        System.exit(execute(args));
    }

    /**
     * A pipeline run or a local sweep will spawn into the process's actor system: start it now, so that its start-up
     * (0.2 s or more of a cold JVM) overlaps parsing the command and reading the experiment instead of delaying the
     * first run. Started without a pekko section, which almost every experiment has; a first run whose section differs
     * starts its own. Not for {@code --reference} runs, which use no actor and are timed against the pipeline.
     */
    private static void startEngineAhead(final java.util.List<String> args)
    {
        final boolean pipelineRun = !args.isEmpty() && args.get(0).equals("run")
            && args.stream().noneMatch(a -> a.startsWith("--reference"));
        final boolean localSweep = !args.isEmpty() && args.get(0).equals("sweep")
            && args.stream().noneMatch(a -> a.startsWith("--cluster"));
        if (pipelineRun || localSweep)
        {
            org.sgdsim.stream.Engine.prestart(com.typesafe.config.ConfigFactory.empty());
        }
    }

    /** Runs the command line and returns its exit code (used by tests). */
    public static int execute(final String... args)
    {
        return commandLine(args.length > 0 ? args[0] : null).execute(args);
    }

    /** The configured picocli command line with every subcommand. */
    static CommandLine commandLine()
    {
        return commandLine(null);
    }

    /**
     * The command line for a call whose first word is {@code first}: when it names a subcommand, only that one is
     * built (picocli reads each command's annotations by reflection: all ten cost about 0.1 s of every start);
     * otherwise (usage, help, a typo) all of them.
     */
    private static CommandLine commandLine(final String first)
    {
        final CommandLine cl = new CommandLine(new Main());
        final Class<?> named = java.util.Arrays.stream(COMMANDS).filter(c -> c != CommandLine.HelpCommand.class
            && c.getAnnotation(Command.class).name().equals(first)).findFirst().orElse(null);
        for (final Class<?> command : named != null ? new Class<?>[] {named} : COMMANDS)
        {
            cl.addSubcommand(command);
        }
        cl.setExecutionExceptionHandler(Main::onException);
        cl.setParameterExceptionHandler(Main::onBadArguments);
        return cl;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command-line mistake: one line naming it and where to read the usage, exit code 2. */
    private static int onBadArguments(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine cl = ex.getCommandLine();
        final String command = cl.getCommandSpec().qualifiedName(" ");
        cl.getErr().println("sgdsim: " + ex.getMessage().replace('\n', ' ') + " (see '"
            + (command.equals("sgdsim") ? "sgdsim --help" : "sgdsim help " + cl.getCommandName()) + "')");
        cl.getErr().flush();
        return USER_ERROR;
    }

    private static int onException(final Exception ex, final CommandLine cl, final CommandLine.ParseResult parsed)
    {
        final PrintWriter err = cl.getErr();
        if (ex instanceof UserError)
        {
            err.println("sgdsim: " + ex.getMessage());
            err.flush();
            return USER_ERROR;
        }
        if (ex instanceof StageFailedException)
        {
            err.println("sgdsim: " + ex.getMessage());
            err.flush();
            return RUN_FAILED;
        }
        err.println("sgdsim: run failed: " + ex);
        if (System.getenv("SGDSIM_DEBUG") != null)
        {
            ex.printStackTrace(err);
        }
        else
        {
            err.println("sgdsim: (set SGDSIM_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return RUN_FAILED;
    }

    /** The conf/application.conf layer: under -Dsgdsim.home when the launcher sets it, else the working directory. */
    static Path applicationConf()
    {
        final String home = System.getProperty("sgdsim.home");
        final Path candidate = (home != null ? Path.of(home) : Path.of("")).resolve("conf").resolve("application.conf");
        return Files.isRegularFile(candidate) ? candidate : null;
    }

    /**
     * Waits for a run to end. The first SIGINT or SIGTERM meanwhile asks it to drain — stop after the current
     * batch, checkpoint, write the summary — and the command then exits normally (code 0); a second one ends the
     * JVM at once (code 130). A shutdown hook covers the other ways a JVM is asked to exit.
     */
    static <R> R untilDone(final Runs.Active<R> run)
    {
        return untilDone(run::requestStop, run::finish);
    }

    /** As {@link #untilDone(Runs.Active)} for anything that runs: {@code stop} drains it, {@code finish} waits for it. */
    static <R> R untilDone(final Runnable stop, final java.util.function.Supplier<R> finish)
    {
        final CountDownLatch finished = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
        final sun.misc.SignalHandler drain = signal ->
        {
            if (draining.getAndSet(true))
            {
                Runtime.getRuntime().halt(130);
            }
            stop.run();
        };
        final java.util.List<sun.misc.Signal> signals = java.util.List.of(new sun.misc.Signal("INT"),
            new sun.misc.Signal("TERM"));
        final java.util.List<sun.misc.SignalHandler> previous = new java.util.ArrayList<>();
        for (final sun.misc.Signal signal : signals)
        {
            previous.add(sun.misc.Signal.handle(signal, drain));
        }
        final Thread hook = new Thread(() ->
        {
            stop.run();
            try
            {
                finished.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "sgdsim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            return finish.get();
        }
        finally
        {
            finished.countDown();
            for (int i = 0; i < signals.size(); i++)
            {
                sun.misc.Signal.handle(signals.get(i), previous.get(i));
            }
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the hook is running and returns now that the run is done
            }
        }
    }

    /** Starts the live server and tells the user where it is (stderr: stdout keeps the command's result line). */
    static org.sgdsim.web.LiveServer liveServer(final org.sgdsim.experiment.LiveSettings settings,
        final CommandLine.Model.CommandSpec command)
    {
        final org.sgdsim.web.LiveServer server = org.sgdsim.web.LiveServer.start(settings);
        command.commandLine().getErr().println("sgdsim: live dashboard at " + server.url()
            + " (events: /events?run=ID, Prometheus: /metrics)");
        command.commandLine().getErr().flush();
        return server;
    }

    /** Supplies --version. */
    static final class VersionProvider implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"sgdsim " + Version.get()};
        }
    }
}
