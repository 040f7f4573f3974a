package org.sgdsim.experiment.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.sgdsim.experiment.ExperimentSpec;

/** A sweep's tables: runs.csv (one row per run) and summary.csv (one row per grid point). */
final class SweepTables
{
    private final SweepReport r;

    SweepTables(final SweepReport report)
    {
        this.r = report;
    }

    // ---------------------------------------------------------------------------------------------- runs.csv

    String runsCsv()
    {
        final int maxK = r.plan.points().stream().mapToInt(p -> p.spec().k()).max().orElse(1);
        final List<String> header = new ArrayList<>(List.of("point"));
        r.definition.axes().forEach(a -> header.add(a.key()));
        header.addAll(List.of("seed", "d", "nb", "reached", "steps_to_threshold", "samples_to_threshold", "steps",
            "samples", "stop_reason", "wall_s", "mean_iter_s", "learner_p50_us"));
        for (int c = 1; c <= maxK; c++)
        {
            header.add("final_max_cos_" + c);
        }
        final StringBuilder out = new StringBuilder(Csv.line(header)).append('\n');
        for (final RunRecord rec : r.records)
        {
            final SweepPlan.Run run = rec.run();
            final List<String> row = new ArrayList<>(List.of(run.point().id()));
            row.addAll(run.point().labels());
            row.addAll(List.of(Long.toString(run.seed()), Integer.toString(run.spec().data().dim()),
                Integer.toString(run.spec().training().batchSize()), Boolean.toString(rec.reached()),
                rec.reached() ? Long.toString(rec.stepsToThreshold()) : "",
                rec.reached() ? Long.toString(rec.samplesToThreshold()) : "",
                Long.toString(rec.steps()), Long.toString(rec.samples()), rec.stopReason(),
                Csv.number(rec.wallSeconds()), Csv.number(rec.meanIterationSeconds()),
                Csv.number(rec.learnerP50Micros())));
            for (int c = 0; c < maxK; c++)
            {
                row.add(c < rec.finalMaxCos().length ? Csv.number(rec.finalMaxCos()[c]) : "");
            }
            out.append(Csv.line(row)).append('\n');
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------- summary.csv

    /** Per point: for each metric and each x of curves.at, {q1, median, q3} in that order, flattened. */
    Map<String, double[]> curveValuesAt()
    {
        final Map<String, double[]> out = new LinkedHashMap<>();
        final double[] at = r.definition.report().curves().at();
        if (at.length == 0)
        {
            return out;
        }
        final List<String> metrics = r.definition.report().curves().metrics();
        for (final SweepReport.PointStats p : r.stats)
        {
            final List<LearningCurves.Curve> curves = r.curves(p);
            final double[] v = new double[metrics.size() * at.length * 3];
            int i = 0;
            for (int m = 0; m < metrics.size(); m++)
            {
                for (final double x : at)
                {
                    final double[] values = LearningCurves.values(curves, m, x);
                    v[i++] = Stats.quantile(values, 0.25);
                    v[i++] = Stats.median(values);
                    v[i++] = Stats.quantile(values, 0.75);
                }
            }
            out.put(p.point().id(), v);
        }
        return out;
    }

    String summaryCsv(final Map<String, double[]> rates, final Map<String, double[]> atValues)
    {
        final SweepDefinition.TimeModel model = r.definition.report().timeModel();
        final List<String> header = new ArrayList<>(List.of("point"));
        r.definition.axes().forEach(a -> header.add(a.key()));
        header.addAll(List.of("d", "nb", "learning_rate", "seeds", "reached", "success_fraction", "T_median", "T_q1",
            "T_q3", "nbT_median", "nbT_q1", "nbT_q3", "theory_T", "theory_nbT", "measured_s_per_step",
            "measured_samples_per_s", "measured_wall_to_threshold_s", "model_workers", "model_rate_samples_per_s",
            "model_latency_s", "model_s_per_step", "model_time_to_threshold_s"));
        for (final String metric : r.definition.report().curves().metrics())
        {
            for (final double x : r.definition.report().curves().at())
            {
                final String base = metric.replace('-', '_') + "_at_" + Csv.number(x);
                header.addAll(List.of(base + "_q1", base + "_median", base + "_q3"));
            }
        }
        final StringBuilder out = new StringBuilder(Csv.line(header)).append('\n');
        for (final SweepReport.PointStats p : r.stats)
        {
            final ExperimentSpec spec = p.point().spec();
            final double[] rate = rates.get(p.point().id());
            final double medianT = Stats.median(p.steps());
            final List<String> row = new ArrayList<>(List.of(p.point().id()));
            row.addAll(p.point().labels());
            row.addAll(List.of(Integer.toString(p.dim()), Integer.toString(p.batchSize()),
                Csv.number(spec.training().learningRate()), Integer.toString(p.runs().size()),
                Long.toString(p.reached()), Csv.number((double)p.reached() / p.runs().size()),
                Csv.number(medianT), Csv.number(Stats.quantile(p.steps(), 0.25)),
                Csv.number(Stats.quantile(p.steps(), 0.75)), Csv.number(Stats.median(p.samples())),
                Csv.number(Stats.quantile(p.samples(), 0.25)), Csv.number(Stats.quantile(p.samples(), 0.75)),
                Csv.number(p.theorySteps()), Csv.number(p.theorySteps() * p.batchSize()),
                Csv.number(p.secondsPerStep()), Csv.number(p.samplesPerSecond()), Csv.number(p.wallToThreshold()),
                Integer.toString(model.workers()), Csv.number(rate[0]), Csv.number(model.latency()),
                Csv.number(rate[1]), Csv.number(medianT * rate[1])));
            final double[] at = atValues.get(p.point().id());
            if (at != null)
            {
                Arrays.stream(at).forEach(v -> row.add(Csv.number(v)));
            }
            out.append(Csv.line(row)).append('\n');
            if (spec.stop().when() == null)
            {
                r.printed.add(p.point().id() + ": " + p.runs().size() + " runs (no threshold)");
            }
            else
            {
                r.printed.add(String.format(Locale.ROOT, "%s: reached %d/%d, median T %s [%s, %s], n_b·T %s [%s, %s]%s",
                    p.point().id(), p.reached(), p.runs().size(), Csv.number(medianT),
                    Csv.number(Stats.quantile(p.steps(), 0.25)), Csv.number(Stats.quantile(p.steps(), 0.75)),
                    Csv.number(Stats.median(p.samples())), Csv.number(Stats.quantile(p.samples(), 0.25)),
                    Csv.number(Stats.quantile(p.samples(), 0.75)), Double.isNaN(p.theorySteps()) ? ""
                        : " (theory T " + Csv.number(Math.rint(p.theorySteps())) + ", n_b·T "
                        + Csv.number(Math.rint(p.theorySteps() * p.batchSize())) + ")"));
            }
            if (at != null)
            {
                final StringBuilder s = new StringBuilder("  ");
                int i = 0;
                for (final String metric : r.definition.report().curves().metrics())
                {
                    for (final double x : r.definition.report().curves().at())
                    {
                        s.append(String.format(Locale.ROOT, "%s at %s = %s: %.4f [%.4f, %.4f]; ", metric,
                            r.definition.report().curves().x().configName(), Csv.number(x), at[i + 1], at[i], at[i + 2]));
                        i += 3;
                    }
                }
                r.printed.add(s.toString().strip());
            }
        }
        return out.toString();
    }
}
