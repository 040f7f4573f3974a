package org.sgdsim.optics;

import java.util.Locale;

/**
 * The time and energy model of dfa-optics.md §4: one training step of backprop on a GPU, DFA on a GPU, and DFA
 * with the feedback projection on the optical unit, with and without weight offloading and pipelining.
 *
 * <p>A model of P parameters has depth L and width w = √(P/(c·L)) (c = 1 for an MLP, 12 for a Transformer) and
 * feedback dimension D_fb = L·w (one feedback point of width w per layer or block). The optical unit costs
 * T_OPU = B·F_v·⌈d_e/N_in⌉·⌈D_fb/N_out⌉/f + t_lat per step, with F_v, N_in, N_out, f, t_lat and P_OPU taken from
 * the unit's {@link OpuParameters}.
 */
public final class CostModel
{
    /** The model's architecture, which sets P ≈ c·L·w². */
    public enum Architecture
    {
        /** P ≈ L·w². */
        MLP("mlp", 1.0),
        /** P ≈ 12·L·w². */
        TRANSFORMER("transformer", 12.0);

        private final String configName;
        private final double factor;

        Architecture(final String configName, final double factor)
        {
            this.configName = configName;
            this.factor = factor;
        }

        /** The name used in configuration files. */
        public String configName()
        {
            return configName;
        }

        /** Parses a configuration name, case-insensitively. */
        public static Architecture parse(final String text)
        {
            for (final Architecture a : values())
            {
                if (a.configName.equals(text.toLowerCase(Locale.ROOT)))
                {
                    return a;
                }
            }
            throw new IllegalArgumentException("expected mlp or transformer, got '" + text + "'");
        }
    }

    /**
     * The GPU and its link to the host.
     *
     * @param flops     R_gpu, sustained FLOP/s (1e14).
     * @param power     GPU power while busy, W (400).
     * @param idlePower GPU power while waiting, W (60).
     * @param bandwidth W, host↔GPU bytes per second (25e9).
     */
    public record Gpu(double flops, double power, double idlePower, double bandwidth)
    {
        /** Validates every parameter. */
        public Gpu
        {
            Parameters.positive(flops, "gpuFlops");
            Parameters.nonNegative(power, "gpuPower");
            Parameters.nonNegative(idlePower, "gpuIdlePower");
            Parameters.positive(bandwidth, "bandwidth");
        }
    }

    /**
     * The network trained and one step of it.
     *
     * @param bytesPerParameter s (2).
     * @param batch             B, error vectors per step (256).
     * @param errorDim          d_e (1000).
     * @param architecture      MLP or TRANSFORMER.
     * @param depth             L (24).
     */
    public record Workload(double bytesPerParameter, int batch, int errorDim, Architecture architecture, int depth)
    {
        /** Validates every parameter. */
        public Workload
        {
            Parameters.positive(bytesPerParameter, "bytesPerParameter");
            Parameters.positive(batch, "batch");
            Parameters.positive(errorDim, "errorDim");
            Parameters.positive(depth, "depth");
            if (architecture == null)
            {
                throw new IllegalArgumentException("cost architecture: expected MLP or TRANSFORMER, got null");
            }
        }
    }

    /**
     * The sizes P the table lists.
     *
     * @param minParameters   smallest P of the table (1e6).
     * @param maxParameters   largest P of the table (1e13).
     * @param pointsPerDecade table rows per decade of P (2).
     */
    public record Table(double minParameters, double maxParameters, int pointsPerDecade)
    {
        /** Validates every parameter. */
        public Table
        {
            Parameters.positive(minParameters, "minParameters");
            if (!(maxParameters > minParameters) || !Double.isFinite(maxParameters))
            {
                throw new IllegalArgumentException("cost maxParameters: expected a finite number > minParameters = "
                    + minParameters + ", got " + maxParameters);
            }
            if (pointsPerDecade < 1 || pointsPerDecade > 100)
            {
                throw new IllegalArgumentException("cost pointsPerDecade: expected an integer in [1, 100], got "
                    + pointsPerDecade);
            }
        }
    }

    /**
     * The settings of §4 (defaults there), grouped: the GPU and its host link, the network trained and its step, and
     * the table's range of P. Each part's constructor names a bad parameter.
     */
    public record Parameters(Gpu gpu, Workload workload, Table table)
    {
        /** Requires every part. */
        public Parameters
        {
            if (gpu == null || workload == null || table == null)
            {
                throw new IllegalArgumentException("cost: the gpu, workload and table parts are all required");
            }
        }

        /** The defaults of §4. */
        public static Parameters defaults()
        {
            return new Parameters(new Gpu(1e14, 400.0, 60.0, 25e9), new Workload(2.0, 256, 1000, Architecture.MLP, 24),
                new Table(1e6, 1e13, 2));
        }

