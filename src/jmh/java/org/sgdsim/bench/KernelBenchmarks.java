package org.sgdsim.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.sgdsim.math.GaussianAlgorithm;
import org.sgdsim.math.GaussianSource;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Kernels;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.FieldGenerator;
import org.sgdsim.model.SampleGenerator;
import org.sgdsim.model.SecondLayer;
import org.sgdsim.model.StudentInit;
import org.sgdsim.model.Teacher;
import org.sgdsim.model.TwoLayerNetwork;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.train.UpdateRule;

/** JMH micro-benchmarks of the simulator's hot loops: Gaussian draws, dense kernels, one SGD step and sample blocks. */
// Not final, nor are the states: JMH generates subclasses of both. Each benchmark has a state class of its own so
// that one kernel's @Param grid does not multiply the run time of the others.
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
    "-XX:CompileCommandFile=conf/hotspot_compiler"})
public class KernelBenchmarks
{
    private static final long SEED = 1L;

    // Small enough that repeated in-place updates stay O(1) for the whole run, yet far from subnormal.
    private static final double TINY = 1e-9;

    /** Generator state for the Gaussian benchmarks. */
    @State(Scope.Thread)
    public static class Gaussians
    {
        /** Number of Gaussians per {@code fill} call. */
        @Param("1000")
        public int d;

        /** The generator ({@code data.gaussian}): ziggurat (one xoshiro256++ stream) or vector (eight lanes). */
        @Param({"ziggurat", "vector"})
        public String gaussian;

        GaussianSource stream;
        double[] dst;

        /** Seeds the stream and allocates the destination. */
        @Setup(Level.Trial)
        public void setUp()
        {
            stream = GaussianAlgorithm.parse(gaussian).stream(SEED, 0L);
            dst = new double[d];
        }
    }

    /** Two random vectors of length n for dot and axpy. */
    @State(Scope.Thread)
    public static class Vectors
    {
        /** Vector length. */
        @Param("1000")
        public int n;

        double[] x;
        double[] y;
        // A field, not a literal, so the JIT cannot fold the scalar into the loop.
        double alpha;

        /** Fills x and y with Gaussians. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final GaussianStream g = new GaussianStream(SEED, 1L);
            x = new double[n];
            y = new double[n];
            g.fill(x, 0, n);
            g.fill(y, 0, n);
            alpha = TINY * g.nextGaussian();
        }
    }

    /** A rows × d row-major matrix and a d-vector for gemv. */
    @State(Scope.Thread)
    public static class Matrix
    {
        /** Matrix rows: p = 4 is the student's width, 256 a wide layer. */
        @Param({"4", "256"})
        public int rows;

        /** Input dimension. */
        @Param("1000")
        public int d;

        double[] m;
        double[] x;
        double[] out;

        /** Fills the matrix and vector with Gaussians. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final GaussianStream g = new GaussianStream(SEED, 2L);
            m = new double[rows * d];
            x = new double[d];
            out = new double[rows];
            g.fill(m, 0, m.length);
            g.fill(x, 0, d);
        }
    }

    /** A p × d matrix W, a d-vector x and p coefficients for the rank-1 update W += c xᵀ. */
    @State(Scope.Thread)
    public static class RankOne
    {
        /** Rows of W (student width). */
        @Param("4")
        public int p;

        /** Input dimension. */
        @Param("1000")
        public int d;

        double[] w;
        double[] x;
        double[] c;

        /** Fills W, x and c with Gaussians, c scaled down so W stays bounded. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final GaussianStream g = new GaussianStream(SEED, 3L);
            w = new double[p * d];
            x = new double[d];
            c = new double[p];
            g.fill(w, 0, w.length);
            g.fill(x, 0, d);
            for (int j = 0; j < p; j++)
            {
                c[j] = TINY * g.nextGaussian();
            }
        }
    }

    /** A tanh student trained with square loss on one pre-generated batch of nb He3-teacher samples. */
    @State(Scope.Thread)
    public static class Batch
    {
        /** Student width. */
        @Param("4")
        public int p;

        /** Input dimension. */
        @Param("1000")
        public int d;

        /** Samples per gradient step. */
        @Param({"1", "32", "1024"})
        public int nb;

        UpdateRule rule;
        double[] weights;
        double[] x;
        double[] y;

        /** Builds teacher, student and rule as a run would, and draws the batch once. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final Teacher teacher = Teacher.create(d, Expression.parseTarget("He3(z1)"), 0.0, SEED);
            // Unit-norm rows as in a real run: with raw Gaussian rows λ ~ √d saturates tanh, σ' rounds to 0 and
            // UpdateRule skips the axpy, which would time a different code path.
            weights = new StudentInit.Random().weights(teacher, p, SEED);
            final double[] secondLayer = new SecondLayer.Ones().weights(p, SEED);
            final TwoLayerNetwork student = new TwoLayerNetwork(d, weights, secondLayer, Activation.parse("tanh"));
            // The tiny learning rate keeps W near its start, so every iteration times the same regime.
            rule = new UpdateRule(student, Loss.SQUARE, RowNormalization.NONE, TINY, 0.0, 1, nb);
            x = new double[nb * d];
            y = new double[nb];
            new SampleGenerator(teacher, SEED, nb).fillBlock(0L, x, y);
        }
    }

    /** The low-rank sampler on He3 (p = 1, correlation loss, projected): one block of coordinates and its step. */
    @State(Scope.Thread)
    public static class LowRank
    {
        /** Input dimension. */
        @Param("1024")
        public int d;

        /** Samples per block (the batch is one block). */
        @Param("4096")
        public int blockSize;

