package org.sgdsim.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdsim.math.expr.Expression;

/** online-sgd.md §3.6: the weak-learnability thresholds α_c, within 2% of the table. */
class WeakRecoveryTest
{
    @ParameterizedTest(name = "alpha_c({0}) = {1}")
    @CsvSource(delimiter = ';', value = {
        "z1^2; 0.5",
        "abs(z1); 0.5",
        "He4(z1); 0.6449",
        "z1*z2; 0.5938",
        "sign(z1*z2); 2.4674"})
    void finiteThresholdsMatchTheTable(final String target, final double expected)
    {
        final WeakRecovery.Result r = WeakRecovery.threshold(Expression.parseTarget(target));
        assertEquals(WeakRecovery.Kind.FINITE, r.kind(), r.method());
        assertEquals(expected, r.alphaC(), 0.02 * expected, r.method());
    }

    @ParameterizedTest(name = "{0} has a trivial subspace")
    @CsvSource(delimiter = ';', value = {"He3(z1)", "relu(z1)", "z1 + z1*z2", "tanh(z1 + He3(z2))"})
    void targetsWithATrivialSubspaceHaveZeroThreshold(final String target)
    {
        final WeakRecovery.Result r = WeakRecovery.threshold(Expression.parseTarget(target), 200_000, 1);
        assertEquals(WeakRecovery.Kind.TRIVIAL, r.kind(), r.method());
        assertEquals(0.0, r.alphaC());
    }

    @ParameterizedTest(name = "{0} is a parity")
    @CsvSource(delimiter = ';', value = {"sign(z1*z2*z3)", "sign(z1*z2*z3*z4)"})
    void paritiesAreHard(final String target)
    {
        final WeakRecovery.Result r = WeakRecovery.threshold(Expression.parseTarget(target));
        assertEquals(WeakRecovery.Kind.HARD, r.kind(), r.method());
        assertEquals(Double.POSITIVE_INFINITY, r.alphaC());
    }
}
