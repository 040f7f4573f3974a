package org.sgdsim.experiment.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A sweep's fits.json: log-log scaling fits with bootstrap intervals, the time model and the time-optimal batch size. */
final class SweepFits
{
    private final SweepReport r;

    SweepFits(final SweepReport report)
    {
        this.r = report;
    }

    // --------------------------------------------------------------------------------------------- fits.json

    List<Map<String, Object>> fits()
    {
        final List<Map<String, Object>> fits = new ArrayList<>();
        if (!r.anyThreshold())
        {
            return fits;
        }
        for (final String[] axis : SweepReport.SCALING_AXES)
        {
            final int index = r.axisIndex(axis[0]);
            if (index < 0)
            {
                continue;
            }
            for (final List<SweepReport.PointStats> group : r.groups(index))
            {
                for (final boolean samples : new boolean[] {false, true})
                {
                    final ScalingFit fit = r.fit(group, axis, samples);
                    final Map<String, Object> f = new LinkedHashMap<>();
                    f.put("x", axis[1]);
                    f.put("x_key", axis[0]);
                    f.put("y", samples ? "nbT" : "T");
                    f.put("group", r.groupMap(group.get(0).point(), index));
                    if (fit == null)
                    {
                        f.put("slope", null);
                        f.put("note", "fewer than two grid values with runs that reached");
                        fits.add(f);
                        continue;
                    }
                    f.put("x_values", fit.x());
                    f.put("medians", fit.medians());
                    f.put("slope", fit.slope());
                    f.put("ci95", List.of(fit.low(), fit.high()));
                    f.put("prefactor", Math.exp(fit.intercept()));
                    final double theory = theorySlope(group, axis[1], samples, fit.x());
                    f.put("theory_slope", Double.isNaN(theory) ? null : theory);
                    fits.add(f);
                    r.printed.add(String.format(Locale.ROOT, "fit %s against %s (%s): slope %.3f, 95%% CI [%.3f, %.3f]%s",
                        samples ? "n_b·T" : "T", axis[2], r.groupLabel(group.get(0).point(), index), fit.slope(),
                        fit.low(), fit.high(), Double.isNaN(theory) ? "" : String.format(Locale.ROOT,
                            ", theory %.3f", theory)));
                }
            }
        }
        return fits;
    }

    double theorySlope(final List<SweepReport.PointStats> group, final String x, final boolean samples,
        final double[] used)
    {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (final SweepReport.PointStats p : group)
        {
            final double xv = SweepReport.xValue(p, x);
            if (Arrays.stream(used).anyMatch(u -> u == xv) && Double.isFinite(p.theorySteps()) && p.theorySteps() > 0)
            {
                xs.add(xv);
                ys.add(samples ? p.theorySteps() * p.batchSize() : p.theorySteps());
            }
        }
        if (xs.size() < 2 || xs.size() != used.length)
        {
            return Double.NaN;
        }
        return ScalingFit.leastSquares(xs.stream().mapToDouble(Double::doubleValue).toArray(),
            ys.stream().mapToDouble(Double::doubleValue).toArray())[0];
    }

    List<Map<String, Object>> timeOptimal(final Map<String, double[]> rates)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        final int index = r.axisIndex("training.batch-size");
        if (index < 0 || !r.anyThreshold())
        {
            return out;
        }
        for (final List<SweepReport.PointStats> group : r.groups(index))
        {
            SweepReport.PointStats best = null;
            double bestTime = Double.POSITIVE_INFINITY;
            for (final SweepReport.PointStats p : group)
            {
                final double t = Stats.median(p.steps()) * rates.get(p.point().id())[1];
                if (t < bestTime)
                {
                    bestTime = t;
                    best = p;
                }
            }
            final Map<String, Object> o = new LinkedHashMap<>();
            o.put("group", r.groupMap(group.get(0).point(), index));
            o.put("nb", best == null ? null : best.batchSize());
            o.put("modelled_seconds", best == null ? null : bestTime);
            out.add(o);
            if (best != null)
            {
                r.printed.add(String.format(Locale.ROOT, "time-optimal n_b (%s): %d, modelled time to threshold %.4g s",
                    r.groupLabel(group.get(0).point(), index), best.batchSize(), bestTime));
            }
        }
        return out;
    }

    Map<String, Object> timeModelJson()
    {
        final SweepDefinition.TimeModel model = r.definition.report().timeModel();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("formula", "t(n_b) = latency + n_b / (workers * rate)");
        m.put("workers", model.workers());
        m.put("rate", model.measuredRate() ? "measured (median samples/s over the runs of the group)" : model.rate());
        m.put("latency_s", model.latency());
        return m;
    }
}
