package org.sgdsim.giant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.config.ExperimentConfig;
import org.sgdsim.math.Seeds;
import org.sgdsim.model.SampleGenerator;
import org.sgdsim.model.StreamReader;
import org.sgdsim.model.Teacher;

/** The giant-step protocol: what one step learns as κ grows, the readout against an independent ridge solve, spectra. */
class GiantStepsTest
{
    private static final String BASE = String.join("\n",
        "experiment { name = giant-test, seed = 3, kind = giant-step }",
        "data.dim = 64",
        "teacher.target = \"He1(z1) + He2(z1)\"",
        "student { width = 64, activation = relu, second-layer = ones }",
        "giant { steps = 1, kappa = 1.5, loss = correlation, learning-rate = \"10*p*d^0.5\" }",
        "readout { lambda = 0.01, samples = \"4*d\", test-samples = \"4*d\" }",
        "output.plots = false");

    @TempDir
    Path tmp;

    private GiantSpec spec(final String... overrides) throws java.io.IOException
    {
        final Path file = tmp.resolve("exp.conf");
        Files.writeString(file, BASE);
        return (GiantSpec)ExperimentConfig.loadAny(file, List.of(overrides), null);
    }

    private static GiantKind.Result run(final GiantSpec spec)
    {
        final List<CharSequence> rows = new ArrayList<>();
        return GiantKind.run(spec, rows::add, () -> false, null);
    }

    private static double maxCos(final GiantKind.Result r, final int direction)
    {
        return r.overlaps()[r.overlaps().length - 1][direction];
    }

    @Test
    void oneStepLearnsALeapOneDirectionOnlyWithEnoughSamples() throws Exception
    {
        // chance level sqrt(2 ln p / d) = 0.36 at d = p = 64
        final double below = maxCos(run(spec("giant.kappa=0.5")), 0);
        final double above = maxCos(run(spec("giant.kappa=2")), 0);
        assertTrue(below < 0.45, "n = d^0.5 samples: max_cos " + below);
        assertTrue(above > 0.9, "n = d^2 samples: max_cos " + above);
    }

    @Test
    void oneStepLearnsALeapTwoDirectionOnlyPastDSquared() throws Exception
    {
        final double leapOneSamples = maxCos(run(spec("teacher.target=\"He2(z1)\"", "giant.kappa=1")), 0);
        final double pastSquare = maxCos(run(spec("teacher.target=\"He2(z1)\"", "giant.kappa=2.75")), 0);
        assertTrue(leapOneSamples < 0.45, "He2, n = d: max_cos " + leapOneSamples);
        assertTrue(pastSquare > 0.8, "He2, n = d^2.75: max_cos " + pastSquare);
    }

    @Test
    void theReadoutIsTheRidgeSolutionOfItsFreshSamples() throws Exception
    {
        final GiantSpec spec = spec("giant.steps=0", "readout.samples=40", "readout.test-samples=30",
            "student.width=8", "data.dim=6", "readout.lambda=0.3");
        final GiantSteps g = new GiantSteps(spec);
        final org.sgdsim.metrics.FreshReadout.Errors fit = g.readout();
        // Independently: the same samples regenerated, features sigma(w_j.x)/p from W0 drawn again, a dense LU solve.
        final Teacher teacher = Teacher.create(spec.data().dim(), spec.target(), spec.data().noise(), spec.seed());
        final double[] w = spec.student().init().weights(teacher, spec.student().width(), spec.seed());
        final double[][] fitX = new double[40][];
        final double[] fitY = new double[40];
        draw(spec, teacher, org.sgdsim.metrics.FreshReadout.FIT_STREAM, fitX, fitY);
        final RealMatrix phi = features(spec, w, fitX);
        final RealMatrix system = phi.transpose().multiply(phi);
        for (int j = 0; j < spec.student().width(); j++)
        {
            system.addToEntry(j, j, 0.3);
        }
        final double[] a = new LUDecomposition(system).getSolver()
            .solve(phi.transpose().operate(new ArrayRealVector(fitY))).toArray();
        assertEquals(error(phi, a, fitY), fit.trainError(), 1e-9);
        final double[][] testX = new double[30][];
        final double[] testY = new double[30];
        draw(spec, teacher, org.sgdsim.metrics.FreshReadout.TEST_STREAM, testX, testY);
        assertEquals(error(features(spec, w, testX), a, testY), fit.testError(), 1e-9);
    }

