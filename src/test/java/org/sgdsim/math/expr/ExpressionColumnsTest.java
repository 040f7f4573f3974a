package org.sgdsim.math.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianStream;

class ExpressionColumnsTest
{
    private static final int N = 37;
    private static final int STRIDE = 50;
    private static final int FIRST = 5;

    /** Column evaluation gives every sample exactly (bit for bit) what the tree walk gives it. */
    @Test
    void columnsEqualTheTreeWalkBitForBit()
    {
        final List<String> targets = List.of("He3(z1)", "z1", "2.5", "-z2", "z1*z2 - He2(z3)/3", "(z1+z2)^3",
            "z1^7 - z2^2 + z3^0", "tanh(z1) + relu(z2 - 0.5) * erf(z3)", "He4(z1 + z2) / sqrt(2)",
            "max(z1, z2) - min(z2, abs(z3)) + exp(-z1*z1) + sign(z2)", "(z1 - (z2 - (z3 - (z1 - z2)))) * 2",
            "z2 - z1^2^1 + He1(He2(z3))", "He0(z1) + He1(z2) + He8(z3) - He5(z1) * He3(z2 - He3(z1))");
        final GaussianStream g = new GaussianStream(7, 3);
        final double[] columns = new double[3 * STRIDE];
        g.fill(columns, 0, columns.length);
        for (final String text : targets)
        {
            final Expression e = Expression.parseTarget(text);
            final double[] out = new double[N];
            e.evaluateColumns(columns, STRIDE, FIRST, N, out, e.columnScratch(N));
            final double[] values = new double[3];
            for (int u = 0; u < N; u++)
            {
                for (int s = 0; s < 3; s++)
                {
                    values[s] = columns[s * STRIDE + FIRST + u];
                }
                assertEquals(Double.doubleToRawLongBits(e.evaluate(values)), Double.doubleToRawLongBits(out[u]),
                    text + " at sample " + u);
            }
        }
    }

    @Test
    void tooSmallScratchIsRefused()
    {
        final Expression e = Expression.parseTarget("z1 - (z2 - z1)");
        assertThrows(IllegalArgumentException.class,
            () -> e.evaluateColumns(new double[100], 50, 0, 10, new double[10], new double[1][10]));
    }
}
