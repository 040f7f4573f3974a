package org.sgdsim.experiment;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.math.expr.ExpressionException;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.metrics.Threshold;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.MlpOutput;
import org.sgdsim.model.Sampler;
import org.sgdsim.model.SecondLayer;
import org.sgdsim.model.StudentInit;
import org.sgdsim.train.FeedbackOptions;
import org.sgdsim.train.FeedbackRule;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.train.Rule;

/**
 * Reads an experiment: built-in defaults &lt; {@code conf/application.conf} &lt; the experiment file &lt;
 * {@code --set key=value}, rejects unknown keys, and turns the result into an immutable {@link ExperimentSpec}.
 * Every problem is a {@link UserError} whose one-line message names the key and what was expected.
 */
public final class ExperimentConfig
{
    private static final String DEFAULTS = "org/sgdsim/experiment/defaults.conf";
    private static final List<String> SIZE_VARIABLES = List.of("d", "p", "k");
    private static final List<String> RUN_VARIABLES = List.of("d", "nb", "p", "k");
    /** The second layer's rate may also refer to the first layer's, lr. */
    private static final List<String> SECOND_LAYER_VARIABLES = List.of("d", "nb", "p", "k", "lr");
    private static final Set<String> INIT_KEYS = Set.of("M0", "Q0");
    private static final Set<String> WHEN_KEYS = Set.of("metric", "above", "below");

    private ExperimentConfig()
    {
    }

