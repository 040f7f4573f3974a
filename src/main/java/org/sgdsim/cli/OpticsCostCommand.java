package org.sgdsim.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sgdsim.experiment.OpticsSpec;
import org.sgdsim.experiment.RunFolder;
import org.sgdsim.experiment.UserError;
import org.sgdsim.metrics.plot.ChartWriter;
import org.sgdsim.metrics.plot.PlotSeries;
import org.sgdsim.metrics.plot.PlotSpec;
import org.sgdsim.optics.CostModel;
import org.sgdsim.optics.CostModel.Schedule;
import org.sgdsim.optics.OpuParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sgdsim optics-cost}: the §4 time and energy model of one training step (GPU backprop, GPU DFA, DFA with
 * the optical unit; offloaded, pipelined) as a table over parameter counts, the computed crossover sizes, and a
 * chart of time per step.
 */
@Command(name = "optics-cost",
    description = {"Time and energy per training step of BP and DFA on a GPU and of DFA with the optical unit",
        "(dfa-optics.md section 4) over parameter counts, the crossover sizes, and a chart of time per step."})
final class OpticsCostCommand implements java.util.concurrent.Callable<Integer>
{
    private static final int CHART_POINTS_PER_DECADE = 40;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override an optics.* key (repeatable), e.g. optics.cost.batch=32.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--plot", paramLabel = "FILE", description = "PNG chart of time per step (default: optics-cost.png).")
    private Path plot = Path.of("optics-cost.png");