    private static void draw(final GiantSpec spec, final Teacher teacher, final long salt, final double[][] x,
        final double[] y)
    {
        final StreamReader reader = new StreamReader(new SampleGenerator(teacher, Seeds.mix(spec.seed(), salt),
            spec.data().blockSize(), spec.data().gaussian()));
        final double[] row = new double[spec.data().dim()];
        final double[] label = new double[1];
        for (int u = 0; u < y.length; u++)
        {
            reader.read(1, row, label, 0);
            x[u] = row.clone();
            y[u] = label[0];
        }
    }

    private static RealMatrix features(final GiantSpec spec, final double[] w, final double[][] x)
    {
        final int p = spec.student().width();
        final int d = spec.data().dim();
        final RealMatrix phi = new Array2DRowRealMatrix(x.length, p);
        for (int u = 0; u < x.length; u++)
        {
            for (int j = 0; j < p; j++)
            {
                double lambda = 0.0;
                for (int i = 0; i < d; i++)
                {
                    lambda += w[j * d + i] * x[u][i];
                }
                phi.setEntry(u, j, Math.max(lambda, 0.0) / p);
            }
        }
        return phi;
    }

    private static double error(final RealMatrix phi, final double[] a, final double[] y)
    {
        final double[] f = phi.operate(a);
        double sum = 0.0;
        for (int u = 0; u < y.length; u++)
        {
            sum += (y[u] - f[u]) * (y[u] - f[u]);
        }
        return 0.5 * sum / y.length;
    }

    @Test
    void aLargeStepAddsSpectralOutliersAndNoStepAddsNone() throws Exception
    {
        final String[] spike = {"student.second-layer=rademacher", "giant.kappa=1.5", "giant.loss=square"};
        final GiantKind.Result none = run(spec(concat(spike, "giant.steps=0")));
        final GiantKind.Result small = run(spec(concat(spike, "giant.learning-rate=\"0.05*p\"")));
        final GiantKind.Result large = run(spec(concat(spike, "giant.learning-rate=\"2*p\"")));
        assertEquals(0, none.outliers().outliers());
        assertEquals(0, small.outliers().outliers(), "a small step leaves the bulk");
        assertTrue(large.outliers().outliers() >= 1, "a large step: " + large.outliers());
        assertTrue(large.after()[large.outliers().structural()] > large.outliers().edge());
    }

    private static String[] concat(final String[] a, final String b)
    {
        final String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void aReusedBatchIsTheFirstBatchAgain() throws Exception
    {
        final GiantKind.Result fresh1 = run(spec("giant.batch=fresh"));
        final GiantKind.Result reuse1 = run(spec("giant.batch=reuse"));
        assertArrayEquals(fresh1.overlaps()[1], reuse1.overlaps()[1], 0.0, "one step: the same first batch");
        final GiantKind.Result fresh2 = run(spec("giant.batch=fresh", "giant.steps=2"));
        final GiantKind.Result reuse2 = run(spec("giant.batch=reuse", "giant.steps=2"));
        assertEquals(2L * fresh2.spec().steps().batchSize(), fresh2.samples());
        assertEquals(reuse2.spec().steps().batchSize(), reuse2.samples());
        assertFalse(java.util.Arrays.equals(fresh2.overlaps()[2], reuse2.overlaps()[2]), "step 2 sees other samples");
    }

    @Test
    void theLowRankSamplerLearnsAsTheExplicitOne() throws Exception
    {
        // Exact in distribution for fresh batches: the same overlaps up to sampling noise, from other draws.
        final double explicit = maxCos(run(spec("giant.kappa=1.75")), 0);
        final double lowRank = maxCos(run(spec("giant.kappa=1.75", "data.sampler=lowrank", "student.width=16")), 0);
        final double explicit16 = maxCos(run(spec("giant.kappa=1.75", "student.width=16")), 0);
        assertTrue(explicit > 0.85, "explicit " + explicit);
        assertEquals(explicit16, lowRank, 0.05);
        assertTrue(lowRank != explicit16, "the samplers draw differently");
    }
}
