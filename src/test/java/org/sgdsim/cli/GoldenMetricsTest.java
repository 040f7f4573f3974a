package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped experiment (shortened) and one point of every shipped sweep write the same metrics rows as the code
 * of 2026-12-07 (commit daaa1ca) did: the hashes in {@code golden-metrics.txt} were computed on that code and pin
 * the numbers through any change of the engine. Wall-clock columns are left out of the hash. Those runs pin
 * {@code data.gaussian = ziggurat}, the generator of that code; the lines prefixed {@code vector} pin the same runs
 * with {@code data.gaussian = vector} (computed when the key was added).
 */
class GoldenMetricsTest
{
    private static final Path GOLDEN = Path.of("src/test/resources/org/sgdsim/cli/golden-metrics.txt");

    /** Experiment file → the overrides that shorten it to about a second. */
    private static final Map<String, List<String>> EXPERIMENTS = new LinkedHashMap<>();

    /** Sweep file → the grid value chosen on each axis (index), and the overrides that shorten its runs. */
    private static final Map<String, Map<String, Integer>> SWEEP_POINTS = new LinkedHashMap<>();

    static
    {
        EXPERIMENTS.put("quickstart", List.of("stop.max-steps=3000", "metrics.every=250"));
        EXPERIMENTS.put("he3-correlation-large-batch", List.of("stop.max-steps=40", "metrics.every=4"));
        EXPERIMENTS.put("staircase-displaced", List.of("stop.max-steps=3000", "metrics.every=250"));
        EXPERIMENTS.put("staircase-sgd", List.of("stop.max-steps=3000", "metrics.every=250"));
        EXPERIMENTS.put("phase-retrieval", List.of("stop.max-steps=3000", "metrics.every=250"));
        EXPERIMENTS.put("saad-solla-erf", List.of("stop.max-steps=3000", "metrics.every=250"));
        EXPERIMENTS.put("reused-batch-gd", List.of());
        EXPERIMENTS.put("dfa-digits-bp", List.of("dfa.epochs=2"));
        EXPERIMENTS.put("dfa-digits-dfa", List.of("dfa.epochs=2"));
        EXPERIMENTS.put("dfa-digits-shallow", List.of("dfa.epochs=2"));
        EXPERIMENTS.put("dfa-digits-redrawn", List.of("dfa.epochs=2"));
        EXPERIMENTS.put("dfa-digits-opu", List.of("dfa.epochs=1"));
        EXPERIMENTS.put("dfa-teacher-student", List.of("dfa.epochs=2"));
        EXPERIMENTS.put("giant-step", List.of("data.dim=48", "student.width=64"));

        SWEEP_POINTS.put("he2-batch-size", Map.of("training.loss", 0, "training.batch-size", 1));
        SWEEP_POINTS.put("he3-batch-size", Map.of("training.loss", 1, "training.batch-size", 1));
        SWEEP_POINTS.put("he3-dimension", Map.of("data.dim", 0));
        // A giant batch (n_b = d^2 at d = 1000) on the low-rank sampler.
        SWEEP_POINTS.put("he3-phase-diagram", Map.of("point", 15));
        SWEEP_POINTS.put("lowrank-vs-explicit", Map.of("point", 1));
        SWEEP_POINTS.put("repetition-he3", Map.of("variant", 1, "data.dim", 0));
        SWEEP_POINTS.put("repetition-staircase", Map.of("variant", 2, "d", 0));
        SWEEP_POINTS.put("giant-step-staircase", Map.of("target", 3, "giant.kappa", 4));
        SWEEP_POINTS.put("dfa-feedback-rules", Map.of("dfa.rule", 1));
    }

    @TempDir
    Path tmp;

    private static final List<String> GAUSSIANS = List.of("ziggurat", "vector");

    static Stream<String> experiments()
    {
        return GAUSSIANS.stream().flatMap(g -> EXPERIMENTS.keySet().stream().map(e -> g + ":" + e));
    }

    static Stream<String> sweeps()
    {
        return GAUSSIANS.stream().flatMap(g -> SWEEP_POINTS.keySet().stream().map(e -> g + ":" + e));
    }

    // The golden file's name of a run: as on daaa1ca for the ziggurat, prefixed with the generator otherwise.
    private static String goldenName(final String gaussian, final String what)
    {
        return "ziggurat".equals(gaussian) ? what : gaussian + " " + what;
    }

