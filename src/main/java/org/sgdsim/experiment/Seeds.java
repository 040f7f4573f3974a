package org.sgdsim.experiment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.sgdsim.metrics.Json;

/**
 * One experiment of any kind over several seeds ({@code ./sgdsim run FILE --seeds 0-4}): each seed is a complete run
 * in {@code <folder>/seed-<s>/}, {@code parallel} at a time, and {@code seeds.csv} / {@code seeds.json} give each
 * seed's figures (its kind's {@link RunKind.Model#seedFigures}) with the mean and range of the first.
 */
public final class Seeds
{
    private final Experiment spec;
    private final List<Long> seeds;
    private final int parallel;
    private final Path out;
    private final PrintStream progress;
    private final Set<Runs.Active<?>> active = ConcurrentHashMap.newKeySet();
    private volatile boolean stopRequested;

    /** The seed set; nothing starts before {@link #run()}. */
    public Seeds(final Experiment spec, final List<Long> seeds, final int parallel, final Path out,
        final PrintStream progress)
    {
        this.spec = spec;
        this.seeds = List.copyOf(seeds);
        this.parallel = parallel;
        this.out = out;
        this.progress = progress;
    }

    /** Parses {@code A-B} (inclusive) or a comma-separated list of seeds. */
    public static List<Long> parseSeeds(final String text)
    {
        final List<Long> list = new ArrayList<>();
        try
        {
            final int dash = text.indexOf('-', 1);
            if (dash > 0 && !text.contains(","))
            {
                final long a = Long.parseLong(text.substring(0, dash).trim());
                final long b = Long.parseLong(text.substring(dash + 1).trim());
                if (b < a || b - a >= 10_000)
                {
                    throw new UserError("--seeds: expected A-B with A ≤ B and at most 10000 seeds, got '" + text + "'");
                }
                for (long s = a; s <= b; s++)
                {
                    list.add(s);
                }
            }
            else
            {
                for (final String part : text.split(","))
                {
                    list.add(Long.parseLong(part.trim()));
                }
            }
        }
        catch (final NumberFormatException ex)
        {
            throw new UserError("--seeds: expected A-B or a comma-separated list of integers, got '" + text + "'");
        }
        if (list.stream().distinct().count() != list.size())
        {
            throw new UserError("--seeds: a seed appears twice in '" + text + "'");
        }
        return list;
    }

    /** The first figure of every seed (the score) and its summary. */
    public record Summary(Path dir, String score, List<Long> seeds, double[] scores, double wallSeconds)
    {
        /** Mean over the seeds whose score is a number. */
        public double mean()
        {
            return java.util.Arrays.stream(scores).filter(Double::isFinite).average().orElse(Double.NaN);
        }

        /** One line for the console. */
        public String oneLine()
        {
            final double min = java.util.Arrays.stream(scores).filter(Double::isFinite).min().orElse(Double.NaN);
            final double max = java.util.Arrays.stream(scores).filter(Double::isFinite).max().orElse(Double.NaN);
            final long finite = java.util.Arrays.stream(scores).filter(Double::isFinite).count();
            return String.format(Locale.ROOT, "%s: %d seeds, %s mean %.6g (%.6g–%.6g)%s, %.1f s", dir, scores.length,
                score, mean(), min, max, finite == scores.length ? "" : " over the " + finite + " with a value",
                wallSeconds);
        }
    }

    /** Drain every run under way and start no more. */
    public void requestStop()
    {
        stopRequested = true;
        for (final Runs.Active<?> run : active)
        {
            run.requestStop();
        }
    }

    /** Runs every seed and writes the summaries. */
    public Summary run()
    {
        final long t0 = System.nanoTime();
        Footprint.of(spec).check(Math.min(parallel, seeds.size()));
        final RunFolder base = RunFolder.create(spec.outputDir(), spec.name(), out);
        final ExecutorService pool = Executors.newFixedThreadPool(parallel, r ->
        {
            final Thread t = new Thread(r, "sgdsim-seeds");
            t.setDaemon(true);
            return t;
        });
        final List<Future<Map<String, Object>>> futures = new ArrayList<>();
        for (final long seed : seeds)
        {
            futures.add(pool.submit(() ->
            {
                if (stopRequested)
                {
                    return null;
                }
                return figures(Runs.start(spec.withSeed(seed), base.dir().resolve("seed-" + seed), progress, false),
                    seed);
            }));
        }
        pool.shutdown();
        final List<Map<String, Object>> results = new ArrayList<>();
        try
        {
            for (final Future<Map<String, Object>> f : futures)
            {
                final Map<String, Object> r = f.get();
                if (r != null)
                {
                    results.add(r);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException re)
            {
                throw re;
            }
            throw new IllegalStateException(ex.getCause());
        }
        final double wall = (System.nanoTime() - t0) * 1e-9;
        final List<String> columns = results.isEmpty() ? List.of("seed") : List.copyOf(results.get(0).keySet());
        final String score = columns.size() > 1 ? columns.get(1) : "score";
        final StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        final double[] scores = new double[results.size()];
        final List<Long> done = new ArrayList<>();
        for (int i = 0; i < results.size(); i++)
        {
            final Map<String, Object> r = results.get(i);
            scores[i] = ((Number)r.get(score)).doubleValue();
            done.add((Long)r.get("seed"));
            final List<String> cells = new ArrayList<>();
            for (final String c : columns)
            {
                final Object v = r.get(c);
                cells.add(v instanceof Double d ? (Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%s", d))
                    : String.valueOf(v));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        base.writeAtomically("seeds.csv", csv.toString());
        final Summary summary = new Summary(base.dir(), score, done, scores, wall);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", spec.name());
        json.put("kind", spec.kind().name());
        json.putAll(spec.seedSetFields());
        json.put("seeds", done);
        json.put(score, scores);
        json.put("mean", summary.mean());
        json.put("min", java.util.Arrays.stream(scores).filter(Double::isFinite).min().orElse(Double.NaN));
        json.put("max", java.util.Arrays.stream(scores).filter(Double::isFinite).max().orElse(Double.NaN));
        json.put("parallel", parallel);
        json.put("wall_seconds", wall);
        base.writeAtomically("seeds.json", Json.write(json));
        return summary;
    }

    /** Runs one seed to its end and returns its figures, led by its seed. */
    private <R> Map<String, Object> figures(final Runs.Active<R> run, final long seed)
    {
        active.add(run);
        try
        {
            final R result = run.finish();
            final Map<String, Object> f = new LinkedHashMap<>();
            f.put("seed", seed);
            f.putAll(run.seedFigures(result));
            return f;
        }
        finally
        {
            active.remove(run);
        }
    }
}
