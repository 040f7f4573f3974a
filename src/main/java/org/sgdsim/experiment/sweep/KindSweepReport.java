package org.sgdsim.experiment.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

/**
 * The report of a sweep of a run kind other than online (the scaling tables, fits and curves of {@link SweepReport}
 * are online SGD's): {@code runs.csv} with every run's grid values and summary.json figures, {@code summary.csv} with
 * each grid point's mean over seeds of every numeric figure, and the kind's own plots
 * ({@link org.sgdsim.experiment.RunKind#sweepPlots}).
 */
public final class KindSweepReport
{
    private KindSweepReport()
    {
    }

    /** Writes the report of {@code plan}'s finished runs (in {@code runDir(run)}) into {@code dir}; lines to print. */
    public static List<String> write(final SweepPlan plan, final Path dir,
        final java.util.function.Function<SweepPlan.Run, Path> runDir)
    {
        final List<Map<String, Object>> rows = rows(plan, runDir);
        final Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        AtomicFiles.write(dir.resolve("runs.csv"), table(new ArrayList<>(columns), rows));

        final Map<String, List<Map<String, Object>>> byPoint = new LinkedHashMap<>();
        for (final Map<String, Object> r : rows)
        {
            byPoint.computeIfAbsent((String)r.get("point"), p -> new ArrayList<>()).add(r);
        }
        final List<Map<String, Object>> means = new ArrayList<>();
        final Set<String> meanColumns = new LinkedHashSet<>();
        for (final List<Map<String, Object>> runs : byPoint.values())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("point", runs.get(0).get("point"));
            for (final Axis axis : plan.definition().axes())
            {
                m.put(axis.key(), runs.get(0).get(axis.key()));
            }
            m.put("seeds", runs.size());
            for (final String c : columns)
            {
                if (m.containsKey(c) || c.equals("seed"))
                {
                    continue;
                }
                double sum = 0.0;
                int n = 0;
                for (final Map<String, Object> r : runs)
                {
                    if (r.get(c) instanceof Number v)
                    {
                        sum += v.doubleValue();
                        n++;
                    }
                }
                if (n == runs.size())
                {
                    m.put(c, sum / n);
                }
            }
            meanColumns.addAll(m.keySet());
            means.add(m);
        }
        AtomicFiles.write(dir.resolve("summary.csv"), table(new ArrayList<>(meanColumns), means));
        final List<String> lines = new ArrayList<>(plan.kind().sweepPlots(rows, dir.resolve("plots")));
        lines.add(dir + ": " + rows.size() + " " + plan.kind().name() + " runs; runs.csv, summary.csv (means over "
            + "seeds)" + (lines.isEmpty() ? "" : ", plots/"));
        return lines;
    }

    /** One map per run: point, axis labels, seed, then the run's summary.json figures, nested objects flattened. */
    static List<Map<String, Object>> rows(final SweepPlan plan, final java.util.function.Function<SweepPlan.Run, Path> runDir)
    {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final SweepPlan.Run run : plan.runs())
        {
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("point", run.point().id());
            final List<Axis> axes = plan.definition().axes();
            for (int a = 0; a < axes.size(); a++)
            {
                r.put(axes.get(a).key(), run.point().labels().get(a));
            }
            r.put("seed", run.seed());
            final Config summary = ConfigFactory.parseFile(runDir.apply(run).resolve(RunRecord.SUMMARY).toFile(),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setAllowMissing(false));
            // summary.json's keys in name order (the parser keeps no order), after the grid values
            final Map<String, Object> figures = new java.util.TreeMap<>();
            flatten("", summary.root().unwrapped(), figures);
            figures.forEach(r::putIfAbsent);
            rows.add(r);
        }
        return rows;
    }

    private static void flatten(final String prefix, final Map<String, Object> values, final Map<String, Object> out)
    {
        for (final Map.Entry<String, Object> e : values.entrySet())
        {
            final String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested)
            {
                @SuppressWarnings("unchecked")
                final Map<String, Object> m = (Map<String, Object>)nested;
                flatten(key + ".", m, out);
            }
            else if (!(e.getValue() instanceof List) && !out.containsKey(key))
            {
                out.put(key, e.getValue());
            }
        }
    }

    private static String table(final List<String> columns, final List<Map<String, Object>> rows)
    {
        final StringBuilder s = new StringBuilder(Csv.line(columns)).append('\n');
        for (final Map<String, Object> r : rows)
        {
            final List<String> cells = new ArrayList<>();
            for (final String c : columns)
            {
                final Object v = r.get(c);
                cells.add(v == null ? "" : v instanceof Number n ? Csv.number(n.doubleValue()) : Csv.cell(v.toString()));
            }
            s.append(Csv.line(cells)).append('\n');
        }
        return s.toString();
    }
}
