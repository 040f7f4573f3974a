package org.sgdsim.math;

/**
 * Probabilists' Hermite polynomials He_n, orthogonal under the standard normal with E[He_a He_b] = a! δ_ab.
 */
public final class Hermite
{
    /** Highest supported degree; coefficients up to He_20 are exact integers in a double. */
    public static final int MAX_DEGREE = 20;

    private Hermite()
    {
    }

    /**
     * He_n(x_j) into {@code value[j]} and previousScale·He_(n−1)(x_j) into {@code previous[j]} (0 for n = 0) for
     * j &lt; count (previousScale = n gives He_n' = n·He_(n−1)):
     * exactly the numbers of {@link #value}, computed degree by degree over all points, so each pass is a plain
     * loop the JIT vectorises instead of a short recurrence per point that waits on itself (He3, the commonest,
     * in one pass). x must not be either output.
     */
    public static void columns(final int n, final double[] x, final double[] value, final double[] previous,
        final double previousScale, final int count)
    {
        checkDegree(n);
        if (n == 0)
        {
            java.util.Arrays.fill(value, 0, count, 1.0);
            java.util.Arrays.fill(previous, 0, count, 0.0);
            return;
        }
        if (n == 3)
        {
            // the recurrence's own operations: He2 = x·x − 1·1, He3 = x·He2 − 2·x
            for (int j = 0; j < count; j++)
            {
                final double xj = x[j];
                final double he2 = xj * xj - 1.0;
                value[j] = xj * he2 - 2.0 * xj;
                previous[j] = previousScale * he2;
            }
            return;
        }
        System.arraycopy(x, 0, value, 0, count);
        java.util.Arrays.fill(previous, 0, count, 1.0);
        for (int k = 1; k < n; k++)
        {
            final double kk = k;
            for (int j = 0; j < count; j++)
            {
                final double next = x[j] * value[j] - kk * previous[j];
                previous[j] = value[j];
                value[j] = next;
            }
        }
        if (previousScale != 1.0)
        {
            for (int j = 0; j < count; j++)
            {
                previous[j] = previousScale * previous[j];
            }
        }
    }

    /**
     * Value of He_n at x.
     *
     * @param n degree in 0..{@link #MAX_DEGREE}.
     * @param x point of evaluation.
     * @return He_n(x).
     * @throws IllegalArgumentException if n is out of range.
     */
    public static double value(final int n, final double x)
    {
        checkDegree(n);
        if (n == 0)
        {
            return 1.0;
        }

        // The three-term recurrence is better conditioned than Horner on the power basis, whose
        // coefficients alternate in sign and grow like (n-1)!!.
        double previous = 1.0;
        double current = x;
        for (int k = 1; k < n; k++)
        {
            final double next = x * current - k * previous;
            previous = current;
            current = next;
        }

        return current;
    }

    /**
     * Derivative of He_n at x, which is n·He_{n−1}(x).
     *
     * @param n degree in 0..{@link #MAX_DEGREE}.
     * @param x point of evaluation.
     * @return He_n'(x).
     * @throws IllegalArgumentException if n is out of range.
     */
    public static double derivative(final int n, final double x)
    {
        checkDegree(n);
        return n == 0 ? 0.0 : n * value(n - 1, x);
    }

    /**
     * Power-basis coefficients of He_n: element i multiplies x^i; the array has length n + 1.
     *
     * @param n degree in 0..{@link #MAX_DEGREE}.
     * @return a fresh array of coefficients.
     * @throws IllegalArgumentException if n is out of range.
     */
    public static double[] coefficients(final int n)
    {
        checkDegree(n);

        // Integer arithmetic keeps every coefficient exact; the largest (He_20) is below 2^53.
        long[] previous = new long[n + 1];
        long[] current = new long[n + 1];
        current[0] = 1;
        for (int k = 0; k < n; k++)
        {
            final long[] next = new long[n + 1];
            for (int i = 0; i <= k; i++)
            {
                next[i + 1] += current[i];
            }
            for (int i = 0; i < k; i++)
            {
                next[i] -= k * previous[i];
            }
            previous = current;
            current = next;
        }

        final double[] result = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            result[i] = current[i];
        }

        return result;
    }

    private static void checkDegree(final int n)
    {
        if (n < 0 || n > MAX_DEGREE)
        {
            throw new IllegalArgumentException(
                "Hermite degree must be in 0.." + MAX_DEGREE + ", got " + n);
        }
    }
}
