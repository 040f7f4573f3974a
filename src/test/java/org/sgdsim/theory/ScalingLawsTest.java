package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.expr.Expression;
import org.sgdsim.model.Activation;
import org.sgdsim.model.Loss;
import org.sgdsim.model.RowNormalization;

/** §4 A phase-diagram exponents, and the one-step recursion against the §3.4 He3 half time. */
class ScalingLawsTest
{
    @Test
    void plainSgdKeepsTheSampleCountUpToTheOptimalBatch()
    {
        // ℓ = 3: n_b·T = d^{ℓ−1} = d² for μ ≤ 3/2, then the time stalls at θ = ℓ/2 − 1 and samples grow.
        for (final double mu : new double[] {0, 0.5, 1, 1.5})
        {
            assertEquals(2.0, ScalingLaws.sampleExponent(mu, ScalingLaws.plainTimeExponent(3, mu)), 1e-12);
        }
        assertEquals(0.5, ScalingLaws.plainTimeExponent(3, 1.75), 1e-12);
        assertEquals(0.0, ScalingLaws.plainStepExponent(3, 1.75), 1e-12);
        // The correlation loss keeps θ = ℓ − 1 − μ down to θ = 0 at μ = ℓ − 1.
        assertEquals(0.25, ScalingLaws.correlationTimeExponent(3, 1.75), 1e-12);
        assertEquals(0.0, ScalingLaws.correlationTimeExponent(3, 2.5), 1e-12);
        assertEquals(-0.25, ScalingLaws.correlationStepExponent(3, 1.75), 1e-12);
        assertEquals(-0.5, ScalingLaws.correlationStepExponent(3, 2.5), 1e-12);
    }

    @Test
    void he3HalfTimeMatchesTheRecursionWithoutNoiseTerms()
    {
        final int d = 256;
        final double eta = 1e-3;
        final StudentTeacher model = new StudentTeacher(Expression.parseTarget("He3(z1)"), Activation.parse("He3"),
            new double[] {1.0}, Loss.CORRELATION, 0.0);
        final TheoryProblem problem = new TheoryProblem(model, RowNormalization.PROJECTED, eta, d, d);
        final OverlapRecursion map = new OverlapRecursion(FieldExpectations.choose(model, 1, 1), problem, false);
        final double[] m = {1.0 / Math.sqrt(d)};
        final double[] q = {1.0};
        long steps = 0;
        while (m[0] < 0.5)
        {
            map.step(m, q);
            steps++;
        }
        // §3.4, first order in η: T½ = [√d − 2 + atanh(½) − atanh(d^−1/2)]/(18η).
        final double predicted = (Math.sqrt(d) - 2.0 + atanh(0.5) - atanh(1.0 / Math.sqrt(d))) / (18.0 * eta);
        assertEquals(predicted, steps, 0.01 * predicted, "first-order half time vs the exact map");
    }

    private static double atanh(final double x)
    {
        return 0.5 * Math.log((1.0 + x) / (1.0 - x));
    }
}