    /** The built-in defaults. */
    public static Config defaults()
    {
        return ConfigFactory.parseResources(ExperimentConfig.class.getClassLoader(), DEFAULTS,
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

    /** As {@link #loadRunFolder}, for an online run. */
    public static ExperimentSpec loadRunFolderOnline(final Path config)
    {
        return fromUserConfig(withLegacyGaussian(userLayers(config, List.of(), null)));
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
            final Reader reader = new Reader(user.withFallback(defaults()), user);
            org.sgdsim.giant.GiantConfig.rejectOutside(reader.kind(), user);
            return switch (reader.kind())
            {
                case "dfa" -> reader.dfaSpec();
                case org.sgdsim.giant.GiantKind.NAME -> org.sgdsim.giant.GiantConfig.read(reader);
                default -> reader.spec();
            };
        }
        catch (final ConfigException ex)
        {
            // e.g. a key set to null: Typesafe Config's message names the key and the file:line
            throw new UserError(oneLine(ex));
        }
    }

    /** Typed reads of an already validated, resolved configuration (a spec's {@code resolved()}). */
    public static Reader reader(final Config resolved)
    {
        return new Reader(resolved, resolved);
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

    static Config parseFile(final Path file)
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

    static void rejectUnknownKeys(final Config user)
    {
        final Set<String> known = new TreeSet<>();
        for (final Map.Entry<String, ConfigValue> e : defaults().entrySet())
        {
            known.add(e.getKey());
        }
        for (final Map.Entry<String, ConfigValue> e : user.entrySet())
        {
            final String key = e.getKey();
            // pekko.* goes to the actor system; cluster.* is checked by org.sgdsim.cluster.ClusterSettings.
            if (known.contains(key) || key.startsWith("pekko.") || key.startsWith("cluster.")
                || allowedChild(key, "student.init.", INIT_KEYS) || allowedChild(key, "stop.when.", WHEN_KEYS)
                || allowedChild(key, "training.switch-when.", WHEN_KEYS))
            {
                continue;
            }
            throw new UserError(where(e.getValue()) + "unknown key '" + key + "'" + suggestion(key, known));
        }
    }

    private static boolean allowedChild(final String key, final String prefix, final Set<String> children)
    {
        return key.startsWith(prefix) && children.contains(key.substring(prefix.length()));
    }

    private static String suggestion(final String key, final Set<String> known)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = editDistance(key, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int editDistance(final String a, final String b)
    {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }

    static String where(final ConfigValue value)
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

    /**
     * Typed reads with one-line errors; holds the merged config and the user's own layers. Public for the readers of
     * run kinds in packages of their own ({@code org.sgdsim.giant}), which share the online kind's sections.
     */
    public static final class Reader
    {
        private final Config config;
        private final Config user;

        Reader(final Config config, final Config user)
        {
            this.config = config;
            this.user = user;
        }

        /** The merged configuration being read. */
        public Config config()
        {
            return config;
        }

        ExperimentSpec spec()
        {
            final String name = string("experiment.name");
            if (!name.matches("[A-Za-z0-9._-]+"))
            {
                throw error("experiment.name", "letters, digits, '.', '_' or '-' only (it names the run folder)", name);
            }
            final long seed = longValue("experiment.seed", Long.MIN_VALUE, Long.MAX_VALUE);
            final int dim = (int)longValue("data.dim", 1, 1 << 24);
            final double noise = doubleValue("data.noise", 0.0, Double.MAX_VALUE);
            final int blockSize = (int)longValue("data.block-size", 1, 1 << 20);
            final Sampler sampler = parse("data.sampler", Sampler::parse);
            final GaussianAlgorithm gaussian = gaussian();

            final Expression target = target();
            final int k = target.arity();
            if (k > dim)
            {
                throw error("teacher.target", "at most data.dim = " + dim + " directions", target.text());
            }

            final int width = (int)longValue("student.width", 1, 1 << 16);
            final Activation activation = parse("student.activation", Activation::parse);
            final SecondLayer secondLayer = secondLayer(width);
            final StudentInit init = init(width, k, dim);

            final Rule rule = parse("training.rule", Rule::parse);
            final boolean adaptive = "adaptive".equals(config.getValue("training.loss").unwrapped());
            final Loss loss = adaptive ? Loss.CORRELATION : parse("training.loss", text ->
            {
                try
                {
                    return Loss.parse(text);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException("expected square, correlation, exponential or adaptive, got '"
                        + text + "'");
                }
            });
            final RowNormalization normalization = parse("training.normalization", RowNormalization::parse);
            final int repeats = (int)longValue("training.repeats", 1, 1_000_000);
            final double displacement = doubleValue("training.displacement", -1e6, 1e6);

            final double[] sizeValues = {dim, width, k};
            int batchSize = (int)count("training.batch-size", SIZE_VARIABLES, sizeValues, 1, Integer.MAX_VALUE);
            final int datasetSize = datasetSize(rule, batchSize, dim, width, k);
            if (rule == Rule.GD)
            {
                if (datasetSize == 0)
                {
                    throw error("training.dataset-size", "a finite dataset (a count or an expression) for rule gd",
                        "online");
                }
                if (user.hasPath("training.batch-size")
                    && count("training.batch-size", SIZE_VARIABLES, sizeValues, 1, Integer.MAX_VALUE) != datasetSize)
                {
                    throw error("training.batch-size", "no batch size with rule gd (it uses the whole dataset; "
                        + "use rule sgd with a dataset-size for mini-batches)", config.getValue("training.batch-size")
                        .unwrapped());
                }
                batchSize = datasetSize;
            }
            if (datasetSize > 0 && batchSize > datasetSize)
            {
                throw error("training.batch-size", "at most training.dataset-size = " + datasetSize, batchSize);
            }
            if (repeats > 1 && (long)batchSize * dim > Integer.MAX_VALUE - 16)
            {
                throw error("training.repeats", "1 when n_b·d exceeds one Java array (the batch is kept for the repeats)",
                    repeats);
            }
            if (sampler == Sampler.LOWRANK)
            {
                lowRankServes(rule, datasetSize, repeats);
            }
            final double[] runValues = {dim, batchSize, width, k};
            final double learningRate = number("training.learning-rate", RUN_VARIABLES, runValues);
            if (!(learningRate > 0.0))
            {
                throw error("training.learning-rate", "a positive step size", learningRate);
            }

            final double secondLayerRate = secondLayerRate(runValues, learningRate);

            final long maxSteps = budget("stop.max-steps", runValues);
            final long maxSamples = budget("stop.max-samples", runValues);
            if (maxSteps == Long.MAX_VALUE && maxSamples == Long.MAX_VALUE)
            {
                throw new UserError("stop: set stop.max-steps or stop.max-samples (a number or an expression in d, nb, p, k)");
            }
            if (datasetSize > 0 && maxSteps == Long.MAX_VALUE)
            {
                throw new UserError("stop.max-steps: required with a finite training.dataset-size "
                    + "(a fixed dataset never runs out of samples)");
            }
            final Threshold when = threshold(width, k);
            final long checkEvery = checkEvery(when, batchSize);

            final ExperimentSpec.Metrics metrics = new ExperimentSpec.Metrics(
                schedule(), (int)longValue("metrics.risk-samples", 10_000, 10_000_000), bool("metrics.progress"));

            OpticsSpec.read(this);
            // The readout section (readout.enabled = true) is checked here and read by OnlineKind.
            org.sgdsim.giant.GiantConfig.onlineReadout(this, dim, width, k);
            // Checked here so a bad live.* key fails before anything is written, --live or not.
            LiveSettings.from(config);
            WallBudget.nanos(config);
            try
            {
                OnlineKind.plots(String.valueOf(config.getValue("output.plots").unwrapped()));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UserError(where("output.plots") + "output.plots: " + ex.getMessage());
            }
            bool("output.fsync");
            return new ExperimentSpec(name, seed, new ExperimentSpec.Data(dim, noise, blockSize, sampler, gaussian), target,
                new ExperimentSpec.Student(width, activation, secondLayer, init),
                new ExperimentSpec.Training(rule, loss, batchSize, learningRate, normalization, repeats,
                    displacement, datasetSize, secondLayerRate, lossSwitch(adaptive, width, k)),
                new ExperimentSpec.Stop(maxSteps, maxSamples, when, checkEvery),
                metrics, generators(), checkpoints(), bool("theory.enabled"), Path.of(string("output.dir")), config);
        }

        /** γ_a of training.second-layer = sgd (an expression that may use lr, the W rate), or 0 for fixed. */
        private double secondLayerRate(final double[] runValues, final double learningRate)
        {
            final String mode = string("training.second-layer");
            if ("fixed".equals(mode))
            {
                return 0.0;
            }
            if (!"sgd".equals(mode))
            {
                throw error("training.second-layer", "fixed or sgd", mode);
            }
            final double[] values = java.util.Arrays.copyOf(runValues, runValues.length + 1);
            values[runValues.length] = learningRate;
            final double rate = number("training.second-layer-rate", SECOND_LAYER_VARIABLES, values);
            if (!(rate > 0.0))
            {
                throw error("training.second-layer-rate", "a positive step size", rate);
            }
            return rate;
        }

        /** {@code data.gaussian}: the Gaussian generator of every draw the run makes. */
        public GaussianAlgorithm gaussian()
        {
            final String value = string("data.gaussian");
            final GaussianAlgorithm gaussian = GaussianAlgorithm.parse(value);
            if (gaussian == null)
            {
                throw error("data.gaussian", "vector or ziggurat", value);
            }
            return gaussian;
        }

        /** {@code experiment.kind}: online, dfa or giant-step. */
        String kind()
        {
            final String kind = string("experiment.kind");
            return switch (kind)
            {
                case "online", "dfa", org.sgdsim.giant.GiantKind.NAME -> kind;
                default -> throw error("experiment.kind", "online, dfa or " + org.sgdsim.giant.GiantKind.NAME, kind);
            };
        }

        DfaSpec dfaSpec()
        {
            final String name = string("experiment.name");
            if (!name.matches("[A-Za-z0-9._-]+"))
            {
                throw error("experiment.name", "letters, digits, '.', '_' or '-' only (it names the run folder)", name);
            }
            final long seed = longValue("experiment.seed", Long.MIN_VALUE, Long.MAX_VALUE);
            final DfaSpec.Task task = parse("dfa.task", t -> FeedbackOptions.parse(DfaSpec.Task.class, t));
            final int trainSize = (int)longValue("dfa.train-size", 1, 10_000_000);
            final int testSize = (int)longValue("dfa.test-size", 1, 10_000_000);
            final int[] widths = widths(task);
            final Activation activation = parse("network.activation", Activation::parse);
            final MlpOutput output = parse("network.output", MlpOutput::parse);
            final String init = string("network.init");
            if (!init.equals("uniform") && !init.equals("zero"))
            {
                throw error("network.init", "uniform or zero", init);
            }
            final FeedbackRule rule = parse("dfa.rule", FeedbackRule::parse);
            final int epochs = (int)longValue("dfa.epochs", 1, 1_000_000);
            final int trainCount = task == DfaSpec.Task.DIGITS ? org.sgdsim.model.Digits.TRAIN_ROWS : trainSize;
            final int batchSize = (int)longValue("dfa.batch-size", 1, trainCount);
            final double learningRate = doubleValue("dfa.learning-rate", Double.MIN_VALUE, 1e6);
            final double momentum = doubleValue("dfa.momentum", 0.0, 1.0);
            final DfaSpec.Projection projector = parse("dfa.projector",
                p -> FeedbackOptions.parse(DfaSpec.Projection.class, p));
            if (projector == DfaSpec.Projection.OPU && rule != FeedbackRule.DFA)
            {
                throw error("dfa.projector", "software with rule " + rule.configName()
                    + " (the optical unit serves rule dfa)", "opu");
            }
            final FeedbackOptions feedback = feedback();
            if (feedback.transform() == FeedbackOptions.Transform.TARGET && output != MlpOutput.SOFTMAX)
            {
                throw error("dfa.feedback.error", "none, ternary or sign with a linear output (target needs classes)",
                    "target");
            }
            if (feedback.distribution() == FeedbackOptions.Distribution.ORTHOGONAL
                && org.sgdsim.train.MlpTrainer.feedbackRows(widths, feedback.slicing()) < widths[widths.length - 1])
            {
                throw error("dfa.feedback.distribution", "gauss or uniform when the feedback has fewer rows than "
                    + "outputs", "orthogonal");
            }
            final OpticsSpec optics = OpticsSpec.read(this);
            if (projector == DfaSpec.Projection.OPU && optics.unit().encoding() == org.sgdsim.optics.Encoding.TERNARY
                && optics.unit().readout() != org.sgdsim.optics.Readout.LIGHTONML
                && (feedback.transform() == FeedbackOptions.Transform.NONE
                    || feedback.rescale() != FeedbackOptions.Rescale.NONE))
            {
                // The DMD shows only −1/0/+1 per mirror with the ternary encoding.
                throw error("dfa.feedback.error", "ternary, sign or target with rescale = none when dfa.projector = opu"
                    + " and optics.encoding = ternary (or optics.encoding = bit-planes)",
                    feedback.transform().configName() + ", rescale " + feedback.rescale().name().toLowerCase(
                        java.util.Locale.ROOT));
            }
            final int alignmentEvery = (int)longValue("dfa.alignment-every", 0, Integer.MAX_VALUE);
            WallBudget.nanos(config);
            bool("output.fsync");
            gaussian();
            return new DfaSpec(name, seed, task, trainSize, testSize, widths, activation, output, init.equals("zero"),
                rule, epochs, batchSize, learningRate, momentum, projector, feedback, alignmentEvery, optics, checkpoints(),
                Path.of(string("output.dir")), config);
        }

        private int[] widths(final DfaSpec.Task task)
        {
            final String key = "network.widths";
            final String expected = "a list of at least 2 positive integers, [" + task.inputs() + ", ..., "
                + task.outputs() + "] for task " + task.configName();
            final ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.LIST)
            {
                throw error(key, expected, value.unwrapped());
            }
            final List<?> list = (List<?>)value.unwrapped();
            if (list.size() < 2)
            {
                throw error(key, expected, value.unwrapped());
            }
            final int[] widths = new int[list.size()];
            for (int i = 0; i < widths.length; i++)
            {
                if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() < 1 || n.doubleValue() > 1 << 16)
                {
                    throw error(key, expected, value.unwrapped());
                }
                widths[i] = n.intValue();
            }
            if (widths[0] != task.inputs() || widths[widths.length - 1] != task.outputs())
            {
                throw error(key, expected, value.unwrapped());
            }
            return widths;
        }

        private FeedbackOptions feedback()
        {
            final String p = "dfa.feedback.";
            final FeedbackOptions.Distribution distribution = parse(p + "distribution",
                v -> FeedbackOptions.parse(FeedbackOptions.Distribution.class, v));
            final FeedbackOptions.FeedbackScale normalization = parse(p + "normalization",
                v -> FeedbackOptions.parse(FeedbackOptions.FeedbackScale.class, v));
            final FeedbackOptions.Slicing slicing = parse(p + "slicing",
                v -> FeedbackOptions.parse(FeedbackOptions.Slicing.class, v));
            final FeedbackOptions.Transform transform = parse(p + "error",
                v -> FeedbackOptions.parse(FeedbackOptions.Transform.class, v));
            final double threshold = doubleValue(p + "threshold", 0.0, 1e6);
            final ConfigValue rescaleValue = config.getValue(p + "rescale");
            FeedbackOptions.Rescale rescale;
            double constant = 1.0;
            if (rescaleValue.valueType() == ConfigValueType.NUMBER)
            {
                rescale = FeedbackOptions.Rescale.CONSTANT;
                constant = doubleValue(p + "rescale", Double.MIN_VALUE, 1e12);
            }
            else
            {
                final String text = string(p + "rescale");
                rescale = switch (text)
                {
                    case "none" -> FeedbackOptions.Rescale.NONE;
                    case "auto" -> FeedbackOptions.Rescale.AUTO;
                    default -> throw error(p + "rescale", "none, auto or a positive number", text);
                };
            }
            return new FeedbackOptions(distribution, normalization, slicing, transform, threshold, rescale, constant);
        }

        /** The low-rank sampler draws fresh Gaussian batches for one gradient step each: nothing else. */
        private void lowRankServes(final Rule rule, final int datasetSize, final int repeats)
        {
            if (rule != Rule.SGD)
            {
                throw error("data.sampler", "explicit with training.rule = " + rule.configName()
                    + " (lowrank serves online sgd only: the displaced step needs each sample's ‖x‖², and gd a "
                    + "fixed dataset)", "lowrank");
            }
            if (datasetSize > 0)
            {
                throw error("data.sampler", "explicit with a finite training.dataset-size (lowrank draws every "
                    + "batch fresh)", "lowrank");
            }
            if (repeats > 1)
            {
                throw error("data.sampler", "explicit with training.repeats > 1 (lowrank forgets each batch's "
                    + "directions outside span(W*, W) after the step)", "lowrank");
            }
        }

        public Expression target()
        {
            final String text = string("teacher.target");
            final Expression target;
            try
            {
                target = Expression.parseTarget(text);
            }
            catch (final ExpressionException ex)
            {
                throw new UserError(where("teacher.target") + "teacher.target: " + ex.getMessage());
            }
            if (target.arity() < 1)
            {
                throw error("teacher.target", "an expression in z1..zk", text);
            }
            return target;
        }

        public SecondLayer secondLayer(final int width)
        {
            final ConfigValue value = config.getValue("student.second-layer");
            if (value.valueType() == ConfigValueType.LIST)
            {
                final List<Double> list;
                try
                {
                    list = config.getDoubleList("student.second-layer");
                }
                catch (final ConfigException ex)
                {
                    throw error("student.second-layer", "a list of numbers", value.unwrapped());
                }
                if (list.size() != width)
                {
                    throw error("student.second-layer", "a list of student.width = " + width + " numbers",
                        value.unwrapped());
                }
                return new SecondLayer.Explicit(list.stream().mapToDouble(Double::doubleValue).toArray());
            }
            return parse("student.second-layer", SecondLayer::parse);
        }

        public StudentInit init(final int width, final int k, final int dim)
        {
            final String key = "student.init";
            final ConfigValue value = config.getValue(key);
            switch (value.valueType())
            {
                case NUMBER:
                    final double m0 = ((Number)value.unwrapped()).doubleValue();
                    if (!(Math.abs(m0) <= 1.0))
                    {
                        throw error(key, "an initial overlap m0 in [-1, 1]", m0);
                    }
                    return new StudentInit.Overlap(m0);
                case OBJECT:
                    if (!config.hasPath(key + ".M0") || !config.hasPath(key + ".Q0"))
                    {
                        throw error(key, "an object with both M0 (p × k) and Q0 (p × p)", value.unwrapped());
                    }
                    if (k + width > dim)
                    {
                        throw error(key, "k + p ≤ d for explicit overlaps", "k + p = " + (k + width));
                    }
                    final double[] m0s = matrix(key + ".M0", width, k);
                    final double[] q0s = matrix(key + ".Q0", width, width);
                    final StudentInit explicit = new StudentInit.Explicit(m0s, q0s);
                    try
                    {
                        // Fail now, not mid-run, when Q0 − M0·M0ᵀ is not PSD.
                        org.sgdsim.math.LinearAlgebra.psdFactor(residual(m0s, q0s, width, k), width, 1e-10);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw error(key, "Q0 − M0·M0ᵀ positive semi-definite (P = I)", "a matrix with a negative eigenvalue");
                    }
                    return explicit;
                default:
                    return parse(key, StudentInit::parse);
            }
        }

        private static double[] residual(final double[] m, final double[] q, final int width, final int k)
        {
            final double[] r = q.clone();
            for (int j = 0; j < width; j++)
            {
                for (int l = 0; l < width; l++)
                {
                    for (int c = 0; c < k; c++)
                    {
                        r[j * width + l] -= m[j * k + c] * m[l * k + c];
                    }
                }
            }
            return r;
        }

        private double[] matrix(final String key, final int rows, final int cols)
        {
            final String expected = "a " + rows + " × " + cols + " matrix as a list of rows, e.g. [[0.1, 0.2], ...]";
            final ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.LIST)
            {
                throw error(key, expected, value.unwrapped());
            }
            final List<?> outer = (List<?>)value.unwrapped();
            if (outer.size() != rows)
            {
                throw error(key, expected, value.unwrapped());
            }
            final double[] m = new double[rows * cols];
            for (int i = 0; i < rows; i++)
            {
                if (!(outer.get(i) instanceof List<?> row) || row.size() != cols)
                {
                    throw error(key, expected, value.unwrapped());
                }
                for (int j = 0; j < cols; j++)
                {
                    if (!(row.get(j) instanceof Number n))
                    {
                        throw error(key, expected, value.unwrapped());
                    }
                    m[i * cols + j] = n.doubleValue();
                }
            }
            return m;
        }

        private int datasetSize(final Rule rule, final int batchSize, final int dim, final int width, final int k)
        {
            final String key = "training.dataset-size";
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "online".equals(value.unwrapped()))
            {
                return 0;
            }
            // With gd the batch is the dataset, so its size cannot depend on nb.
            final long n = rule == Rule.GD ? count(key, SIZE_VARIABLES, new double[] {dim, width, k}, 1, Integer.MAX_VALUE)
                : count(key, RUN_VARIABLES, new double[] {dim, batchSize, width, k}, 1, Integer.MAX_VALUE);
            if (n * (long)dim > Integer.MAX_VALUE - 16)
            {
                throw error(key, "at most " + (Integer.MAX_VALUE / dim) + " samples in dimension " + dim
                    + " (one Java array)", n);
            }
            return (int)n;
        }

