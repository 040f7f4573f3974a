package org.sgdsim.experiment.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.UserError;
import org.sgdsim.math.GaussianAlgorithm;

/**
 * Reads an experiment: built-in defaults &lt; {@code conf/application.conf} &lt; the experiment file &lt;
 * {@code --set key=value}, rejects unknown keys, and hands the result to the reader of its {@code experiment.kind},
 * which reads it section by section into an immutable {@link Experiment}. Every problem is a {@link UserError} whose one-line message names the key and what was expected.
 */
public final class ExperimentConfig
{
    private static final String DEFAULTS = "org/sgdsim/experiment/defaults.conf";

    private ExperimentConfig()
    {
    }

    /** The built-in defaults. */
    public static Config defaults()
    {
        return Defaults.CONFIG;
    }

    /** Parsed once per process: a sweep validates every run against them, and a Config is immutable. */
    private static final class Defaults
    {
        static final Config CONFIG = ConfigFactory.parseResources(ExperimentConfig.class.getClassLoader(), DEFAULTS,
            ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * Loads and validates an experiment file with overrides.
     *
     * @param file        the experiment file.
     * @param overrides   {@code key=value} strings, applied in order.
     * @param application an optional {@code application.conf} layer (null when absent).
     */
    public static ExperimentSpec load(final Path file, final List<String> overrides, final Path application)
    {
        return fromUserConfig(userLayers(file, overrides, application));
    }

    /** As {@link #load}, for an experiment of either kind ({@code experiment.kind}). */
    public static Experiment loadAny(final Path file, final List<String> overrides, final Path application)
    {
        return fromUserConfigAny(userLayers(file, overrides, application));
    }

    /**
     * The experiment of a run folder's {@code config.conf}, of either kind. A folder written before
     * {@code data.gaussian} existed does not set it and gets {@link GaussianAlgorithm#LEGACY}, the generator it was
     * started with, so it resumes bit for bit.
     */
    public static Experiment loadRunFolder(final Path config)
    {
        return loadRunFolder(config, List.of());
    }

    /** As {@link #loadRunFolder(Path)} under {@code overrides} (resume's stop.* keys). */
    public static Experiment loadRunFolder(final Path config, final List<String> overrides)
    {
        return fromUserConfigAny(withLegacyGaussian(userLayers(config, overrides, null)));
    }

    /** {@code user} with {@code data.gaussian = ziggurat} when it does not set the key (written before it existed). */
    public static Config withLegacyGaussian(final Config user)
    {
        return user.hasPath("data.gaussian") ? user
            : user.withValue("data.gaussian", ConfigValueFactory.fromAnyRef(GaussianAlgorithm.LEGACY.key()));
    }

    /** The user layers of an experiment file: the file over {@code application.conf}, under the overrides. */
    private static Config userLayers(final Path file, final List<String> overrides, final Path application)
    {
        if (!Files.isRegularFile(file))
        {
            throw new UserError("experiment file " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file))
        {
            throw new UserError("experiment file " + file + " is not readable");
        }
        Config user = parseFile(file);
        if (application != null && Files.isRegularFile(application))
        {
            user = user.withFallback(parseFile(application));
        }
        for (final String override : overrides)
        {
            user = parseOverride(override).withFallback(user);
        }
        return user;
    }

    /** Validates user layers (everything but the defaults) and builds the spec of an online experiment. */
    public static ExperimentSpec fromUserConfig(final Config userLayers)
    {
        final Experiment any = fromUserConfigAny(userLayers);
        if (any instanceof ExperimentSpec spec)
        {
            return spec;
        }
        throw new UserError("experiment.kind = " + any.kind().name()
            + ": this command takes online experiments only (use ./sgdsim run)");
    }

    /** Validates user layers and builds the spec of either kind. */
    public static Experiment fromUserConfigAny(final Config userLayers)
    {
        final Config user;
        try
        {
            user = userLayers.resolve();
        }
        catch (final ConfigException ex)
        {
            throw new UserError(oneLine(ex));
        }
        rejectUnknownKeys(user);
        try
        {
            final ConfigReader reader = new ConfigReader(user.withFallback(defaults()), user);
            final String kind = reader.string("experiment.kind");
            if (kind.equals("online") || kind.equals("dfa") || kind.equals(org.sgdsim.giant.GiantKind.NAME))
            {
                org.sgdsim.giant.GiantConfig.rejectOutside(kind, user);
            }
            return switch (kind)
            {
                case "online" -> OnlineSpecReader.read(reader);
                case "dfa" -> DfaSpecReader.read(reader);
                case org.sgdsim.giant.GiantKind.NAME -> org.sgdsim.giant.GiantConfig.read(new KindReader(reader));
                default -> throw reader.error("experiment.kind", "online, dfa or " + org.sgdsim.giant.GiantKind.NAME,
                    kind);
            };
        }
        catch (final ConfigException ex)
        {
            // e.g. a key set to null: Typesafe Config's message names the key and the file:line
            throw new UserError(oneLine(ex));
        }
    }

    /** Typed reads of an already validated, resolved configuration (a spec's {@code resolved()}). */
    public static KindReader reader(final Config resolved)
    {
        return new KindReader(new ConfigReader(resolved, resolved));
    }

    /** Parses one {@code key=value} override; the value is HOCON when it parses, a plain string otherwise. */
    public static Config parseOverride(final String override)
    {
        final int eq = override.indexOf('=');
        if (eq <= 0)
        {
            throw new UserError("--set expects key=value, got '" + override + "'");
        }
        final String key = override.substring(0, eq).trim();
        final String value = override.substring(eq + 1).trim();
        try
        {
            ConfigFactory.parseString(key + " = null");
        }
        catch (final ConfigException ex)
        {
            throw new UserError("--set: '" + key + "' is not a valid key");
        }
        Config parsed;
        try
        {
            parsed = ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults()
                .setOriginDescription("--set " + key));
            if (!parsed.hasPathOrNull(key))
            {
                throw new ConfigException.Generic("not a single value");
            }
        }
        catch (final ConfigException ex)
        {
            parsed = ConfigFactory.empty("--set " + key).withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + key));
        }
        return parsed;
    }

    /** Parses one HOCON file; a syntax error is a {@link UserError} naming the file and line. */
    public static Config parseFile(final Path file)
    {
        try
        {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (final ConfigException ex)
        {
            throw new UserError(oneLine(ex));
        }
    }

    private static String oneLine(final ConfigException ex)
    {
        return ex.getMessage().replace('\n', ' ');
    }

    /** Rejects a key of the user's layers that no section knows, naming it with the nearest known key. */
    public static void rejectUnknownKeys(final Config user)
    {
        UnknownKeys.reject(user);
    }

    /** The file:line prefix of a user's value in messages ({@code quickstart.conf:12: }, {@code --set: }), or empty. */
    public static String where(final ConfigValue value)
    {
        final String description = value.origin().description();
        if (description == null || description.startsWith("org/sgdsim") || description.contains("defaults.conf"))
        {
            return "";
        }
        final String file = value.origin().filename();
        if (file != null)
        {
            return new File(file).getName() + ":" + value.origin().lineNumber() + ": ";
        }
        return description.startsWith("--set") ? "--set: " : "";
    }
}
