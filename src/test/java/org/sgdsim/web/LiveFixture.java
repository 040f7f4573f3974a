package org.sgdsim.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.LiveSettings;
import org.sgdsim.experiment.Runs;

/** Live runs, servers and HTTP for the web tests. */
final class LiveFixture
{
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LiveFixture()
    {
    }

    /** Settings on a free loopback port with short timeouts. */
    static LiveSettings settings()
    {
        return new LiveSettings("127.0.0.1", 0, 4096, Duration.ofSeconds(1), Duration.ofSeconds(1), 64);
    }

    /**
     * An online He2 run on d = 200 with a row every {@code every} steps for at most {@code samples} samples (the
     * pipeline, with its live feed).
     */
    static Runs.Active start(final Path out, final long every, final long samples)
    {
        return start(out, every, samples, "");
    }

    /** As {@link #start(Path, long, long)} with more experiment keys ({@code extra}, HOCON). */
    static Runs.Active start(final Path out, final long every, final long samples, final String extra)
    {
        final ExperimentSpec spec = ExperimentConfig.fromUserConfig(ConfigFactory.parseString(
            "experiment.name = live-test\n"
                + "data.dim = 200\n"
                + "student { width = 2, activation = He2 }\n"
                + "training { learning-rate = \"0.1/d\", normalization = projected }\n"
                + "stop.max-samples = " + samples + "\n"
                + "metrics { every = " + every + ", progress = false }\n"
                + "pipeline.generators = 1\n"
                + "checkpoint.every-seconds = none\n" + extra));
        return Runs.start(spec, out, null, false);
    }

    /** Runs the command line in this JVM with its output dropped; its exit code. */
    static int cli(final String... args)
    {
        final java.io.PrintStream err = System.err;
        final java.io.PrintStream out = System.out;
        try
        {
            System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            return org.sgdsim.cli.Main.execute(args);
        }
        finally
        {
            System.setErr(err);
            System.setOut(out);
        }
    }

    /** GET; returns the response (any status). */
    static HttpResponse<String> get(final String url) throws IOException, InterruptedException
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON object body as a Config (Typesafe Config reads JSON). */
    static Config json(final String body)
    {
        return ConfigFactory.parseString(body, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    }
}