        private long budget(final String key, final double[] values)
        {
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "none".equals(value.unwrapped()))
            {
                return Long.MAX_VALUE;
            }
            return count(key, RUN_VARIABLES, values, 0, Long.MAX_VALUE - 1);
        }

        /** The adaptive loss's condition (training.switch-when), required with loss = adaptive and refused otherwise. */
        private Threshold lossSwitch(final boolean adaptive, final int width, final int k)
        {
            final Threshold when = threshold("training.switch-when", width, k);
            if (adaptive && when == null)
            {
                throw new UserError(where("training.switch-when") + "training.switch-when: required with training.loss "
                    + "= adaptive, e.g. { metric = risk, below = 0.05 }");
            }
            if (!adaptive && when != null)
            {
                throw error("training.switch-when", "none unless training.loss = adaptive",
                    config.getValue("training.switch-when").unwrapped());
            }
            return when;
        }

        private Threshold threshold(final int width, final int k)
        {
            return threshold("stop.when", width, k);
        }

        private Threshold threshold(final String key, final int width, final int k)
        {
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "none".equals(value.unwrapped()))
            {
                return null;
            }
            final String expected = "none or { metric = max-cos-1, above = 0.5 } (above or below, not both)";
            if (value.valueType() != ConfigValueType.OBJECT || !config.hasPath(key + ".metric")
                || config.hasPath(key + ".above") == config.hasPath(key + ".below"))
            {
                throw error(key, expected, value.unwrapped());
            }
            final boolean above = config.hasPath(key + ".above");
            final double limit = doubleValue(key + (above ? ".above" : ".below"), -Double.MAX_VALUE, Double.MAX_VALUE);
            final String metric = string(key + ".metric");
            try
            {
                return Threshold.parse(metric, above, limit, width, k);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UserError(where(key + ".metric") + key + ".metric: " + ex.getMessage());
            }
        }

        private long checkEvery(final Threshold when, final int batchSize)
        {
            final String key = "stop.check-every";
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "auto".equals(value.unwrapped()))
            {
                // The overlaps cost O(p(p+k)d), several single-sample steps: check once per ≥ 8 samples, which
                // resolves the threshold to 8 samples. A risk can cost far more: check it at the metrics rows.
                return when != null && when.needsRisk() ? 0 : Math.max(1, (8 + batchSize - 1) / batchSize);
            }
            return longValue(key, 1, Long.MAX_VALUE);
        }

        public ExperimentSpec.Checkpoints checkpoints()
        {
            return new ExperimentSpec.Checkpoints(optionalCount("checkpoint.every-steps"),
                optionalCount("checkpoint.every-seconds"), (int)longValue("checkpoint.keep", 1, 1000));
        }

        /** A positive integer, or none (returned as 0). */
        private long optionalCount(final String key)
        {
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "none".equals(value.unwrapped()))
            {
                return 0;
            }
            if (value.valueType() != ConfigValueType.NUMBER)
            {
                throw error(key, "none or a positive integer", value.unwrapped());
            }
            return longValue(key, 1, Long.MAX_VALUE / 1_000_000_000L);
        }

        private int generators()
        {
            final String key = "pipeline.generators";
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "auto".equals(value.unwrapped()))
            {
                // One generator per core: cores − 1 on threads of their own, one sharing the learner's thread
                // and filling its idle time (they claim blocks dynamically).
                return Math.max(1, Runtime.getRuntime().availableProcessors());
            }
            return (int)longValue(key, 1, 256);
        }

        private RowSchedule schedule()
        {
            final String key = "metrics.every";
            final ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.STRING && "log".equals(value.unwrapped()))
            {
                return RowSchedule.logSpaced((int)longValue("metrics.per-decade", 1, 1000));
            }
            if (value.valueType() != ConfigValueType.NUMBER)
            {
                throw error(key, "log or a positive number of steps", value.unwrapped());
            }
            return RowSchedule.every(longValue(key, 1, Long.MAX_VALUE));
        }

        public String string(final String key)
        {
            final ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.STRING)
            {
                throw error(key, "a string", value.unwrapped());
            }
            return (String)value.unwrapped();
        }

        public boolean bool(final String key)
        {
            try
            {
                return config.getBoolean(key);
            }
            catch (final ConfigException ex)
            {
                throw error(key, "true or false", config.getValue(key).unwrapped());
            }
        }

        public long longValue(final String key, final long min, final long max)
        {
            final ConfigValue value = config.getValue(key);
            final String expected = "an integer in [" + min + ", " + max + "]";
            if (value.valueType() != ConfigValueType.NUMBER)
            {
                throw error(key, expected, value.unwrapped());
            }
            final Number n = (Number)value.unwrapped();
            final double d = n.doubleValue();
            if (n instanceof Double && (d != Math.rint(d) || Math.abs(d) > 9.0e15))
            {
                throw error(key, expected, value.unwrapped());
            }
            final long v = n.longValue();
            if (v < min || v > max)
            {
                throw error(key, expected, v);
            }
            return v;
        }

        public double doubleValue(final String key, final double min, final double max)
        {
            final ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.NUMBER)
            {
                throw error(key, "a number in [" + min + ", " + max + "]", value.unwrapped());
            }
            final double v = ((Number)value.unwrapped()).doubleValue();
            if (!(v >= min && v <= max))
            {
                throw error(key, "a number in [" + min + ", " + max + "]", v);
            }
            return v;
        }

        /** A number, or an expression in the given variables. */
        public double number(final String key, final List<String> variables, final double[] values)
        {
            final ConfigValue value = config.getValue(key);
            final double v;
            if (value.valueType() == ConfigValueType.NUMBER)
            {
                v = ((Number)value.unwrapped()).doubleValue();
            }
            else if (value.valueType() == ConfigValueType.STRING)
            {
                try
                {
                    v = Expression.parse((String)value.unwrapped(), variables).evaluate(values);
                }
                catch (final ExpressionException ex)
                {
                    throw new UserError(where(key) + key + ": " + ex.getMessage());
                }
            }
            else
            {
                throw error(key, "a number or an expression in " + String.join(", ", variables), value.unwrapped());
            }
            if (!Double.isFinite(v))
            {
                throw error(key, "a finite value", render(value.unwrapped()) + " = " + v);
            }
            return v;
        }

        /** A count: a number or an expression, rounded down (with 1e-9 relative slack for round-off). */
        public long count(final String key, final List<String> variables, final double[] values, final long min,
            final long max)
        {
            final double v = number(key, variables, values);
            // Round-off of an expression like d^1.5 may leave 2999.9999999: such a value means the integer nearby.
            // The slack snaps only to that integer, never past it (1e18 stays 1e18, not 1e18 + 1e9).
            final double nearest = Math.rint(v);
            final double floored = Math.abs(v - nearest) <= 1e-9 * Math.max(1.0, Math.abs(v)) ? nearest : Math.floor(v);
            if (floored < min || floored > max)
            {
                final Object given = config.getValue(key).unwrapped();
                throw error(key, "a count in [" + min + ", " + max + "]",
                    given instanceof String ? render(given) + " = " + v : given);
            }
            return (long)floored;
        }

        public <T> T parse(final String key, final java.util.function.Function<String, T> parser)
        {
            final String text = string(key);
            try
            {
                return parser.apply(text);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UserError(where(key) + key + ": " + ex.getMessage());
            }
        }

        private String where(final String key)
        {
            return ExperimentConfig.where(config.getValue(key));
        }

        public UserError error(final String key, final String expected, final Object got)
        {
            return new UserError(where(key) + key + ": expected " + expected + ", got "
                + (got instanceof String s && s.startsWith("'") ? s : render(got)));
        }

        private static String render(final Object got)
        {
            if (got instanceof String s)
            {
                return "'" + s + "'";
            }
            return String.valueOf(got);
        }
    }
}
