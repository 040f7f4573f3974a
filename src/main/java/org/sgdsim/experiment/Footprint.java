package org.sgdsim.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.sgdsim.experiment.dfa.DfaSpec;
import org.sgdsim.experiment.online.TheoryRun;
import org.sgdsim.metrics.RiskEstimators;
import org.sgdsim.metrics.RowSchedule;
import org.sgdsim.model.Sampler;
import org.sgdsim.stream.plane.Pipeline;
import org.sgdsim.train.FeedbackRule;

/**
 * What a run will allocate, estimated from its spec before anything is built or written: the large arrays of each
 * run kind (sample blocks, batches, weights and gradients, feedback matrices, the optical unit's transmission
 * matrix and frames, Monte Carlo draws, theory rows), counted in double arithmetic so no product overflows. A run
 * whose single array exceeds what Java can index, or whose runs at once exceed the heap, is refused with one line
 * naming the keys and the bytes.
 */
public final class Footprint
{
    /** Longest Java array (the JVM reserves a few header words below Integer.MAX_VALUE). */
    public static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16;
    /** Heap left for what the estimate does not count: the JVM's own objects, Pekko, queues, small arrays. */
    static final long RESERVE = 64L << 20;
    private static final double GIB = 1024.0 * 1024.0 * 1024.0;
    private static final int SCORE_CHUNK = 256;
    private static final int SNAPSHOTS = 16;

    private final List<Part> parts = new ArrayList<>();

    /** One counted allocation: the keys that size it, what it is, and its bytes. */
    public record Part(String keys, String what, double bytes)
    {
    }

    private Footprint()
    {
    }

    /** The footprint of a run of any kind (theory.enabled included for online runs). */
    public static Footprint of(final Experiment experiment)
    {
        final Footprint f = new Footprint();
        f.parts.addAll(experiment.footprint());
        return f;
    }

    /** An online run through the pipeline: student, teacher, pooled blocks, dataset, replay batch, risk draws. */
    public static Footprint online(final ExperimentSpec spec)
    {
        final Footprint f = new Footprint();
        final double d = spec.data().dim();
        final double p = spec.student().width();
        final double k = spec.k();
        final double nb = spec.training().batchSize();
        f.array("student.width × data.dim", "the student's first-layer weights", p * d);
        f.array("student.width²", "the student's overlap matrix Q", p * p);
        // weights, their gradient, and the initialisation's scratch (explicit overlaps draw k + 2p rows)
        final double initRows = spec.student().init() instanceof org.sgdsim.model.StudentInit.Explicit ? k + 2 * p : 1;
        f.doubles("student.width × data.dim", "the student's weights, gradient and initialisation", (2 * p + initRows) * d);
        f.doubles("data.dim", "the teacher's directions", k * d);
        final boolean lowRank = spec.data().sampler() == Sampler.LOWRANK;
        final double row = lowRank ? p + k : d;
        final int blockSize = spec.data().blockSize();
        f.array("data.block-size × " + (lowRank ? "student.width" : "data.dim"), "one block of samples", blockSize * row);
        final int generators = spec.execution().generators();
        final double blocks = (double)generators * Pipeline.blocksPerGenerator(spec.training().batchSize(),
            blockSize, (int)Math.min(Integer.MAX_VALUE, row), generators);
        f.doubles("data.block-size × " + (lowRank ? "student.width" : "data.dim") + " × pipeline.generators",
            "the " + (long)blocks + " pooled sample blocks", blocks * blockSize * (row + 1));
        if (lowRank)
        {
            f.array("student.width × data.dim", "the low-rank sampler's basis", (p + k) * d);
            f.doubles("student.width × data.dim", "the low-rank sampler's basis and stack", (3 * p + 2 * k) * d);
        }
        if (!spec.training().online())
        {
            f.doubles("training.dataset-size × data.dim", "the dataset", spec.training().datasetSize() * (d + 1));
        }
        if (spec.training().repeats() > 1)
        {
            f.doubles("training.batch-size × data.dim", "the batch kept for training.repeats", nb * (d + 1));
        }
        if (RiskEstimators.usesMonteCarlo(spec.target(), spec.student().activation()))
        {
            final double samples = spec.metrics().riskSamples();
            f.array("metrics.risk-samples × student.width", "the risk's held-out fields", samples * p);
            // two estimators: the learner's (stop.when) and the tracker's
            f.doubles("metrics.risk-samples × student.width", "the risk's held-out fields", 2 * samples * (p + k + 1));
        }
        f.doubles("student.width²", "the metrics snapshots", (SNAPSHOTS + 4) * p * (p + k));
        if (spec.execution().theory())
        {
            f.addTheory(spec, TheoryRun.lastStep(spec));
        }
        return f;
    }

