package org.sgdsim.experiment.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import org.sgdsim.experiment.Experiment;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.Footprint;
import org.sgdsim.experiment.RunKind;
import org.sgdsim.experiment.UserError;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.metrics.Threshold;

/**
 * The expansion of a sweep into grid points and runs, every one validated by the experiment's own rules before
 * anything runs. Layers of a run, highest first: its seed, the grid values (later axes above earlier ones),
 * {@code --set} experiment overrides, the sweep's {@code set}, the experiment file, {@code conf/application.conf},
 * the built-in defaults.
 */
public final class SweepPlan
{
    // Rendered in a point's settings in place of each run's seed, then replaced by it (a run whose seed is this very
    // number gets itself back, so any seed is fine).
    private static final long SEED_STAND_IN = Long.MIN_VALUE + 0x5eed;

    private final SweepDefinition definition;
    private final List<Point> points;
    private final List<Run> runs;

    /**
     * One combination of grid values.
     *
     * @param index  position in the grid (first axis slowest).
     * @param labels the value label of each axis, in axis order.
     * @param id     folder-safe name, unique within the sweep.
     * @param user   the user layers of the point (without the seed).
     * @param experiment the point's experiment at its base seed, of any run kind.
     */
    public record Point(int index, List<String> labels, String id, Config user, Experiment experiment)
    {
        /** The point's online experiment (the scaling reports, curves and fits are the online kind's). */
        public ExperimentSpec spec()
        {
            return online(experiment);
        }

        /** The point with one more experiment override on top (used to draw theory lines between grid values). */
        public ExperimentSpec specWith(final String key, final Object value)
        {
            return ExperimentConfig.fromUserConfig(ConfigFactory.empty().withValue(key,
                ConfigValueFactory.fromAnyRef(value)).withFallback(user));
        }
    }

    /**
     * One run of one point: its seed, its folder name under {@code runs/}, its experiment and its user layers
     * (everything but the built-in defaults). A run whose settings differ from its point's by experiment.seed alone
     * keeps only the seed and derives the rest when asked: 10^5 runs must fit a sweep coordinator's heap.
     */
    public static final class Run
    {
        private final Point point;
        private final long seed;
        private final String folder;
        private final Experiment spec;
        private final Config user;

        Run(final Point point, final long seed, final String folder, final Experiment spec, final Config user)
        {
            this.point = point;
            this.seed = seed;
            this.folder = folder;
            this.spec = spec;
            this.user = user;
        }

        /** Its grid point. */
        public Point point()
        {
            return point;
        }

        /** Its experiment.seed. */
        public long seed()
        {
            return seed;
        }

        /** Its folder name under {@code runs/}. */
        public String folder()
        {
            return folder;
        }

        /** Its experiment, of any run kind. */
        public Experiment experiment()
        {
            return spec != null ? spec : withSeed(point.experiment(), seed);
        }

        /** Its online experiment (see {@link Point#spec()}). */
        public ExperimentSpec spec()
        {
            return online(experiment());
        }

        /** Its user layers (everything but the built-in defaults). */
        public Config user()
        {
            return user != null ? user : seedLayer(seed).withFallback(point.user());
        }
    }

    private SweepPlan(final SweepDefinition definition, final List<Point> points, final List<Run> runs)
    {
        this.definition = definition;
        this.points = List.copyOf(points);
        this.runs = List.copyOf(runs);
    }