        static void positive(final double v, final String name)
        {
            if (!(v > 0.0) || !Double.isFinite(v))
            {
                throw new IllegalArgumentException("cost " + name + ": expected a finite number > 0, got " + v);
            }
        }

        static void nonNegative(final double v, final String name)
        {
            if (!(v >= 0.0) || !Double.isFinite(v))
            {
                throw new IllegalArgumentException("cost " + name + ": expected a finite number >= 0, got " + v);
            }
        }
    }

    /** The training schedules compared. */
    public enum Schedule
    {
        /** Backprop on the GPU: 6BP/R. */
        BP("BP"),
        /** DFA on the GPU: (4BP + 2B·d_e·D_fb)/R. */
        DFA_GPU("DFA GPU"),
        /** DFA with the optical projection, sequential: 4BP/R + T_OPU. */
        ODFA("ODFA"),
        /** Optical DFA, the OPU projecting batch t while the GPU runs batch t+1: max(4BP/R, T_OPU). */
        ODFA_PIPELINED("ODFA pipelined"),
        /** Backprop with the weights streamed from the host for forward and backward: 6BP/R + 2Ps/W. */
        BP_OFFLOAD("BP offload"),
        /** GPU DFA, offloaded with the fused one-step-delayed schedule: T_DFA + Ps/W. */
        DFA_OFFLOAD("DFA GPU offload"),
        /** Optical DFA, offloaded and fused: 4BP/R + T_OPU + Ps/W. */
        ODFA_OFFLOAD("ODFA offload"),
        /** Optical DFA, offloaded, fused and pipelined: max(4BP/R + Ps/W, T_OPU). */
        ODFA_OFFLOAD_PIPELINED("ODFA offload pipelined");

        private final String label;

        Schedule(final String label)
        {
            this.label = label;
        }

        /** Human-readable name for tables and legends. */
        public String label()
        {
            return label;
        }
    }

    /**
     * One schedule at one size: step time, GPU busy time and OPU time (seconds), and energy (joules) =
     * P_GPU·busy + P_GPU,idle·(step − busy) + P_OPU·T_OPU.
     */
    public record StepCost(double seconds, double gpuBusy, double opuSeconds, double joules)
    {
    }

    private final Parameters cost;
    private final Gpu gpu;
    private final Workload workload;
    private final Table table;
    private final OpuParameters unit;

    /** A model over the given GPU and optical-unit settings. */
    public CostModel(final Parameters cost, final OpuParameters unit)
    {
        this.cost = cost;
        this.gpu = cost.gpu();
        this.workload = cost.workload();
        this.table = cost.table();
        this.unit = unit;
    }

    /** The GPU and model settings. */
    public Parameters cost()
    {
        return cost;
    }

    /** The optical unit's settings. */
    public OpuParameters unit()
    {
        return unit;
    }

    /** Width w = √(P/(c·L)). */
    public double width(final double parameters)
    {
        return Math.sqrt(parameters / (workload.architecture().factor * workload.depth()));
    }

    /** Feedback dimension D_fb = L·w. */
    public double feedbackDim(final double parameters)
    {
        return workload.depth() * width(parameters);
    }

    /** T_OPU of one step: B·F_v·⌈d_e/N_in⌉·⌈D_fb/N_out⌉/f + t_lat. */
    public double opuSeconds(final double parameters)
    {
        final double passes = Math.ceil((double)workload.errorDim() / unit.device().maxInputs())
            * Math.ceil(feedbackDim(parameters) / unit.device().maxOutputs());
        return workload.batch() * unit.framesPerVector() * passes / unit.device().frameRate()
            + unit.device().latency();
    }

    /** The cost of one step of a schedule for a model of P parameters. */
    public StepCost step(final Schedule schedule, final double parameters)
    {
        final double b = workload.batch();
        final double r = gpu.flops();
        final double forwardAndGradients = 4.0 * b * parameters / r;
        final double stream = parameters * workload.bytesPerParameter() / gpu.bandwidth();
        final double dfaGpu = forwardAndGradients + 2.0 * b * workload.errorDim() * feedbackDim(parameters) / r;
        final double opu = opuSeconds(parameters);
        return switch (schedule)
        {
            case BP -> cost(6.0 * b * parameters / r, 6.0 * b * parameters / r, 0.0);
            case DFA_GPU -> cost(dfaGpu, dfaGpu, 0.0);
            case ODFA -> cost(forwardAndGradients + opu, forwardAndGradients, opu);
            case ODFA_PIPELINED -> cost(Math.max(forwardAndGradients, opu), forwardAndGradients, opu);
            case BP_OFFLOAD -> cost(6.0 * b * parameters / r + 2.0 * stream, 6.0 * b * parameters / r, 0.0);
            case DFA_OFFLOAD -> cost(dfaGpu + stream, dfaGpu, 0.0);
            case ODFA_OFFLOAD -> cost(forwardAndGradients + opu + stream, forwardAndGradients, opu);
            case ODFA_OFFLOAD_PIPELINED -> cost(Math.max(forwardAndGradients + stream, opu), forwardAndGradients, opu);
        };
    }

