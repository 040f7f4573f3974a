package org.sgdsim.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.Runs;

/**
 * Every Grafana dashboard under dashboards/grafana parses, has the datasource and run variables, and every PromQL
 * expression in it names only metrics a live run's /metrics actually exports (regex name matchers must match one).
 */
class GrafanaDashboardTest
{
    private static final Pattern NAME_REGEX = Pattern.compile("__name__\\s*=~\\s*\"([^\"]+)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Set<String> LABELS = Set.of("run", "stage", "state", "le", "job", "instance", "__name__");

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void everyExpressionUsesExportedMetrics() throws Exception
    {
        final Set<String> exported = exportedSeriesNames();
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("dashboards", "grafana")))
        {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no dashboard JSON under dashboards/grafana");
        final Set<String> used = new TreeSet<>();
        for (final Path file : files)
        {
            final Config dashboard = LiveFixture.json(Files.readString(file));
            assertFalse(dashboard.getString("uid").isBlank(), file + ": uid");
            final List<String> variables = dashboard.getConfigList("templating.list").stream()
                .map(v -> v.getString("type") + ":" + v.getString("name")).toList();
            assertTrue(variables.contains("datasource:datasource") && variables.contains("query:run"),
                file + ": datasource and run variables, got " + variables);
            final List<String> expressions = new ArrayList<>();
            collectExpressions(dashboard.root(), expressions);
            assertTrue(expressions.size() >= 10, file + ": expressions " + expressions);
            for (final String expr : expressions)
            {
                used.addAll(check(file, expr, exported));
            }
            for (final Config panel : dashboard.getConfigList("panels"))
            {
                assertEquals("${datasource}", panel.getString("datasource.uid"), file + ": " + panel.getString("title"));
            }
        }
        // every family the application exports has a panel
        for (final String family : PrometheusExport.FIXED_NAMES)
        {
            assertTrue(used.stream().anyMatch(u -> u.equals(family) || u.startsWith(family + "_")),
                "no panel shows " + family + " (used: " + used + ")");
        }
        for (final String family : List.of("sgdsim_max_cos_1", "sgdsim_risk", "sgdsim_student_teacher_overlap_1_1",
            "sgdsim_student_overlap_1_1"))
        {
            assertTrue(used.contains(family), "no panel shows " + family);
        }
        final String provider = Files.readString(Path.of("dashboards/grafana/provisioning/dashboards/sgdsim.yaml"));
        assertTrue(provider.contains("apiVersion: 1") && provider.contains("type: file"), provider);
        final String datasource = Files.readString(Path.of("dashboards/grafana/provisioning/datasources/prometheus.yaml"));
        assertTrue(datasource.contains("type: prometheus"), datasource);
    }

    /** The exported series names each expression refers to; fails on any other metric or label. */
    private static Set<String> check(final Path file, final String expr, final Set<String> exported)
    {
        final Set<String> names = new TreeSet<>();
        final Matcher regex = NAME_REGEX.matcher(expr);
        while (regex.find())
        {
            final Pattern p = Pattern.compile(regex.group(1));
            final List<String> matching = exported.stream().filter(n -> p.matcher(n).matches()).toList();
            assertFalse(matching.isEmpty(), file + ": __name__=~\"" + regex.group(1) + "\" matches no exported metric in "
                + expr);
            names.addAll(matching);
        }
        final Matcher label = LABEL_MATCHER.matcher(expr);
        while (label.find())
        {
            assertTrue(LABELS.contains(label.group(1)), file + ": label " + label.group(1) + " in " + expr);
        }
        final Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find())
        {
            for (final String l : grouping.group(1).split(","))
            {
                assertTrue(LABELS.contains(l.strip()), file + ": grouping label " + l + " in " + expr);
            }
        }
        // metric names outside strings, label sets and range selectors
        final String bare = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*\\}", "{}")
            .replaceAll("\\[[^\\]]*\\]", "[]");
        final Matcher id = IDENTIFIER.matcher(bare);
        while (id.find())
        {
            final String token = id.group();
            if (token.startsWith("sgdsim_"))
            {
                assertTrue(exported.contains(token), file + ": " + token + " is not exported (" + expr + ")");
                names.add(token);
            }
        }
        assertFalse(names.isEmpty(), file + ": no sgdsim metric in " + expr);
        return names;
    }

    private static void collectExpressions(final ConfigValue value, final List<String> out)
    {
        if (value.valueType() == ConfigValueType.OBJECT)
        {
            final com.typesafe.config.ConfigObject o = (com.typesafe.config.ConfigObject)value;
            for (final String key : o.keySet())
            {
                final ConfigValue v = o.get(key);
                if ((key.equals("expr") || key.equals("definition")) && v.valueType() == ConfigValueType.STRING)
                {
                    out.add((String)v.unwrapped());
                }
                else
                {
                    collectExpressions(v, out);
                }
            }
        }
        else if (value.valueType() == ConfigValueType.LIST)
        {
            for (final ConfigValue v : (com.typesafe.config.ConfigList)value)
            {
                collectExpressions(v, out);
            }
        }
    }

    /** Series names (with _bucket, _sum, _count, _total) of a live run's exposition. */
    private Set<String> exportedSeriesNames() throws Exception
    {
        try (LiveServer server = LiveServer.start(LiveFixture.settings()))
        {
            final Runs.Active run = LiveFixture.start(tmp.resolve("run"), 1_000, 50_000_000);
            server.register(run.dir(), run.live());
            final String exposition;
            try
            {
                // scraped while the run goes: every family, the latency histogram included, is there
                final long until = System.nanoTime() + 60_000_000_000L;
                while ((run.live().latencyTotals().isEmpty() || run.live().latest(
                    org.sgdsim.metrics.LiveRows.Table.METRICS) == null) && System.nanoTime() < until)
                {
                    Thread.sleep(100);
                }
                exposition = LiveFixture.get(server.url() + "metrics").body();
            }
            finally
            {
                run.requestStop();
                run.finish();
            }
            final Set<String> names = new TreeSet<>();
            for (final String line : exposition.split("\n"))
            {
                if (!line.startsWith("#") && !line.isBlank())
                {
                    final Matcher m = IDENTIFIER.matcher(line);
                    assertTrue(m.lookingAt(), line);
                    names.add(m.group());
                }
            }
            assertTrue(names.contains("sgdsim_iteration_duration_seconds_bucket"), names.toString());
            return names;
        }
    }
}