    /**
     * Expands and validates the grid.
     *
     * @param definition  the sweep.
     * @param application the {@code conf/application.conf} layer, or null.
     * @param generators  {@code pipeline.generators} for runs whose layers do not set it.
     */
    public static SweepPlan expand(final SweepDefinition definition, final Path application, final int generators)
    {
        Config base = parse(definition.source().experiment());
        if (application != null && Files.isRegularFile(application))
        {
            base = base.withFallback(parse(application));
        }
        base = definition.overrides().onto(base);
        if (!base.hasPath("output.plots"))
        {
            // A sweep draws its own plots; per-run PNG/SVG would cost more than a short run (output.plots = true).
            base = base.withValue("output.plots", ConfigValueFactory.fromAnyRef(false));
        }
        if (!base.hasPath("output.fsync"))
        {
            // A sweep redoes any run it finds unfinished or torn: its runs need not force each file to disk.
            base = base.withValue("output.fsync", ConfigValueFactory.fromAnyRef(false));
        }
        if (!base.hasPath("pipeline.generators"))
        {
            // Several runs share the cores: one generator each unless the experiment says otherwise.
            base = base.withValue("pipeline.generators", ConfigValueFactory.fromAnyRef(generators));
        }

        final List<Axis> axes = definition.axes();
        int count = 1;
        for (final Axis axis : axes)
        {
            count *= axis.levels().size();
        }
        final List<Point> points = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        final List<String> rawIds = new ArrayList<>();
        for (int index = 0; index < count; index++)
        {
            rawIds.add(rawId(axes, levels(axes, index)));
        }
        final Map<String, Integer> seen = new HashMap<>();
        for (final String id : rawIds)
        {
            seen.merge(id, 1, Integer::sum);
        }
        for (int index = 0; index < count; index++)
        {
            final int[] level = levels(axes, index);
            Config user = base;
            final List<String> labels = new ArrayList<>();
            for (int a = 0; a < axes.size(); a++)
            {
                final Axis.Level l = axes.get(a).levels().get(level[a]);
                user = l.overlay().withFallback(user);
                labels.add(l.label());
            }
            // Sanitising can merge two labels (d^1.5 and d_1.5): number such points to keep folders apart.
            String id = rawIds.get(index);
            if (seen.get(id) > 1 || !ids.add(id))
            {
                id = String.format("p%03d-%s", index, id);
                ids.add(id);
            }
            final String describe = describe(axes, labels);
            final Experiment spec = validate(definition, describe, user);
            if (!points.isEmpty() && spec.kind() != points.get(0).experiment().kind())
            {
                throw new UserError("sweep " + definition.source().file().getFileName() + ", grid point " + describe
                    + ": experiment.kind = " + spec.kind().name() + ", but the first point's is "
                    + points.get(0).experiment().kind().name() + " (a sweep runs one kind)");
            }
            if (spec instanceof ExperimentSpec online)
            {
                checkCurveMetrics(definition, describe, online);
            }
            points.add(new Point(index, labels, id, user, spec));
        }

        final List<Run> runs = new ArrayList<>();
        for (final Point point : points)
        {
            boolean derived = false;
            for (int i = 0; i < definition.seeds().count(); i++)
            {
                final long seed = definition.seeds().seed(point.experiment().seed(), i);
                // A run differs from its point by experiment.seed alone: validate the first, derive the others from
                // the point while that gives the same settings. Without substitutions nothing else can follow the
                // seed, so every run is derived.
                if (derived || point.user().isResolved())
                {
                    runs.add(new Run(point, seed, point.id() + "-seed" + seed, null, null));
                    continue;
                }
                final Config user = seedLayer(seed).withFallback(point.user());
                final Experiment spec = validate(definition, describe(axes, point.labels()) + ", seed " + seed,
                    user);
                derived = i == 0 && spec.resolved().equals(withSeed(point.experiment(), seed).resolved());
                runs.add(derived ? new Run(point, seed, point.id() + "-seed" + seed, null, null)
                    : new Run(point, seed, point.id() + "-seed" + seed, spec, user));
            }
        }
        return new SweepPlan(definition, points, runs);
    }

    /**
     * This plan as a sweep written before {@code data.gaussian} existed ran it: every run that does not set the key
     * draws with {@link org.sgdsim.math.GaussianAlgorithm#LEGACY}.
     */
    public SweepPlan withLegacyGaussian()
    {
        final List<Run> legacy = new ArrayList<>();
        for (final Run run : runs)
        {
            final Config user = ExperimentConfig.withLegacyGaussian(run.user());
            legacy.add(new Run(run.point(), run.seed(), run.folder(), validate(definition, run.folder(), user), user));
        }
        return new SweepPlan(definition, points, legacy);
    }

    /**
     * Refuses the sweep, before anything is written, when {@code atOnce} runs of any grid point do not fit in this
     * JVM's heap (the runs of a sweep share its process).
     */
    public void checkMemory(final int atOnce)
    {
        for (final Point point : points)
        {
            Footprint.of(point.experiment()).check(Math.min(atOnce, runs.size()), Runtime.getRuntime().maxMemory(),
                "sweep " + definition.source().file().getFileName() + ", grid point "
                    + describe(definition.axes(), point.labels()) + ": ");
        }
    }