    private StepCost cost(final double seconds, final double busy, final double opu)
    {
        return new StepCost(seconds, busy, opu,
            gpu.power() * busy + gpu.idlePower() * (seconds - busy) + unit.device().power() * opu);
    }

    /** The table's parameter counts: log-spaced from min to max, {@code pointsPerDecade} per decade. */
    public double[] sizes()
    {
        final double lo = Math.log10(table.minParameters());
        final double hi = Math.log10(table.maxParameters());
        final int n = (int)Math.floor((hi - lo) * table.pointsPerDecade() + 1e-9) + 1;
        final double[] p = new double[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = Math.pow(10.0, lo + (double)i / table.pointsPerDecade());
        }
        return p;
    }

    /**
     * The smallest P in [min, max] from which {@code faster} takes less time per step than {@code slower}, found by
     * scanning a log grid of 1000 points per decade for the first change of sign and bisecting it in log P to
     * machine precision; NaN when {@code faster} never overtakes in the range. At a jump of T_OPU (a new device tile)
     * the crossover is the jump itself.
     */
    public double crossover(final Schedule faster, final Schedule slower)
    {
        final double lo = Math.log10(table.minParameters());
        final double hi = Math.log10(table.maxParameters());
        final int steps = (int)Math.ceil((hi - lo) * 1000.0);
        double previous = lo;
        if (gap(faster, slower, previous) < 0.0)
        {
            return table.minParameters();
        }
        for (int i = 1; i <= steps; i++)
        {
            final double x = Math.min(hi, lo + i * (hi - lo) / steps);
            if (gap(faster, slower, x) < 0.0)
            {
                double a = previous;
                double b = x;
                for (int it = 0; it < 200 && b - a > 1e-15 * Math.abs(b); it++)
                {
                    final double mid = 0.5 * (a + b);
                    if (gap(faster, slower, mid) < 0.0)
                    {
                        b = mid;
                    }
                    else
                    {
                        a = mid;
                    }
                }
                return Math.pow(10.0, b);
            }
            previous = x;
        }
        return Double.NaN;
    }

    private double gap(final Schedule faster, final Schedule slower, final double log10P)
    {
        final double p = Math.pow(10.0, log10P);
        return step(faster, p).seconds() - step(slower, p).seconds();
    }

    /**
     * §4's closed form of the ODFA-vs-BP crossover without offloading, with the latency spread over the batch:
     * P* = (F_v·passes/f + t_lat/B)·R_gpu/2, for one device pass (valid while D_fb ≤ N_out and d_e ≤ N_in).
     */
    public double analyticCrossoverNoOffload()
    {
        return onePassOpuSeconds() / workload.batch() * gpu.flops() / 2.0;
    }

    /**
     * Pipelined ODFA vs BP, one device pass: max(4BP/R, T_OPU) &lt; 6BP/R exactly when T_OPU &lt; 6BP/R, so
     * P* = T_OPU·R_gpu/(6B).
     */
    public double analyticCrossoverPipelined()
    {
        return onePassOpuSeconds() * gpu.flops() / (6.0 * workload.batch());
    }

    /**
     * ODFA vs GPU DFA, one device pass: T_OPU &lt; 2B·d_e·D_fb/R when D_fb &gt; D_fb* = (F_v/f + t_lat/B)·R/(2 d_e),
     * i.e. P* = c·L·(D_fb* / L)².
     */
    public double analyticCrossoverGpuDfa()
    {
        final double feedback = onePassOpuSeconds() * gpu.flops() / (2.0 * workload.batch() * workload.errorDim());
        final double w = feedback / workload.depth();
        return workload.architecture().factor * workload.depth() * w * w;
    }

    /**
     * §4's offloaded crossover (fused schedule, ODFA offload vs BP offload), one device pass:
     * P* = T_OPU/(2B/R_gpu + s/W); with the streaming term dominant it is §4's B·F_v·W/(s·f).
     */
    public double analyticCrossoverOffload()
    {
        return onePassOpuSeconds() / (2.0 * workload.batch() / gpu.flops() + workload.bytesPerParameter() / gpu.bandwidth());
    }

    private double onePassOpuSeconds()
    {
        return workload.batch() * unit.framesPerVector() / unit.device().frameRate() + unit.device().latency();
    }
}
