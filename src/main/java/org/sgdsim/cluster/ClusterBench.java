package org.sgdsim.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.sgdsim.experiment.UserError;
import org.sgdsim.experiment.sweep.SweepDefinition;
import org.sgdsim.experiment.sweep.SweepFile;
import org.sgdsim.experiment.sweep.SweepPlan;

/**
 * {@code sgdsim cluster bench}: the capacity of one sweep coordinator. Plans a sweep of N runs as {@code sweep
 * --cluster} does and measures the heap it holds, then has a real {@link SweepCoordinator} on a one-node cluster
 * hand them to in-process workers that answer at once with a result of a real run's size; the coordinator writes
 * every result into the sweep folder as it does in a sweep, so runs/s covers hand-out, bookkeeping and the disk.
 */
public final class ClusterBench
{
    /** Size of a real run's summary.json and metrics.csv (he2-batch-size, 4 runs measured: 2.3 KB and 6.8 KB). */
    static final int SUMMARY_BYTES = 2_300;
    static final int METRICS_BYTES = 6_800;

    private ClusterBench()
    {
    }

    /**
     * Runs the benchmark and returns its figures (one JSON object).
     *
     * @param runs     runs planned (a generated sweep: 10 grid points × runs/10 seeds of the quick-start model).
     * @param workers  in-process workers, each asking for {@code slots} runs at a time.
     * @param out      the sweep folder the coordinator writes (must not exist; removed afterwards unless keep).
     */
    public static Map<String, Object> run(final Path experiment, final int runs, final int workers, final int slots,
        final Path out, final boolean keep) throws IOException, InterruptedException
    {
        if (runs < 10 || runs > SweepFile.MAX_RUNS || runs % 10 != 0)
        {
            throw new UserError("--runs: expected a multiple of 10 in [10, " + SweepFile.MAX_RUNS + "], got " + runs);
        }
        if (workers < 1 || workers > 10_000 || slots < 1 || slots > 1024)
        {
            throw new UserError("--workers: expected [1, 10000] workers of [1, 1024] slots, got " + workers + " × "
                + slots);
        }
        if (Files.exists(out))
        {
            throw new UserError("--out " + out + ": already exists; the bench writes a new sweep folder");
        }
        Files.createDirectories(out);
        try
        {
            final Path sweepFile = out.resolve("bench-sweep.conf");
            final StringBuilder levels = new StringBuilder();
            for (int b = 1; b <= 10; b++)
            {
                levels.append(b == 1 ? "" : ", ").append(b);
            }
            Files.writeString(sweepFile, String.join("\n",
                "experiment = " + com.typesafe.config.ConfigUtil.quoteString(experiment.toAbsolutePath().toString()),
                "grid { \"training.batch-size\" = [" + levels + "] }",
                "seeds = " + runs / 10,
                "set.experiment.name = cluster-bench"));
            final long heap0 = usedHeap();
            final long t0 = System.nanoTime();
            final SweepDefinition definition = SweepFile.load(sweepFile, List.of());
            final SweepPlan plan = SweepPlan.expand(definition, null, 1);
            final double planSeconds = (System.nanoTime() - t0) * 1e-9;
            final long heapPlan = usedHeap();
            final List<SweepCoordinator.Job> jobs = ClusterSweep.jobs(plan, out);
            final long heapJobs = usedHeap();
            final String id = ClusterSweep.id(plan);

            final int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                port = probe.getLocalPort();
            }
            final ClusterSettings settings = ClusterSettings.fromUserConfig(com.typesafe.config.ConfigFactory
                .parseString("cluster { port = " + port + ", seed-nodes = [\"127.0.0.1:" + port + "\"] }"));
            final CompletableFuture<Boolean> result = new CompletableFuture<>();
            final AtomicLong first = new AtomicLong();
            final String summary = "{\"bench\": \"" + "x".repeat(SUMMARY_BYTES - 14) + "\"}\n";
            final String metrics = ("step,risk\n" + "0,1.0\n".repeat(METRICS_BYTES / 6)).substring(0, METRICS_BYTES);
            final long t1;
            final long t2;
            try (ClusterNode node = ClusterNode.start(settings, ClusterNode.COORDINATOR, port, (context, status) ->
            {
                context.spawn(SweepCoordinator.create(id, jobs, plan.runs().size(), result, status, null, out),
                    "sweep-coordinator");
                for (int w = 0; w < workers; w++)
                {
                    context.spawn(instantWorker(slots, first, summary, metrics), "bench-worker-" + w);
                }
            }))
            {
                if (!node.awaitUp(Duration.ofSeconds(60)))
                {
                    throw new IllegalStateException("the bench node did not come up");
                }
                t1 = System.nanoTime();
                try
                {
                    result.get(1, TimeUnit.HOURS);
                }
                catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
                {
                    throw new IllegalStateException("the bench sweep failed: " + ex.getMessage(), ex);
                }
                t2 = System.nanoTime();
            }
            final long start = Math.max(first.get(), t1);
            final double seconds = (t2 - start) * 1e-9;
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", plan.runs().size());
            m.put("workers", workers);
            m.put("slots_per_worker", slots);
            m.put("plan_s", round(planSeconds));
            m.put("plan_heap_mb", round((heapPlan - heap0) / 1e6));
            m.put("jobs_heap_mb", round((heapJobs - heapPlan) / 1e6));
            m.put("coordinator_heap_mb_per_1e5_runs", round((heapJobs - heap0) / 1e6 * 1e5 / plan.runs().size()));
            m.put("sweep_s", round(seconds));
            m.put("runs_per_s", round(plan.runs().size() / seconds));
            m.put("out", out.toString());
            java.lang.ref.Reference.reachabilityFence(plan);
            java.lang.ref.Reference.reachabilityFence(jobs);
            return m;
        }
        finally
        {
            if (!keep)
            {
                try (var all = Files.walk(out))
                {
                    all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** A worker that answers every run at once with a result of a real run's size, then asks for the next. */
    private static Behavior<SweepWorker.Command> instantWorker(final int slots, final AtomicLong first,
        final String summary, final String metrics)
    {
        return Behaviors.setup(context ->
        {
            context.getSystem().receptionist().tell(Receptionist.register(SweepWorker.KEY, context.getSelf()));
            return Behaviors.receive(SweepWorker.Command.class)
                .onMessage(SweepWorker.Offer.class, offer ->
                {
                    for (int i = 0; i < slots; i++)
                    {
                        offer.coordinator().tell(new SweepCoordinator.RequestWork(context.getSelf(), offer.sweep()));
                    }
                    return Behaviors.same();
                })
                .onMessage(SweepWorker.Assign.class, a ->
                {
                    first.compareAndSet(0, System.nanoTime());
                    a.coordinator().tell(new SweepCoordinator.MetricsPart(context.getSelf(), a.sweep(), a.run(), 0,
                        metrics));
                    a.coordinator().tell(new SweepCoordinator.RunFinished(context.getSelf(), a.sweep(), a.run(), 1,
                        summary));
                    a.coordinator().tell(new SweepCoordinator.RequestWork(context.getSelf(), a.sweep()));
                    return Behaviors.same();
                })
                .build();
        });
    }

    private static long usedHeap() throws InterruptedException
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(50);
            final java.lang.management.MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            used = Math.min(used, u.getUsed());
        }
        return used;
    }

    private static double round(final double x)
    {
        return Math.round(x * 100) / 100.0;
    }
}