    /** The sweep. */
    public SweepDefinition definition()
    {
        return definition;
    }

    /** The grid points, first axis slowest. */
    public List<Point> points()
    {
        return points;
    }

    /** Every run, point by point, seeds in order. */
    public List<Run> runs()
    {
        return runs;
    }

    /**
     * The identity of the plan, written to {@code sweep-plan.txt}: each run's folder and a hash of what the user set
     * for it (experiment file, application.conf, sweep overrides, grid values, seed; not the built-in defaults, so a
     * newer sgdsim with more default keys still resumes). Resuming into a folder requires the same text. The hash
     * leaves out what cannot change results ({@code pipeline}, {@code output}, {@code metrics.progress},
     * {@code cluster}, {@code stop.max-wall}: a re-run may give unfinished runs another budget). Each line ends with
     * the run's {@code data.gaussian}, left out of the hash: plans written before the key existed have no such field
     * ({@link #fingerprint(boolean)} with false writes them).
     */
    public String fingerprint()
    {
        return fingerprint(true);
    }

    /** As {@link #fingerprint()}, without the {@code data.gaussian} field when {@code gaussian} is false. */
    public String fingerprint(final boolean gaussian)
    {
        final StringBuilder s = new StringBuilder();
        s.append("# sgdsim sweep plan '").append(definition.name()).append("': ").append(runs.size())
            .append(" runs (folder, sha-256 of the settings the user gave it). Resuming into this folder needs the ")
            .append("same plan.\n");
        Point point = null;
        String[] pointText = null;
        for (final Run run : runs)
        {
            if (run.point() != point)
            {
                point = run.point();
                // A point's runs differ by experiment.seed alone: render the point once, with a stand-in seed, and
                // write each run's seed in its place, unless a substitution could read the seed or the stand-in
                // also stands elsewhere (then every run is rendered on its own). Same text either way.
                pointText = point.user().isResolved() ? render(fingerprintSettings(point.user())
                    .withValue("experiment.seed", ConfigValueFactory.fromAnyRef(SEED_STAND_IN)))
                    .split(Long.toString(SEED_STAND_IN), -1) : null;
                if (pointText != null && pointText.length != 2)
                {
                    pointText = null;
                }
            }
            final String text = pointText != null ? pointText[0] + run.seed() + pointText[1]
                : render(fingerprintSettings(run.user().resolve()));
            s.append(run.folder()).append(' ').append(sha256(text));
            if (gaussian)
            {
                // A run without settings of its own differs from its point by the seed alone: the point's generator.
                s.append(" data.gaussian=").append(GaussianAlgorithm.parse((run.spec != null ? run.spec
                    : run.point().experiment()).resolved().getString("data.gaussian")).key());
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The text a run's fingerprint hashes. */
    private static String render(final Config settings)
    {
        return settings.root().render(ConfigRenderOptions.concise().setFormatted(false));
    }

    /** The settings a run's fingerprint hashes: the user's, without those that change no result. */
    private static Config fingerprintSettings(final Config user)
    {
        return user.withoutPath("pipeline").withoutPath("output").withoutPath("metrics.progress")
            .withoutPath("cluster").withoutPath("stop.max-wall").withoutPath("data.gaussian");
    }

    private static Config seedLayer(final long seed)
    {
        return ConfigFactory.empty().withValue("experiment.seed", ConfigValueFactory.fromAnyRef(seed));
    }

    /** The run kind of every point (a sweep runs one kind). */
    public RunKind<?, ?> kind()
    {
        return points.get(0).experiment().kind();
    }

    /** True for a sweep of online experiments: the scaling reports, curves and fits are theirs. */
    public boolean online()
    {
        return points.get(0).experiment() instanceof ExperimentSpec;
    }

    private static ExperimentSpec online(final Experiment experiment)
    {
        if (experiment instanceof ExperimentSpec spec)
        {
            return spec;
        }
        throw new IllegalStateException("a sweep of experiment.kind = " + experiment.kind().name()
            + " has no online experiment");
    }

    /** The experiment with another experiment.seed, its settings shared with {@code e}. */
    private static Experiment withSeed(final Experiment e, final long seed)
    {
        return e instanceof ExperimentSpec s ? withSeed(s, seed) : e.withSeed(seed);
    }

    /** The spec with another experiment.seed, its settings shared with {@code s}. */
    private static ExperimentSpec withSeed(final ExperimentSpec s, final long seed)
    {
        return new ExperimentSpec(s.identity().withSeed(seed), s.data(), s.target(), s.student(), s.training(),
            s.stop(), s.metrics(), s.execution());
    }

    private static Experiment validate(final SweepDefinition definition, final String describe, final Config user)
    {
        try
        {
            final Experiment spec = ExperimentConfig.fromUserConfigAny(user);
            Footprint.of(spec); // a single array too long for Java fails here, wherever the run would go
            return spec;
        }
        catch (final UserError ex)
        {
            throw new UserError("sweep " + definition.source().file().getFileName() + ", grid point " + describe + ": "
                + ex.getMessage(), ex);
        }
    }

    private static void checkCurveMetrics(final SweepDefinition definition, final String describe,
        final ExperimentSpec spec)
    {
        for (final String metric : definition.report().curves().metrics())
        {
            try
            {
                column(metric, spec);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UserError("sweep " + definition.source().file().getFileName() + ", grid point " + describe
                    + ": curves.metrics: " + ex.getMessage());
            }
        }
    }

    /**
     * The metrics.csv column of a metric name ({@code max-cos-2} → {@code max_cos_2}; underscores accepted).
     *
     * @throws IllegalArgumentException naming the accepted forms when the run has no such metric.
     */
    public static String column(final String metric, final ExperimentSpec spec)
    {
        final String name = metric.replace('_', '-');
        final Threshold t = Threshold.parse(name, true, 0.0, spec.student().width(), spec.k());
        switch (t.kind())
        {
            case MAX_COS:
                return "max_cos_" + (t.first() + 1);
            case RISK:
                return "risk";
            case M:
                return "m_" + (t.first() + 1) + "_" + (t.second() + 1);
            default:
                return "q_" + (Math.min(t.first(), t.second()) + 1) + "_" + (Math.max(t.first(), t.second()) + 1);
        }
    }

    private static int[] levels(final List<Axis> axes, final int index)
    {
        final int[] level = new int[axes.size()];
        int rest = index;
        for (int a = axes.size() - 1; a >= 0; a--)
        {
            final int n = axes.get(a).levels().size();
            level[a] = rest % n;
            rest /= n;
        }
        return level;
    }

    private static String rawId(final List<Axis> axes, final int[] level)
    {
        final Set<String> shortKeys = new HashSet<>();
        boolean clash = false;
        for (final Axis axis : axes)
        {
            clash |= !shortKeys.add(axis.shortKey());
        }
        final StringBuilder s = new StringBuilder();
        for (int a = 0; a < axes.size(); a++)
        {
            if (a > 0)
            {
                s.append('_');
            }
            final Axis axis = axes.get(a);
            s.append(sanitize(clash ? axis.key() : axis.shortKey())).append('-')
                .append(sanitize(axis.levels().get(level[a]).label()));
        }
        // A run folder's name must stay under the file system's 255 bytes: long labels keep a prefix and a hash.
        return s.length() <= MAX_ID ? s.toString() : s.substring(0, MAX_ID - 13) + "-" + sha256(s.toString()).substring(0, 12);
    }

    /** Longest point id (a run folder adds a seed suffix): longer ones are cut and end in a hash of the whole. */
    static final int MAX_ID = 120;

    static String sanitize(final String text)
    {
        final String s = text.replaceAll("[^A-Za-z0-9.+-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "x" : s;
    }

    /** "training.batch-size=16, training.loss=square". */
    static String describe(final List<Axis> axes, final List<String> labels)
    {
        final StringBuilder s = new StringBuilder();
        for (int a = 0; a < axes.size(); a++)
        {
            if (a > 0)
            {
                s.append(", ");
            }
            s.append(axes.get(a).key()).append('=').append(labels.get(a));
        }
        return s.toString();
    }

    private static Config parse(final Path file)
    {
        try
        {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (final ConfigException ex)
        {
            throw new UserError(ex.getMessage().replace('\n', ' '));
        }
    }

    private static String sha256(final String text)
    {
        try
        {
            return java.util.HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }
}