        FieldGenerator generator;
        UpdateRule rule;
        double[] weights;
        double[] z;
        double[] y;
        long block;
        org.sgdsim.train.CoefficientSums sums;
        double[] map;
        int rank;
        double[] pieceSums;

        /** Builds teacher, student, rule and generator as a lowrank run would, and draws one block. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final Teacher teacher = Teacher.create(d, Expression.parseTarget("He3(z1)"), 0.0, SEED);
            weights = new StudentInit.Random().weights(teacher, 1, SEED);
            final TwoLayerNetwork student = new TwoLayerNetwork(d, weights, new double[] {1.0}, Activation.parse("He3"));
            rule = UpdateRule.lowRank(student, teacher.directions(), 1, Loss.CORRELATION, RowNormalization.PROJECTED, TINY,
                SEED, blockSize, GaussianAlgorithm.ZIGGURAT);
            generator = new FieldGenerator(teacher, 1, SEED, blockSize, blockSize);
            z = new double[blockSize * 2];
            y = new double[blockSize];
            generator.fillBlock(0L, z, y);
            sums = rule.newCoefficientSums();
            map = new double[2];
            rule.beginBatch(blockSize);
            rank = rule.fieldMap(map);
            pieceSums = new double[rule.pieceSumsLength()];
        }
    }

    /** The data stream of a He3 teacher in blocks of 64 samples. */
    @State(Scope.Thread)
    public static class Samples
    {
        /** Input dimension. */
        @Param("1000")
        public int d;

        /** Samples per block. */
        @Param("64")
        public int blockSize;

        /** The generator of the samples' Gaussians ({@code data.gaussian}). */
        @Param({"ziggurat", "vector"})
        public String gaussian;

        SampleGenerator generator;
        double[] x;
        double[] y;
        long block;

        /** Builds the teacher and the generator. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final Teacher teacher = Teacher.create(d, Expression.parseTarget("He3(z1)"), 0.0, SEED);
            generator = new SampleGenerator(teacher, SEED, blockSize, GaussianAlgorithm.parse(gaussian));
            x = new double[blockSize * d];
            y = new double[blockSize];
        }
    }

    /** {@code GaussianStream.fill} of d doubles: ns per call, Gaussians/s = d / (ns per call) · 1e9. */
    @Benchmark
    public void gaussianFill(final Gaussians s, final Blackhole bh)
    {
        s.stream.fill(s.dst, 0, s.d);
        bh.consume(s.dst);
    }

    /** One {@code GaussianStream.nextGaussian()} draw. */
    @Benchmark
    public double gaussianNext(final Gaussians s)
    {
        return s.stream.nextGaussian();
    }

    /** {@code Kernels.dot} of two n-vectors. */
    @Benchmark
    public double dot(final Vectors s)
    {
        return Kernels.dot(s.x, 0, s.y, 0, s.n);
    }

    /** {@code Kernels.axpy}: y += αx over n elements, in place. */
    @Benchmark
    public void axpy(final Vectors s, final Blackhole bh)
    {
        Kernels.axpy(s.alpha, s.x, 0, s.y, 0, s.n);
        bh.consume(s.y);
    }

    /** {@code Kernels.gemv}: out = M x for a rows × d matrix. */
    @Benchmark
    public void gemv(final Matrix s, final Blackhole bh)
    {
        Kernels.gemv(s.m, s.rows, s.d, s.x, 0, s.out);
        bh.consume(s.out);
    }

    /** Rank-1 update W += c xᵀ of a p × d matrix, one {@code Kernels.axpy} per row as {@code UpdateRule} does. */
    @Benchmark
    public void rankOneUpdate(final RankOne s, final Blackhole bh)
    {
        final int d = s.d;
        for (int j = 0; j < s.p; j++)
        {
            Kernels.axpy(s.c[j], s.x, 0, s.w, j * d, d);
        }
        bh.consume(s.w);
    }

    /** One full mini-batch SGD step of nb samples: ns per step; ns per sample = that / nb. */
    @Benchmark
    public void batchStep(final Batch s, final Blackhole bh)
    {
        s.rule.beginBatch(s.nb);
        s.rule.accumulate(s.x, s.y, 0, s.nb);
        s.rule.endBatch();
        bh.consume(s.weights);
    }

    /** {@code SampleGenerator.fillBlock} of one block (a fresh block index each call): ns per block. */
    @Benchmark
    public void sampleBlock(final Samples s, final Blackhole bh)
    {
        s.generator.fillBlock(s.block++, s.x, s.y);
        bh.consume(s.x);
        bh.consume(s.y);
    }

    /** {@code FieldGenerator.fillBlock}: one block of the low-rank stream (r = 2 coordinates + label per sample). */
    @Benchmark
    public void lowRankBlock(final LowRank s, final Blackhole bh)
    {
        s.generator.fillBlock(s.block++, s.z, s.y);
        bh.consume(s.z);
        bh.consume(s.y);
    }

    /** One low-rank step on one block as the batch: fields, coefficients, sums, the p × d draw and the update. */
    @Benchmark
    public void lowRankStep(final LowRank s, final Blackhole bh)
    {
        s.rule.beginBatch(s.blockSize);
        s.rule.accumulate(s.z, s.y, 0, s.blockSize);
        s.rule.endBatch();
        bh.consume(s.weights);
    }

    /** A generator's reduction of one low-rank piece (He3 unit, r = 2): fields, coefficients and the piece's sums. */
    @Benchmark
    public void lowRankReduce(final LowRank s, final Blackhole bh)
    {
        s.sums.reduce(s.map, s.rank, Loss.CORRELATION, s.z, s.blockSize, s.y, 0, s.blockSize, s.pieceSums);
        bh.consume(s.pieceSums);
    }
}
