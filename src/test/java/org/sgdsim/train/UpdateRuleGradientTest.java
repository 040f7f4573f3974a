package org.sgdsim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdsim.math.GaussianStream;
import org.sgdsim.math.Kernels;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;
import org.sgdsim.model.TwoLayerNetwork;

/** The rule's step is −γ·∇ℒ for every activation × loss, checked against central finite differences. */
class UpdateRuleGradientTest
{
    private static final int D = 7;
    private static final int P = 3;

    static Stream<Arguments> activationsAndLosses()
    {
        final String[] activations = {"He1", "He2", "He3", "He4", "He5", "He6", "He7", "He8", "erf", "relu", "tanh",
            "square", "linear", "tanh(x) + 0.1*x^3"};
        return Stream.of(activations).flatMap(a -> Stream.of(Loss.values()).map(l -> Arguments.of(a, l)));
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("activationsAndLosses")
    void stepIsMinusLearningRateTimesGradient(final String activationName, final Loss loss)
    {
        final Activation activation = Activation.parse(activationName);
        final GaussianStream g = new GaussianStream(11, activationName.hashCode() * 31L + loss.ordinal());
        final double[] w = new double[P * D];
        g.fill(w, 0, w.length);
        Kernels.scale(0.4, w, 0, w.length);
        final double[] a = {1.0, -0.7, 1.3};
        final double[] x = new double[D];
        g.fill(x, 0, D);
        final double[] y = {0.8};
        final double[] v = new double[P * D];
        g.fill(v, 0, v.length);

        final double numeric = directionalDerivative(w, a, activation, loss, x, y[0], v);

        final double gamma = 1.0;
        final double[] stepped = w.clone();
        final UpdateRule rule = new UpdateRule(new TwoLayerNetwork(D, stepped, a, activation), loss, RowNormalization.NONE,
            gamma, 0.0, 1, 1);
        rule.beginBatch(1);
        rule.accumulate(x, y, 0, 1);
        rule.endBatch();
        double analytic = 0.0;
        for (int i = 0; i < w.length; i++)
        {
            analytic -= (stepped[i] - w[i]) / gamma * v[i];
        }
        assertEquals(numeric, analytic, 1e-6 * Math.max(1.0, Math.abs(numeric)), "∇ℒ·v");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activationNames")
    void derivativeMatchesFiniteDifference(final String name)
    {
        final Activation s = Activation.parse(name);
        for (final double x : new double[] {-2.3, -0.7, 0.31, 1.4, 2.9})
        {
            final double h = 1e-6;
            final double numeric = (s.value(x + h) - s.value(x - h)) / (2 * h);
            assertEquals(numeric, s.derivative(x), 1e-6 * Math.max(1.0, Math.abs(numeric)), name + " at " + x);
        }
    }

    static Stream<String> activationNames()
    {
        return Stream.of("He1", "He2", "He3", "He4", "He5", "He6", "He7", "He8", "erf", "relu", "tanh", "square", "linear");
    }

    @Test
    void displacedGradientIsTheGradientAtTheDisplacedWeights()
    {
        final Activation activation = Activation.parse("tanh");
        final GaussianStream g = new GaussianStream(5, 5);
        final double[] w = new double[P * D];
        g.fill(w, 0, w.length);
        Kernels.scale(0.3, w, 0, w.length);
        final double[] a = {1.0, -1.0, 0.5};
        final double[] x = new double[D];
        g.fill(x, 0, D);
        final double y = 1.2;
        final double rho = 0.37;

        // W̃ = W + ρ·g(W), with g_j = (1/p) a_j σ'(λ_j) e x, then the step is γ·g(W̃).
        final double[] lambda = new double[P];
        final TwoLayerNetwork plain = new TwoLayerNetwork(D, w.clone(), a, activation);
        plain.preactivations(x, 0, lambda);
        final double e = y - plain.output(lambda);
        final double[] displaced = w.clone();
        for (int j = 0; j < P; j++)
        {
            Kernels.axpy(rho * a[j] * activation.derivative(lambda[j]) * e / P, x, 0, displaced, j * D, D);
        }
        final TwoLayerNetwork atDisplaced = new TwoLayerNetwork(D, displaced.clone(), a, activation);
        final UpdateRule reference = new UpdateRule(atDisplaced, Loss.SQUARE, RowNormalization.NONE, 1.0, 0.0, 1, 1);
        reference.beginBatch(1);
        reference.accumulate(x, new double[] {y}, 0, 1);
        reference.endBatch();

        final double[] mine = w.clone();
        final UpdateRule rule = new UpdateRule(new TwoLayerNetwork(D, mine, a, activation), Loss.SQUARE,
            RowNormalization.NONE, 1.0, rho, 1, 1);
        rule.beginBatch(1);
        rule.accumulate(x, new double[] {y}, 0, 1);
        rule.endBatch();

        for (int i = 0; i < w.length; i++)
        {
            assertEquals(atDisplaced.weights()[i] - displaced[i], mine[i] - w[i], 1e-12, "step entry " + i);
        }
    }

    @Test
    void projectedAndSphericalKeepUnitRowsAndSphericalStepIsTangent()
    {
        final Activation activation = Activation.parse("He3");
        final GaussianStream g = new GaussianStream(9, 9);
        final double[] w = new double[P * D];
        g.fill(w, 0, w.length);
        for (int j = 0; j < P; j++)
        {
            Kernels.scale(1.0 / Math.sqrt(Kernels.squaredNorm(w, j * D, D)), w, j * D, D);
        }
        final double[] a = {1.0, 1.0, 1.0};
        final double[] x = new double[4 * D];
        g.fill(x, 0, x.length);
        final double[] y = {1.0, -2.0, 0.5, 3.0};
        for (final RowNormalization n : new RowNormalization[] {RowNormalization.PROJECTED, RowNormalization.SPHERICAL})
        {
            final double[] ws = w.clone();
            final UpdateRule rule = new UpdateRule(new TwoLayerNetwork(D, ws, a, activation), Loss.CORRELATION, n,
                0.05, 0.0, 1, 4);
            rule.beginBatch(4);
            rule.accumulate(x, y, 0, 2);
            rule.accumulate(x, y, 2, 2);
            rule.endBatch();
            for (int j = 0; j < P; j++)
            {
                assertEquals(1.0, Kernels.squaredNorm(ws, j * D, D), 1e-14, n + " row norm");
            }
        }
        // The tangent projection removes only the radial part, which renormalisation removes anyway to first
        // order: the two rules must differ at second order in γ (10× smaller γ → ~100× smaller difference).
        final double coarse = projectedVersusSpherical(w, a, activation, x, y, 1e-3);
        final double fine = projectedVersusSpherical(w, a, activation, x, y, 1e-4);
        org.junit.jupiter.api.Assertions.assertTrue(coarse > 0.0 && fine < coarse / 50.0,
            "second-order agreement: " + coarse + " then " + fine);
    }

    private static double projectedVersusSpherical(final double[] w, final double[] a, final Activation activation,
        final double[] x, final double[] y, final double gamma)
    {
        final double[] projected = w.clone();
        final double[] spherical = w.clone();
        for (final double[] ws : new double[][] {projected, spherical})
        {
            final UpdateRule rule = new UpdateRule(new TwoLayerNetwork(D, ws, a, activation), Loss.CORRELATION,
                ws == projected ? RowNormalization.PROJECTED : RowNormalization.SPHERICAL, gamma, 0.0, 1, 4);
            rule.beginBatch(4);
            rule.accumulate(x, y, 0, 4);
            rule.endBatch();
        }
        double diff = 0.0;
        for (int i = 0; i < w.length; i++)
        {
            diff += (projected[i] - spherical[i]) * (projected[i] - spherical[i]);
        }
        return Math.sqrt(diff);
    }

    @Test
    void oneSampleStepsWithoutTheGradientBufferChangeNoBit()
    {
        final Activation activation = Activation.parse("tanh");
        final GaussianStream g = new GaussianStream(21, 21);
        final double[] w = new double[P * D];
        g.fill(w, 0, w.length);
        final double[] a = {1.0, -1.0, 0.5};
        final double[] x = new double[D];
        g.fill(x, 0, D);
        for (final RowNormalization n : new RowNormalization[] {RowNormalization.NONE, RowNormalization.PROJECTED})
        {
            final double[] direct = w.clone();
            final double[] buffered = w.clone();
            // repeats = 2 keeps the batch for replay, which forces the gradient buffer on the first step.
            final UpdateRule one = new UpdateRule(new TwoLayerNetwork(D, direct, a, activation), Loss.SQUARE, n, 0.3,
                0.0, 1, 1);
            final UpdateRule two = new UpdateRule(new TwoLayerNetwork(D, buffered, a, activation), Loss.SQUARE, n, 0.3,
                0.0, 2, 1);
            for (final UpdateRule rule : new UpdateRule[] {one, two})
            {
                rule.beginBatch(1);
                rule.accumulate(x, new double[] {0.7}, 0, 1);
                rule.endBatch();
            }
            for (int i = 0; i < w.length; i++)
            {
                assertEquals(Double.doubleToLongBits(buffered[i]), Double.doubleToLongBits(direct[i]), n + " entry " + i);
            }
        }
    }

    /**
     * With a trained second layer, one batch moves a by −γ_a·∂ℒ/∂a (mean over the batch; central differences of
     * the loss) and W exactly as with a fixed a (the W step uses the a before the step).
     */
    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("activationsAndLosses")
    void secondLayerStepIsMinusItsRateTimesItsGradient(final String activationName, final Loss loss)
    {
        final Activation activation = Activation.parse(activationName);
        final GaussianStream g = new GaussianStream(12, activationName.hashCode() * 31L + loss.ordinal());
        final double[] w = new double[P * D];
        g.fill(w, 0, w.length);
        Kernels.scale(0.4, w, 0, w.length);
        final double[] a0 = {1.0, -0.7, 1.3};
        final int n = 3;
        final double[] x = new double[n * D];
        g.fill(x, 0, x.length);
        final double[] y = {0.8, -0.3, 0.5};
        final double rate = 0.7;
        final double[] trainedW = w.clone();
        final double[] trainedA = a0.clone();
        final UpdateRule rule = new UpdateRule(new TwoLayerNetwork(D, trainedW, trainedA, activation), loss,
            RowNormalization.NONE, 0.9, 0.0, 1, n).trainSecondLayer(rate);
        rule.beginBatch(n);
        rule.accumulate(x, y, 0, n);
        rule.endBatch();
        final double[] fixedW = w.clone();
        final UpdateRule fixed = new UpdateRule(new TwoLayerNetwork(D, fixedW, a0.clone(), activation), loss,
            RowNormalization.NONE, 0.9, 0.0, 1, n);
        fixed.beginBatch(n);
        fixed.accumulate(x, y, 0, n);
        fixed.endBatch();
        org.junit.jupiter.api.Assertions.assertArrayEquals(fixedW, trainedW, "W moves as with a fixed a");
        final double h = 1e-6;
        for (int j = 0; j < P; j++)
        {
            double gradient = 0.0;
            for (int u = 0; u < n; u++)
            {
                final double[] up = a0.clone();
                final double[] down = a0.clone();
                up[j] += h;
                down[j] -= h;
                final double[] xu = java.util.Arrays.copyOfRange(x, u * D, (u + 1) * D);
                gradient += (lossAt(w, w, 0.0, up, activation, loss, xu, y[u])
                    - lossAt(w, w, 0.0, down, activation, loss, xu, y[u])) / (2 * h) / n;
            }
            assertEquals(-rate * gradient, trainedA[j] - a0[j], 1e-7 * Math.max(1.0, Math.abs(gradient)), "a_" + j);
        }
    }

    private static double directionalDerivative(final double[] w, final double[] a, final Activation activation,
        final Loss loss, final double[] x, final double y, final double[] v)
    {
        final double h = 1e-6;
        return (lossAt(w, v, h, a, activation, loss, x, y) - lossAt(w, v, -h, a, activation, loss, x, y)) / (2 * h);
    }

    private static double lossAt(final double[] w, final double[] v, final double t, final double[] a,
        final Activation activation, final Loss loss, final double[] x, final double y)
    {
        final double[] shifted = w.clone();
        Kernels.axpy(t, v, 0, shifted, 0, w.length);
        final TwoLayerNetwork net = new TwoLayerNetwork(D, shifted, a, activation);
        final double[] lambda = new double[P];
        net.preactivations(x, 0, lambda);
        return loss.value(y, net.output(lambda));
    }
}
