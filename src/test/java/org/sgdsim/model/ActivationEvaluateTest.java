package org.sgdsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sgdsim.math.GaussianStream;

class ActivationEvaluateTest
{
    /** The array form gives exactly (bit for bit) the numbers of value and derivative, for every activation. */
    @Test
    void evaluateEqualsValueAndDerivativeBitForBit()
    {
        final String[] names = {"He1", "He2", "He3", "He4", "He5", "He6", "He7", "He8", "erf", "relu", "tanh",
            "square", "linear", "tanh(x) + 0.1*x^3", "relu(x) - 0.5*erf(x)", "x^2.5", "exp(-x^2/2)"};
        final int n = 301;
        final double[] x = new double[n + 5];
        new GaussianStream(11, 2).fill(x, 0, x.length);
        x[0] = 0.0;
        x[1] = -0.0;
        x[2] = 40.0;
        for (final String name : names)
        {
            final Activation a = Activation.parse(name);
            final double[] value = new double[n + 5];
            final double[] derivative = new double[n + 5];
            value[n] = 7.0;
            derivative[n] = 9.0;
            a.evaluate(x, value, derivative, n);
            for (int j = 0; j < n; j++)
            {
                assertEquals(Double.doubleToRawLongBits(a.value(x[j])), Double.doubleToRawLongBits(value[j]),
                    name + " value at " + x[j]);
                assertEquals(Double.doubleToRawLongBits(a.derivative(x[j])), Double.doubleToRawLongBits(derivative[j]),
                    name + " derivative at " + x[j]);
            }
            assertEquals(7.0, value[n], name + " wrote past count");
            assertEquals(9.0, derivative[n], name + " wrote past count");
        }
    }
}
