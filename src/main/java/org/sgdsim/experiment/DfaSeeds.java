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
 * One DFA experiment over several seeds ({@code ./sgdsim run FILE --seeds 0-4}): each seed is a complete run in
 * {@code <folder>/seed-<s>/}, {@code parallel} at a time, and {@code seeds.csv} / {@code seeds.json} give the final
 * score per seed with its mean and range.
 */
public final class DfaSeeds
{
    private final DfaSpec spec;
    private final List<Long> seeds;
    private final int parallel;
    private final Path out;
    private final PrintStream progress;
    private final Set<DfaRuns.Active> active = ConcurrentHashMap.newKeySet();
    private volatile boolean stopRequested;

    /** The multi-seed run; nothing starts before {@link #run()}. */
    public DfaSeeds(final DfaSpec spec, final List<Long> seeds, final int parallel, final Path out,
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

    /** Final scores per seed and their summary. */
    public record Summary(Path dir, String score, List<Long> seeds, double[] scores, double wallSeconds)
    {
        /** Mean over seeds. */
        public double mean()
        {
            double s = 0.0;
            for (final double v : scores)
            {
                s += v;
            }
            return s / scores.length;
        }

        /** One line for the console. */
        public String oneLine()
        {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (final double v : scores)
            {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return String.format(Locale.ROOT, "%s: %d seeds, %s mean %.4f (%.4f–%.4f), %.1f s", dir, scores.length,
                score, mean(), min, max, wallSeconds);
        }
    }

    /** Drain every run under way and start no more. */
    public void requestStop()
    {
        stopRequested = true;
        for (final DfaRuns.Active run : active)
        {
            run.requestStop();
        }
    }

    /** Runs every seed and writes the summaries. */
    public Summary run()
    {
        final long t0 = System.nanoTime();
        Footprint.dfa(spec).check(Math.min(parallel, seeds.size()));
        final RunFolder base = RunFolder.create(spec.outputDir(), spec.name(), out);
        final ExecutorService pool = Executors.newFixedThreadPool(parallel, r ->
        {
            final Thread t = new Thread(r, "dfa-seeds");
            t.setDaemon(true);
            return t;
        });
        final List<Future<DfaRuns.Result>> futures = new ArrayList<>();
        for (final long seed : seeds)
        {
            futures.add(pool.submit(() ->
            {
                if (stopRequested)
                {
                    return null;
                }
                final DfaRuns.Active run = DfaRuns.start(spec.withSeed(seed), base.dir().resolve("seed-" + seed),
                    progress, false);
                active.add(run);
                try
                {
                    return run.finish();
                }
                finally
                {
                    active.remove(run);
                }
            }));
        }
        pool.shutdown();
        final List<DfaRuns.Result> results = new ArrayList<>();
        try
        {
            for (final Future<DfaRuns.Result> f : futures)
            {
                final DfaRuns.Result r = f.get();
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
        final String score = spec.task() == DfaSpec.Task.DIGITS ? "test_acc" : "test_nmse";
        final StringBuilder csv = new StringBuilder("seed," + score + ",epochs,steps,training_s\n");
        final double[] scores = new double[results.size()];
        final List<Long> done = new ArrayList<>();
        for (int i = 0; i < results.size(); i++)
        {
            final DfaRuns.Result r = results.get(i);
            scores[i] = r.testScore();
            done.add(r.spec().seed());
            csv.append(r.spec().seed()).append(',').append(r.testScore()).append(',').append(r.outcome().epochs())
                .append(',').append(r.outcome().steps()).append(',')
                .append(String.format(Locale.ROOT, "%.3f", r.outcome().trainingSeconds())).append('\n');
        }
        base.writeAtomically("seeds.csv", csv.toString());
        final Summary summary = new Summary(base.dir(), score, done, scores, wall);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", spec.name());
        json.put("rule", spec.rule().configName());
        json.put("seeds", done);
        json.put(score, scores);
        json.put("mean", scores.length == 0 ? Double.NaN : summary.mean());
        json.put("min", java.util.Arrays.stream(scores).min().orElse(Double.NaN));
        json.put("max", java.util.Arrays.stream(scores).max().orElse(Double.NaN));
        json.put("parallel", parallel);
        json.put("wall_seconds", wall);
        base.writeAtomically("seeds.json", Json.write(json));
        return summary;
    }
}