    /** The theory of an online experiment up to step {@code last}: its run's W0 and W*, draws, rows and text. */
    public static Footprint theory(final ExperimentSpec spec, final long last)
    {
        final Footprint f = new Footprint();
        final double d = spec.data().dim();
        final double p = spec.student().width();
        f.array("student.width × data.dim", "the student's first-layer weights", p * d);
        f.array("student.width²", "the student's overlap matrix Q", p * p);
        f.doubles("student.width × data.dim", "the initial weights the theory starts from", (2 * p + spec.k()) * d);
        f.addTheory(spec, last);
        return f;
    }

    private void addTheory(final ExperimentSpec spec, final long last)
    {
        final double p = spec.student().width();
        final double k = spec.k();
        if (RiskEstimators.usesMonteCarlo(spec.target(), spec.student().activation()))
        {
            final double samples = spec.metrics().riskSamples();
            array("metrics.risk-samples × student.width", "the theory's Monte Carlo fields", samples * p);
            doubles("metrics.risk-samples × student.width", "the theory's Monte Carlo fields", 2 * samples * (p + k + 1));
        }
        // each row keeps M and Q, and theory.csv's text has about 24 characters per number
        final double rows = rows(spec.metrics().every(), last);
        if (rows > TheoryRun.MAX_ROWS)
        {
            throw TheoryRun.tooManyRows(last);
        }
        doubles("stop.max-steps × metrics.every × student.width²", "the theory rows and theory.csv",
            (rows + 1) * (p * k + p * p + 6) * 4);
    }

    /** Scheduled rows before step {@code last} (as TheoryRun counts them), counted up to one more than it allows. */
    private static double rows(final RowSchedule schedule, final long last)
    {
        if (!schedule.isLog())
        {
            return Math.min(TheoryRun.MAX_ROWS + 1.0, Math.ceil((double)last / schedule.every()));
        }
        long s = 0;
        int n = 0;
        while (s < last && n <= TheoryRun.MAX_ROWS)
        {
            n++;
            s = schedule.nextAfter(s);
        }
        return n;
    }

    /** A DFA run: data, the network with its velocities and gradients, activations, feedback or optical unit. */
    public static Footprint dfa(final DfaSpec spec)
    {
        final Footprint f = new Footprint();
        final int[] w = spec.network().widths();
        final double batch = spec.training().batchSize();
        double parameters = 0;
        double units = 0;
        double hidden = 0;
        for (int l = 0; l + 1 < w.length; l++)
        {
            f.array("network.widths", "the weights of layer " + (l + 1) + " (" + w[l + 1] + " × " + w[l] + ")",
                (double)w[l + 1] * w[l]);
            f.array("dfa.batch-size × network.widths", "the activations of layer " + (l + 1), batch * w[l + 1]);
            parameters += (double)w[l + 1] * w[l] + w[l + 1];
            units += w[l] + w[l + 1];
        }
        f.array("network.widths", "the checkpoint state (weights and velocities)", 2 * parameters);
        // net, velocities, gradients, backprop gradients, the learner's state copy and the checkpoint's bytes
        f.doubles("network.widths", "the weights, velocities, gradients and checkpoint state", 8 * parameters);
        f.doubles("dfa.batch-size × network.widths", "the activations and deltas",
            (3 * (batch + 2 * SCORE_CHUNK) + 2 * batch) * units);
        final double samples = spec.data().task() == DfaSpec.Task.DIGITS ? org.sgdsim.model.Digits.ROWS
            : (double)spec.data().trainSize() + spec.data().testSize();
        f.doubles("dfa.train-size + dfa.test-size", "the dataset",
            samples * (spec.data().task().inputs() + spec.data().task().outputs() + 1));
        final FeedbackRule rule = spec.training().rule();
        if (rule.projects())
        {
            for (int l = 1; l + 1 < w.length; l++)
            {
                hidden = spec.feedback().options().slicing() == org.sgdsim.train.FeedbackOptions.Slicing.BLOCKS
                    ? hidden + w[l] : Math.max(hidden, w[l]);
            }
            final double outputs = w[w.length - 1];
            final String rows = "network.widths";
            if (spec.feedback().projector() == DfaSpec.Projection.OPU)
            {
                f.array(rows, "the optical unit's transmission matrix", hidden * outputs);
                f.array("dfa.batch-size × network.widths", "the projected batch", batch * hidden);
                // real and imaginary parts, the ideal matrix; 16 frame-sized buffers; projections and requests
                f.doubles(rows, "the optical unit's transmission matrix", 3 * hidden * outputs);
                f.doubles("network.widths", "the camera frames", 16 * hidden);
                f.doubles("dfa.batch-size × network.widths", "the projected batches", 4 * batch * hidden);
            }
            else
            {
                f.array(rows, "the feedback matrix", hidden * outputs);
                f.array("dfa.batch-size × network.widths", "the projected batch", batch * hidden);
                f.doubles(rows, "the feedback matrix", hidden * outputs);
                f.doubles("dfa.batch-size × network.widths", "the projected batches", 2 * batch * hidden);
            }
        }
        else if (rule == FeedbackRule.FA)
        {
            double fixed = 0;
            for (int l = 1; l + 1 < w.length; l++)
            {
                fixed += (double)w[l + 1] * w[l];
            }
            f.doubles("network.widths", "the fixed feedback matrices", fixed);
        }
        return f;
    }

