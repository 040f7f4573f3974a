package org.sgdsim.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.UserError;

/**
 * The {@code cluster { }} settings of a node, checked once: built-in defaults, then the {@code cluster} section of
 * {@code conf/application.conf}, then {@code --set cluster.key=value}. Unknown keys and bad values are one-line
 * {@link UserError}s.
 *
 * @param node       this node's address.
 * @param membership the cluster it joins and how it watches the others.
 * @param worker     what a worker runs, and where.
 * @param transport  how nodes talk: mutual TLS or plain TCP.
 */
public record ClusterSettings(Node node, Membership membership, Worker worker, Transport transport)
{
    /** Port of a seed node when {@code cluster.port = auto}. */
    public static final int SEED_PORT = 2552;
    private static final String DEFAULTS = "org/sgdsim/cluster/defaults.conf";
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]*";

    /**
     * This node's address.
     *
     * @param host     address bound and announced.
     * @param port     port of this node, or -1 for the role's default.
     * @param bindHost address bound when it differs from {@code host}.
     */
    public record Node(String host, int port, String bindHost)
    {
    }

    /**
     * The cluster a node joins.
     *
     * @param name        actor-system name shared by every node.
     * @param seedNodes   seed nodes as {@code HOST:PORT}.
     * @param downAfter   split brain resolver's stable-after.
     * @param joinTimeout how long a sweep coordinator waits to become a member.
     */
    public record Membership(String name, List<String> seedNodes, Duration downAfter, Duration joinTimeout)
    {
        /** Copies the seed list. */
        public Membership
        {
            seedNodes = List.copyOf(seedNodes);
        }
    }

    /**
     * A worker's runs.
     *
     * @param parallel runs at a time on a worker.
     * @param dir      parent of a worker's run folders.
     */
    public record Worker(int parallel, Path dir)
    {
    }

    /**
     * How nodes talk.
     *
     * @param tlsDir   folder of the {@link ClusterKeys} for mutual TLS, or null for plain TCP.
     * @param insecure allow plain TCP on an address other machines can reach.
     */
    public record Transport(Path tlsDir, boolean insecure)
    {
    }

    /**
     * Reads the settings.
     *
     * @param application {@code conf/application.conf}, or null.
     * @param overrides   {@code key=value} strings; keys outside {@code cluster.} are ignored here.
     */
    public static ClusterSettings load(final Path application, final List<String> overrides)
    {
        Config user = ConfigFactory.empty();
        if (application != null && Files.isRegularFile(application))
        {
            try
            {
                final Config app = ConfigFactory.parseFile(application.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false));
                if (app.hasPath("cluster"))
                {
                    user = app.withOnlyPath("cluster");
                }
            }
            catch (final ConfigException ex)
            {
                throw new UserError(ex.getMessage().replace('\n', ' '));
            }
        }
        for (final String override : overrides)
        {
            final int eq = override.indexOf('=');
            if (eq > 0 && override.substring(0, eq).trim().startsWith("cluster."))
            {
                user = ExperimentConfig.parseOverride(override).withFallback(user);
            }
        }
        return fromUserConfig(user);
    }

    /** Validates user layers holding a {@code cluster} section (or nothing) and builds the settings. */
    public static ClusterSettings fromUserConfig(final Config userLayers)
    {
        final Config defaults = ConfigFactory.parseResources(ClusterSettings.class.getClassLoader(), DEFAULTS,
            ConfigParseOptions.defaults().setAllowMissing(false));
        final Config user;
        try
        {
            user = userLayers.resolve();
        }
        catch (final ConfigException ex)
        {
            throw new UserError(ex.getMessage().replace('\n', ' '));
        }
        final Set<String> known = new TreeSet<>();
        for (final Map.Entry<String, ConfigValue> e : defaults.entrySet())
        {
            known.add(e.getKey());
        }
        for (final Map.Entry<String, ConfigValue> e : user.entrySet())
        {
            if (e.getKey().startsWith("cluster.") && !known.contains(e.getKey()))
            {
                throw new UserError(where(e.getValue()) + "unknown key '" + e.getKey() + "'; expected one of "
                    + String.join(", ", known));
            }
        }
        final Config c = user.withFallback(defaults);
        final String name = string(c, "cluster.name");
        if (!name.matches(NAME_PATTERN))
        {
            throw error(c, "cluster.name", "a name of letters, digits, - and _", name);
        }
        final String host = string(c, "cluster.host");
        if (host.isBlank() || host.contains(" ") || host.contains(":") && !host.startsWith("["))
        {
            throw error(c, "cluster.host", "a host name or IP address", host);
        }
        final int port = isWord(c, "cluster.port", "auto") ? -1 : port(c, "cluster.port");
        final String bindHost = isWord(c, "cluster.bind-host", "same") ? host : string(c, "cluster.bind-host");
        final List<String> seeds = new ArrayList<>();
        final ConfigValue seedValue = c.getValue("cluster.seed-nodes");
        if (seedValue.valueType() != ConfigValueType.LIST)
        {
            throw error(c, "cluster.seed-nodes", "a list of \"HOST:PORT\"", seedValue.unwrapped());
        }
        for (final ConfigValue v : (ConfigList)seedValue)
        {
            if (v.valueType() != ConfigValueType.STRING)
            {
                throw error(c, "cluster.seed-nodes", "a list of \"HOST:PORT\"", seedValue.unwrapped());
            }
            seeds.add(hostPort("cluster.seed-nodes", (String)v.unwrapped()));
        }
        if (seeds.isEmpty())
        {
            throw error(c, "cluster.seed-nodes", "at least one \"HOST:PORT\"", "[]");
        }
        final Duration downAfter = duration(c, "cluster.down-after");
        final Duration joinTimeout = duration(c, "cluster.join-timeout");
        final int parallel;
        if (isWord(c, "cluster.worker.parallel", "auto"))
        {
            parallel = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
        else
        {
            final ConfigValue v = c.getValue("cluster.worker.parallel");
            if (v.valueType() != ConfigValueType.NUMBER || ((Number)v.unwrapped()).doubleValue() < 1
                || ((Number)v.unwrapped()).doubleValue() > 1024
                || ((Number)v.unwrapped()).doubleValue() != Math.rint(((Number)v.unwrapped()).doubleValue()))
            {
                throw error(c, "cluster.worker.parallel", "auto or an integer in [1, 1024]", v.unwrapped());
            }
            parallel = ((Number)v.unwrapped()).intValue();
        }
        final String dir = string(c, "cluster.worker.dir");
        if (dir.isBlank())
        {
            throw error(c, "cluster.worker.dir", "a folder", dir);
        }
        final String tls = string(c, "cluster.tls.dir");
        final ConfigValue insecure = c.getValue("cluster.insecure");
        if (insecure.valueType() != ConfigValueType.BOOLEAN)
        {
            throw error(c, "cluster.insecure", "true or false", insecure.unwrapped());
        }
        return new ClusterSettings(new Node(host, port, bindHost), new Membership(name, seeds, downAfter, joinTimeout),
            new Worker(parallel, Path.of(dir)),
            new Transport(tls.equals("none") || tls.isBlank() ? null : Path.of(tls), (Boolean)insecure.unwrapped()));
    }

    /**
     * Refuses plain TCP on an address other machines can reach (bound or announced), unless cluster.insecure;
     * checks the key stores of cluster.tls.dir and returns their password (null without TLS).
     */
    public String checkTransport()
    {
        if (transport.tlsDir() != null)
        {
            return new ClusterKeys(transport.tlsDir()).checkedPassword();
        }
        if (!transport.insecure())
        {
            for (final String h : List.of(node.host(), node.bindHost()))
            {
                if (!isLoopback(h))
                {
                    throw new UserError("cluster.host / cluster.bind-host " + h + " is reachable from other machines "
                        + "and the cluster has no TLS: give the keys with --set cluster.tls.dir=DIR (make them with "
                        + "`sgdsim cluster keygen DIR`), or set cluster.insecure = true on a network you trust");
                }
            }
        }
        return null;
    }

    private static boolean isLoopback(final String h)
    {
        try
        {
            // Only literal addresses and names this machine resolves to loopback count; an unknown name is not.
            return java.net.InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h)
                .isLoopbackAddress();
        }
        catch (final java.net.UnknownHostException ex)
        {
            return false;
        }
    }

    /** The same settings joining through other seed nodes. */
    public ClusterSettings withSeedNodes(final List<String> seeds)
    {
        return new ClusterSettings(node, new Membership(membership.name(), seeds, membership.downAfter(),
            membership.joinTimeout()), worker, transport);
    }

    /** The same settings with another number of runs at a time. */
    public ClusterSettings withParallel(final int runsAtATime)
    {
        return new ClusterSettings(node, membership, new Worker(runsAtATime, worker.dir()), transport);
    }

    /**
     * Checks a {@code HOST:PORT} given on the command line or in {@code cluster.seed-nodes}.
     *
     * @param what names the option or key in the error.
     */
    public static String hostPort(final String what, final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new UserError(what + ": expected HOST:PORT, got '" + text + "'");
        }
        try
        {
            final int p = Integer.parseInt(text.substring(colon + 1));
            if (p < 1 || p > 65535)
            {
                throw new NumberFormatException();
            }
        }
        catch (final NumberFormatException ex)
        {
            throw new UserError(what + ": expected HOST:PORT with a port in [1, 65535], got '" + text + "'");
        }
        return text;
    }

    /**
     * The actor-system configuration of a node: Artery TCP on {@code host:port}, the cluster provider with the
     * seed nodes, the split brain resolver, CBOR for every {@link CborSerializable} message.
     *
     * @param role        the node's cluster role (seed, worker or coordinator).
     * @param defaultPort the port when {@code cluster.port = auto}.
     * @param password    the password of the key stores of cluster.tls.dir ({@link #checkTransport()}), or null.
     */
    public Config pekko(final String role, final int defaultPort, final String password)
    {
        final int p = node.port() >= 0 ? node.port() : defaultPort;
        final List<String> seeds = new ArrayList<>();
        for (final String s : membership.seedNodes())
        {
            seeds.add(ConfigUtil.quoteString("pekko://" + membership.name() + "@" + s));
        }
        final String text = String.join("\n",
            "pekko {",
            "  loglevel = WARNING",
            "  stdout-loglevel = WARNING",
            "  log-dead-letters = off",
            "  log-dead-letters-during-shutdown = off",
            "  # a stopping worker first drains its runs to a checkpoint (ClusterNode.DRAIN)",
            "  coordinated-shutdown.phases.before-service-unbind.timeout = 35s",
            "  actor {",
            "    provider = cluster",
            "    serialization-bindings { \"" + CborSerializable.class.getName() + "\" = jackson-cbor }",
            "  }",
            "  remote.artery {",
            "    transport = " + (transport.tlsDir() == null ? "tcp" : "tls-tcp"),
            transport.tlsDir() == null ? "" : tls(password),
            "    canonical { hostname = " + ConfigUtil.quoteString(node.host()) + ", port = " + p + " }",
            "    bind { hostname = " + ConfigUtil.quoteString(node.bindHost()) + ", port = " + p + " }",
            "  }",
            "  cluster {",
            "    seed-nodes = [" + String.join(", ", seeds) + "]",
            "    roles = [" + ConfigUtil.quoteString(role) + "]",
            "    downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"",
            "    split-brain-resolver { active-strategy = keep-majority, stable-after = "
                + membership.downAfter().toMillis() + "ms }",
            "    jmx.multi-mbeans-in-same-jvm = on",
            "    log-info = off",
            "  }",
            "}");
        return ConfigFactory.parseString(text);
    }

    /**
     * Artery's TLS with the default engine provider: both sides present the cluster identity and accept only
     * certificates chained to the cluster CA (the trust store holds nothing else). No hostname is checked: every
     * node presents the same identity, wherever the batch system put it.
     */
    private String tls(final String password)
    {
        final ClusterKeys keys = new ClusterKeys(transport.tlsDir());
        final String pw = ConfigUtil.quoteString(password);
        return String.join("\n",
            "    ssl.config-ssl-engine {",
            "      key-store = " + ConfigUtil.quoteString(keys.nodeStore().toAbsolutePath().toString()),
            "      trust-store = " + ConfigUtil.quoteString(keys.trustStore().toAbsolutePath().toString()),
            "      key-store-password = " + pw + ", key-password = " + pw + ", trust-store-password = " + pw,
            "      protocol = \"TLSv1.3\"",
            "      enabled-algorithms = [\"TLS_AES_256_GCM_SHA384\", \"TLS_AES_128_GCM_SHA256\"]",
            "      require-mutual-authentication = on",
            "      hostname-verification = off",
            "    }");
    }

    private static boolean isWord(final Config c, final String key, final String word)
    {
        final ConfigValue v = c.getValue(key);
        return v.valueType() == ConfigValueType.STRING && word.equals(v.unwrapped());
    }

    private static String string(final Config c, final String key)
    {
        final ConfigValue v = c.getValue(key);
        if (v.valueType() != ConfigValueType.STRING)
        {
            throw error(c, key, "a string", v.unwrapped());
        }
        return (String)v.unwrapped();
    }

    private static int port(final Config c, final String key)
    {
        final ConfigValue v = c.getValue(key);
        if (v.valueType() != ConfigValueType.NUMBER)
        {
            throw error(c, key, "auto or a port in [0, 65535] (0 = any free port)", v.unwrapped());
        }
        final double d = ((Number)v.unwrapped()).doubleValue();
        if (d < 0 || d > 65535 || d != Math.rint(d))
        {
            throw error(c, key, "auto or a port in [0, 65535] (0 = any free port)", v.unwrapped());
        }
        return (int)d;
    }

    private static Duration duration(final Config c, final String key)
    {
        try
        {
            final Duration d = c.getDuration(key);
            if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(24)) > 0)
            {
                throw error(c, key, "a duration between 100ms and 24h such as 10s", c.getValue(key).unwrapped());
            }
            return d;
        }
        catch (final ConfigException ex)
        {
            throw error(c, key, "a duration such as 10s", c.getValue(key).unwrapped());
        }
    }

    private static UserError error(final Config c, final String key, final String expected, final Object got)
    {
        return new UserError(where(c.getValue(key)) + key + ": expected " + expected + ", got "
            + (got instanceof String s ? "'" + s + "'" : String.valueOf(got)));
    }

    private static String where(final ConfigValue value)
    {
        final String file = value.origin().filename();
        if (file != null && value.origin().lineNumber() > 0)
        {
            return Path.of(file).getFileName() + ":" + value.origin().lineNumber() + ": ";
        }
        final String description = value.origin().description();
        return description != null && description.startsWith("--set") ? "--set: " : "";
    }
}