    @Test
    void everyShippedFileIsCovered() throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of("conf/experiments")))
        {
            assertEquals(files.map(GoldenMetricsTest::stem).sorted().toList(),
                EXPERIMENTS.keySet().stream().sorted().toList());
        }
        try (Stream<Path> files = Files.list(Path.of("conf/sweeps")))
        {
            assertEquals(files.filter(f -> f.toString().endsWith(".conf")).map(GoldenMetricsTest::stem).sorted()
                .toList(), SWEEP_POINTS.keySet().stream().sorted().toList());
        }
    }

    @ParameterizedTest
    @MethodSource("experiments")
    void shippedExperimentKeepsItsRows(final String point) throws IOException
    {
        final String gaussian = point.substring(0, point.indexOf(':'));
        final String name = point.substring(point.indexOf(':') + 1);
        final Path out = tmp.resolve(name);
        final List<String> args = new ArrayList<>(List.of("run", "conf/experiments/" + name + ".conf",
            "--out", out.toString(), "-q", "--set", "data.gaussian=" + gaussian));
        for (final String set : EXPERIMENTS.get(name))
        {
            args.add("--set");
            args.add(set);
        }
        execute(args);
        assertGolden(goldenName(gaussian, "experiment " + name), hashOfRun(out));

        // The single-threaded reference loop is the oracle: it writes the same rows.
        final Path reference = tmp.resolve(name + "-reference");
        args.set(3, reference.toString());
        args.add("--reference");
        execute(args);
        assertEquals(hashOfRun(out), hashOfRun(reference), name + ": pipeline and reference differ");
    }

    @ParameterizedTest
    @MethodSource("sweeps")
    void onePointOfEveryShippedSweepKeepsItsRows(final String point) throws IOException
    {
        final String gaussian = point.substring(0, point.indexOf(':'));
        final String name = point.substring(point.indexOf(':') + 1);
        final Path file = Path.of("conf/sweeps/" + name + ".conf");
        final Path out = tmp.resolve(name);
        final List<String> args = new ArrayList<>(List.of("sweep", file.toString(), "--out", out.toString(), "-q",
            "--set", "seeds=1", "--set", "stop.max-steps=200", "--set", "stop.max-samples=none",
            "--set", "data.gaussian=" + gaussian));
        final var grid = ConfigFactory.parseFile(file.toFile()).getConfig("grid");
        for (final Map.Entry<String, Integer> axis : SWEEP_POINTS.get(name).entrySet())
        {
            final String key = "\"" + axis.getKey() + "\"";
            final ConfigList values = grid.getList(key);
            args.add("--set");
            args.add("grid." + key + "=[" + values.get(axis.getValue()).render(ConfigRenderOptions.concise()) + "]");
        }
        execute(args);
        final List<Path> runs;
        try (Stream<Path> dirs = Files.list(out.resolve("runs")))
        {
            runs = dirs.sorted().toList();
        }
        assertEquals(1, runs.size(), runs.toString());
        assertGolden(goldenName(gaussian, "sweep " + name), hashOfRun(runs.get(0)));
    }

    private static void execute(final List<String> args)
    {
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err))
            .setOut(new PrintWriter(new StringWriter())).execute(args.toArray(String[]::new));
        assertEquals(0, code, String.join(" ", args) + ": " + err);
    }

    /** SHA-256 over metrics.csv (and theory.csv when written) without the wall-clock column. */
    static String hashOfRun(final Path dir) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (final String file : List.of("metrics.csv", "theory.csv"))
        {
            final Path path = dir.resolve(file);
            if (!Files.exists(path))
            {
                assertFalse("metrics.csv".equals(file), dir + " has no metrics.csv");
                continue;
            }
            text.append(file).append('\n');
            final List<String> lines = Files.readAllLines(path);
            final List<String> header = List.of(lines.get(0).split(",", -1));
            final int wall = header.indexOf("wall_s");
            for (final String line : lines)
            {
                final List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
                if (wall >= 0)
                {
                    cells.remove(wall);
                }
                text.append(String.join(",", cells)).append('\n');
            }
            assertTrue(lines.size() > 1, path + " has no rows");
        }
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static void assertGolden(final String name, final String hash) throws IOException
    {
        final Map<String, String> golden = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(GOLDEN))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                final int split = line.lastIndexOf(' ');
                golden.put(line.substring(0, split).strip(), line.substring(split + 1));
            }
        }
        assertEquals(golden.get(name), hash, "golden hash of " + name + " (line: '" + name + " " + hash + "')");
    }

    private static String stem(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