    /** Total bytes of one run. */
    public double bytes()
    {
        double sum = 0;
        for (final Part part : parts)
        {
            sum += part.bytes;
        }
        return sum;
    }

    /** The counted parts, largest first. */
    public List<Part> parts()
    {
        final List<Part> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingDouble(Part::bytes).reversed());
        return sorted;
    }

    /** Refuses the run when {@code atOnce} such runs do not fit in this JVM's heap. */
    public void check(final int atOnce)
    {
        check(atOnce, Runtime.getRuntime().maxMemory(), "");
    }

    /**
     * Refuses with one line when {@code atOnce} runs of this footprint need more than {@code heap} bytes (less a
     * reserve for what is not counted); {@code context} starts the message (e.g. the sweep point).
     */
    public void check(final int atOnce, final long heap, final String context)
    {
        final double needed = atOnce * bytes();
        if (needed + RESERVE <= heap)
        {
            return;
        }
        final List<Part> largest = parts();
        final StringBuilder s = new StringBuilder(context).append("memory: ");
        s.append(atOnce == 1 ? "the run needs about " : atOnce + " runs at once need about ").append(gib(needed));
        s.append(", more than the ").append(gib(heap)).append(" heap of this JVM (");
        for (int i = 0; i < Math.min(2, largest.size()); i++)
        {
            final Part part = largest.get(i);
            s.append(i == 0 ? "" : "; ").append(part.what).append(": ").append(part.keys).append(" = ")
                .append(gib(part.bytes)).append(atOnce == 1 ? "" : " per run");
        }
        s.append("); lower ").append(lower(largest.get(0).keys)).append(atOnce == 1 ? "" : ", run fewer at once (--parallel)")
            .append(" or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)");
        throw new UserError(s.toString());
    }

    /** Bytes in GiB with two significant decimals, as the messages print them. */
    public static String gib(final double bytes)
    {
        final double g = bytes / GIB;
        return String.format(Locale.ROOT, g < 10 ? "%.2f GiB" : "%.0f GiB", g);
    }

    /** "lower a, b or c" for the keys of a product such as {@code a × b²}. */
    private static String lower(final String keys)
    {
        final List<String> names = new ArrayList<>();
        for (final String key : keys.replace("²", "").replace("(", "").replace(")", "").split(" × | \\+ "))
        {
            if (key.contains(".") && !names.contains(key.strip()))
            {
                names.add(key.strip());
            }
        }
        final int n = names.size();
        return n == 1 ? names.get(0) : String.join(", ", names.subList(0, n - 1)) + " or " + names.get(n - 1);
    }

    private void doubles(final String keys, final String what, final double count)
    {
        parts.add(new Part(keys, what, count * Double.BYTES));
    }

    /** Refuses at once when one array of {@code length} numbers is longer than Java allows. */
    private void array(final String keys, final String what, final double length)
    {
        if (length > ARRAY_LIMIT)
        {
            throw new UserError(keys + ": " + what + " would hold " + String.format(Locale.ROOT, "%.0f", length)
                + " numbers (" + gib(length * Double.BYTES) + "), more than one Java array holds (" + ARRAY_LIMIT
                + "); lower " + lower(keys));
        }
    }
}
