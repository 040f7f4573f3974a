package org.sgdsim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.UserError;
import org.sgdsim.web.LiveServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sgdsim serve RUNS_DIR}: the live dashboard over the run folders below a directory, until Ctrl-C. */
@Command(name = "serve", description = {
    "Serve the dashboard, Server-Sent Events, JSON and Prometheus /metrics for the run folders under RUNS_DIR:",
    "finished runs are shown, runs another process is writing are followed. Stops on Ctrl-C."})
final class ServeCommand implements java.util.concurrent.Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUNS_DIR", description = "Directory holding run folders (e.g. runs/ or a sweep folder).")
    private Path dir;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (overrides live.port; 0 = any free one).")
    private Integer port;

    @Option(names = "--set", paramLabel = "live.KEY=VALUE", description = "Override a live.* key (repeatable).")
    private List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException
    {
        LiveSettings settings = LiveSettings.from(config());
        if (port != null)
        {
            settings = settings.withPort(port);
        }
        if (!java.nio.file.Files.isDirectory(dir))
        {
            throw new UserError("serve: " + dir + " is not a directory");
        }
        final CountDownLatch stop = new CountDownLatch(1);
        try (LiveServer server = LiveServer.start(settings))
        {
            server.browse(dir);
            final Thread hook = new Thread(stop::countDown, "sgdsim-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getOut().println("sgdsim: serving " + dir + " at " + server.url()
                + " (Ctrl-C stops)");
            spec.commandLine().getOut().flush();
            stop.await();
        }
        return 0;
    }

    /** defaults < conf/application.conf < --set, only live.* keys. */
    private Config config()
    {
        Config user = ConfigFactory.empty();
        for (final String o : overrides)
        {
            final Config one = ExperimentConfig.parseOverride(o);
            for (final String key : one.root().keySet())
            {
                if (!key.equals("live"))
                {
                    throw new UserError("--set: serve takes live.* keys only, got '" + o + "'");
                }
            }
            user = one.withFallback(user);
        }
        final Path application = Main.applicationConf();
        if (application != null)
        {
            final Config app = ConfigFactory.parseFile(application.toFile(), ConfigParseOptions.defaults());
            if (app.hasPath("live"))
            {
                user = user.withFallback(app.withOnlyPath("live"));
            }
        }
        final Config defaults = ExperimentConfig.defaults().withOnlyPath("live");
        for (final String key : user.withOnlyPath("live").entrySet().stream().map(java.util.Map.Entry::getKey).toList())
        {
            if (!defaults.hasPath(key))
            {
                throw new UserError("--set: unknown key '" + key + "'; live keys are "
                    + defaults.getConfig("live").root().keySet());
            }
        }
        return user.withFallback(defaults).resolve();
    }
}
