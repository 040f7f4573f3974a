package org.sgdsim.experiment.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.sgdsim.experiment.ExperimentSpec;
import org.sgdsim.experiment.Runs;
import org.sgdsim.metrics.RunResult;

/**
 * Runs the planned runs of a sweep, {@code parallel} at a time, each into {@code runs/<point>-seed<k>/}. A run
 * whose folder already holds a finished summary.json is skipped; a run that was under way (its folder has a
 * config.conf) is resumed from its newest valid checkpoint — or started over in its folder when it has none —
 * and anything else in the way is deleted and the run redone. Runs are deterministic, so the order they finish in does not matter.
 */
public final class SweepRunner
{
    private final SweepPlan plan;
    private final Path dir;
    private final int parallel;
    private final PrintStream log;
    private final Set<Runs.Active<?>> active = ConcurrentHashMap.newKeySet();
    // The records of the online runs this invocation finished, from the summaries they wrote.
    private final Map<SweepPlan.Run, RunRecord> fresh = new ConcurrentHashMap<>();
    private volatile boolean stopRequested;
    private volatile java.util.function.Consumer<Runs.Active<?>> started = a -> { };
    private int skipped;
    private int done;
    private int unfinished;

    /**
     * Creates a runner; nothing runs until {@link #run()}.
     *
     * @param plan     the runs.
     * @param dir      the sweep folder (runs go to {@code dir/runs/}).
     * @param parallel runs at a time (≥ 1).
     * @param log      one line per finished run, or null for silence.
     */
    public SweepRunner(final SweepPlan plan, final Path dir, final int parallel, final PrintStream log)
    {
        if (parallel < 1)
        {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        this.plan = plan;
        this.dir = dir;
        this.parallel = parallel;
        this.log = log;
    }

    /** The folder of one run. */
    public Path runDir(final SweepPlan.Run run)
    {
        return dir.resolve("runs").resolve(run.folder());
    }

    /** Runs skipped because they had finished before. */
    public int skipped()
    {
        return skipped;
    }

    /** Runs of this invocation that stopped unfinished at stop.max-wall (a re-run resumes them). */
    public int unfinished()
    {
        return unfinished;
    }

    /** Runs done by this invocation. */
    public int done()
    {
        return done;
    }

    /** Tells {@code listener} of each run as it starts (from the sweep's threads), e.g. to show it live. */
    public void onRunStarted(final java.util.function.Consumer<Runs.Active<?>> listener)
    {
        this.started = listener;
    }

    /** Whether a stop was requested (the records are then incomplete). */
    public boolean stopped()
    {
        return stopRequested;
    }

    /** Stop: start no new run, and let the active ones drain and write their summary (safe from a signal handler). */
    public void requestStop()
    {
        stopRequested = true;
        for (final Runs.Active<?> run : active)
        {
            run.requestStop();
        }
    }

    /**
     * Runs what is left to run and returns every run's record in plan order, or null when stopped before the end.
     *
     * @throws RuntimeException the first run failure, after the other active runs have finished.
     */
    public List<RunRecord> run()
    {
        final List<SweepPlan.Run> todo = new ArrayList<>();
        for (final SweepPlan.Run run : plan.runs())
        {
            final Path runDir = runDir(run);
            if (RunRecord.finished(runDir))
            {
                skipped++;
            }
            else
            {
                todo.add(run);
            }
        }
        if (log != null)
        {
            log.printf("sweep %s: %d runs (%d points × %d seeds), %d done before, %d to run, %d at a time%n",
                plan.definition().name(), plan.runs().size(), plan.points().size(), plan.definition().seeds().count(),
                skipped, todo.size(), parallel);
        }
        final ExecutorService pool = Executors.newFixedThreadPool(parallel, r ->
        {
            final Thread t = new Thread(r, "sweep-run");
            t.setDaemon(true);
            return t;
        });
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final List<Future<?>> futures = new ArrayList<>();
        for (final SweepPlan.Run run : todo)
        {
            futures.add(pool.submit(() ->
            {
                if (stopRequested || failure.get() != null)
                {
                    return;
                }
                try
                {
                    if (!plan.online())
                    {
                        final String line = runOther(run);
                        final int n = finished.incrementAndGet();
                        if (log != null)
                        {
                            log.printf("sweep [%d/%d] %s%n", n, todo.size(), line);
                        }
                        return;
                    }
                    final RunResult r = runOne(run);
                    final int n = finished.incrementAndGet();
                    if (log != null)
                    {
                        log.printf("sweep [%d/%d] %s: %s, %.1f s%n", n, todo.size(), run.folder(),
                            r.reached() ? "reached at step " + r.stepsToThreshold() + " (" + r.samplesToThreshold()
                                + " samples)" : (run.spec().stop().when() == null ? "done" : "not reached") + " ["
                                + r.stopReason().configName() + "] at step " + r.steps(), r.wallSeconds());
                    }
                }
                catch (final RuntimeException ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }));
        }
        pool.shutdown();
        for (final Future<?> f : futures)
        {
            try
            {
                f.get();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                requestStop();
            }
            catch (final ExecutionException ex)
            {
                failure.compareAndSet(null, new IllegalStateException(ex.getCause()));
            }
        }
        done = finished.get();
        if (failure.get() != null)
        {
            throw failure.get();
        }
        if (stopRequested)
        {
            return null;
        }
        if (!plan.online())
        {
            unfinished = (int)todo.stream().filter(r -> !RunRecord.finished(runDir(r))).count();
            // Other kinds' reports read the runs' summary.json themselves (KindSweepReport).
            return unfinished > 0 ? null : new ArrayList<>();
        }
        // Runs of this invocation have their record already; one parse of each other summary.json both checks that
        // the run finished and reads its record, on every core (the runs are done).
        final List<RunRecord> records = plan.runs().parallelStream()
            .map(run -> fresh.containsKey(run) ? fresh.get(run) : RunRecord.readFinished(run, runDir(run))).toList();
        unfinished = (int)records.stream().filter(java.util.Objects::isNull).count();
        return unfinished > 0 ? null : records;
    }

    private RunResult runOne(final SweepPlan.Run run)
    {
        final Runs.Active<RunResult> a = startRun(run.spec(), runDir(run));
        active.add(a);
        started.accept(a);
        try
        {
            if (stopRequested)
            {
                a.requestStop();
            }
            final RunResult result = a.finish();
            if (!result.stopReason().unfinished())
            {
                fresh.put(run, RunRecord.of(run, a.summary()));
            }
            return result;
        }
        finally
        {
            active.remove(a);
        }
    }

    /** Runs one run of a kind other than online through the engine; its one line. */
    private String runOther(final SweepPlan.Run run)
    {
        return finishOther(startRun(run.experiment(), runDir(run)));
    }

    private <R> String finishOther(final Runs.Active<R> a)
    {
        active.add(a);
        started.accept(a);
        try
        {
            if (stopRequested)
            {
                a.requestStop();
            }
            return a.oneLine(a.finish());
        }
        finally
        {
            active.remove(a);
        }
    }

    /**
     * As {@link #startRun(ExperimentSpec, Path)} for a run of any kind: a run under way in the folder is resumed
     * (kinds without checkpoints start over there), anything else is deleted and the run started afresh.
     */
    public static Runs.Active<?> startRun(final org.sgdsim.experiment.Experiment spec, final Path runDir)
    {
        if (spec instanceof ExperimentSpec online)
        {
            return startRun(online, runDir);
        }
        if (Files.isRegularFile(runDir.resolve("config.conf")))
        {
            try
            {
                return Runs.resume(runDir, true, List.of("stop.max-wall=" + spec.resolved().getValue("stop.max-wall")
                    .render(com.typesafe.config.ConfigRenderOptions.concise())), null, note -> { });
            }
            catch (final org.sgdsim.experiment.UserError torn)
            {
                // as for online runs: a torn folder is redone
            }
        }
        deleteTree(runDir);
        return Runs.start(spec, runDir, null, false);
    }

    /**
     * Starts one unfinished run of a sweep in its folder, as every sweep runner does (local or on a cluster worker):
     * a run that was under way (its folder has a config.conf) continues from its newest valid checkpoint, so its
     * files end as if never interrupted; anything else in the folder is deleted and the run started afresh.
     *
     * @param spec   the run's experiment.
     * @param runDir its folder.
     */
    public static Runs.Active<RunResult> startRun(final ExperimentSpec spec, final Path runDir)
    {
        if (Files.isRegularFile(runDir.resolve("config.conf")))
        {
            // A run the sweep had started continues from its checkpoint (or, all damaged, is redone: runs are short),
            // with this invocation's wall budget.
            try
            {
                return Runs.resume(runDir, true, List.of("stop.max-wall=" + spec.resolved().getValue("stop.max-wall")
                    .render(com.typesafe.config.ConfigRenderOptions.concise())), null, note -> { })
                    .as(org.sgdsim.experiment.online.OnlineKind.KIND);
            }
            catch (final org.sgdsim.experiment.UserError torn)
            {
                // Its files were not forced to disk (output.fsync = false) and a crash tore them: redo the run.
            }
        }
        deleteTree(runDir);
        return Runs.start(spec, runDir, null, false).as(org.sgdsim.experiment.online.OnlineKind.KIND);
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try
        {
            Files.walkFileTree(root, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
                {
                    if (ex != null)
                    {
                        throw ex;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete the unfinished run folder " + root, ex);
        }
    }
}