    @Override
    public Integer call()
    {
        final OpticsSpec optics = OpticsSpec.load(overrides, Main.applicationConf());
        final Path parent = plot.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent))
        {
            throw new UserError("--plot: folder " + parent + " does not exist");
        }
        final CostModel model = new CostModel(optics.cost(), optics.unit());
        final PrintWriter out = spec.commandLine().getOut();
        for (final String line : report(model))
        {
            out.println(line);
        }
        RunFolder.writeAtomically(plot, ChartWriter.draw(chart(model)).png());
        out.println("plot: " + plot);
        out.flush();
        return 0;
    }

    /** The header, the table and the crossovers, as printed. */
    static List<String> report(final CostModel model)
    {
        final CostModel.Gpu g = model.cost().gpu();
        final CostModel.Workload w = model.cost().workload();
        final OpuParameters u = model.unit();
        final OpuParameters.Device device = u.device();
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "optics-cost: %s depth L = %d, batch B = %d, d_e = %d, R_gpu = %.3g FLOP/s,"
            + " W = %.3g B/s, s = %.3g B/parameter", w.architecture().configName(), w.depth(), w.batch(), w.errorDim(),
            g.flops(), g.bandwidth(), w.bytesPerParameter()));
        lines.add(String.format(Locale.ROOT, "OPU: %s/%s, F_v = %d frames per vector, f = %.6g Hz, t_lat = %.4g ms,"
            + " tile %d x %d, P_OPU = %.3g W; GPU %.3g W busy, %.3g W idle", u.projection().readout().configName(),
            u.projection().encoding().configName(), u.framesPerVector(), device.frameRate(), 1e3 * device.latency(),
            device.maxInputs(), device.maxOutputs(), device.power(), g.power(), g.idlePower()));
        lines.add("time per step in ms; energy per step in J (offload: fused one-step-delayed schedule for DFA/ODFA)");
        final StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%10s %9s %9s %10s", "P", "w", "D_fb",
            "T_OPU"));
        for (final Schedule s : Schedule.values())
        {
            head.append(String.format(Locale.ROOT, " %10s", shortName(s)));
        }
        head.append(String.format(Locale.ROOT, " %10s %10s %10s", "E_BP", "E_DFA", "E_ODFA"));
        lines.add(head.toString());
        for (final double p : model.sizes())
        {
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%10.3g %9.4g %9.4g %10.4g", p,
                model.width(p), model.feedbackDim(p), 1e3 * model.opuSeconds(p)));
            for (final Schedule s : Schedule.values())
            {
                row.append(String.format(Locale.ROOT, " %10.4g", 1e3 * model.step(s, p).seconds()));
            }
            row.append(String.format(Locale.ROOT, " %10.4g %10.4g %10.4g", model.step(Schedule.BP, p).joules(),
                model.step(Schedule.DFA_GPU, p).joules(), model.step(Schedule.ODFA, p).joules()));
            lines.add(row.toString());
        }
        lines.add("crossovers (computed by bisection; the closed form of section 4 in brackets, for one device pass):");
        lines.add(crossover(model, Schedule.ODFA, Schedule.BP, "(F_v/f + t_lat/B)·R/2", model.analyticCrossoverNoOffload()));
        lines.add(crossover(model, Schedule.ODFA_PIPELINED, Schedule.BP, "T_OPU·R/(6B)",
            model.analyticCrossoverPipelined()));
        lines.add(crossover(model, Schedule.ODFA_OFFLOAD, Schedule.BP_OFFLOAD, "T_OPU/(2B/R + s/W)",
            model.analyticCrossoverOffload()));
        lines.add(crossover(model, Schedule.ODFA, Schedule.DFA_GPU, "c·L·(D_fb* / L)², D_fb* = (F_v/f + t_lat/B)·R/(2 d_e)",
            model.analyticCrossoverGpuDfa()));
        return lines;
    }

    private static String crossover(final CostModel model, final Schedule faster, final Schedule slower,
        final String formula, final double analytic)
    {
        final double p = model.crossover(faster, slower);
        final String found = Double.isNaN(p) ? String.format(Locale.ROOT, "none in [%.3g, %.3g]",
            model.cost().table().minParameters(), model.cost().table().maxParameters())
            : String.format(Locale.ROOT, "P* = %.4g (w = %.4g)", p, model.width(p));
        return String.format(Locale.ROOT, "  %-22s faster than %-10s from %s   [%s = %.4g]", faster.label(),
            slower.label(), found, formula, analytic);
    }

    private static String shortName(final Schedule s)
    {
        return switch (s)
        {
            case BP -> "BP";
            case DFA_GPU -> "DFA";
            case ODFA -> "ODFA";
            case ODFA_PIPELINED -> "ODFA_pipe";
            case BP_OFFLOAD -> "BP_off";
            case DFA_OFFLOAD -> "DFA_off";
            case ODFA_OFFLOAD -> "ODFA_off";
            case ODFA_OFFLOAD_PIPELINED -> "ODFA_offp";
        };
    }

    /** Time per step against P for every schedule, log-log. */
    static PlotSpec chart(final CostModel model)
    {
        final double lo = Math.log10(model.cost().table().minParameters());
        final double hi = Math.log10(model.cost().table().maxParameters());
        final int n = (int)Math.ceil((hi - lo) * CHART_POINTS_PER_DECADE) + 1;
        final double[] x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.pow(10.0, lo + (hi - lo) * i / (n - 1));
        }
        final List<PlotSeries> series = new ArrayList<>();
        for (final Schedule s : Schedule.values())
        {
            final double[] y = new double[n];
            for (int i = 0; i < n; i++)
            {
                y[i] = model.step(s, x[i]).seconds();
            }
            final boolean offload = s.name().contains("OFFLOAD");
            // An offloaded schedule is drawn dashed in the colour of its in-memory twin.
            series.add(offload ? PlotSeries.dashed(s.label(), s.ordinal() % 4, x, y) : PlotSeries.line(s.label(), s.ordinal(), x, y));
        }
        final OpuParameters u = model.unit();
        final CostModel.Workload w = model.cost().workload();
        // The setting goes in the title: a notes box would cover the tall legend.
        final String title = String.format(Locale.ROOT, "Time per step: %s L = %d, B = %d, d_e = %d; OPU %s, F_v = %d at %.0f Hz",
            w.architecture().configName(), w.depth(), w.batch(), w.errorDim(), u.projection().readout().configName(),
            u.framesPerVector(), u.device().frameRate());
        return new PlotSpec(title, "parameters P", "seconds per step (dashed: weights offloaded)", true, true, series,
            List.of());
    }
}
