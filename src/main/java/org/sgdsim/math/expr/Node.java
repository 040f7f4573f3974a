package org.sgdsim.math.expr;

import org.sgdsim.math.ErrorFunction;
import org.sgdsim.math.Hermite;

/**
 * A compiled expression tree node; every subclass is final, immutable and evaluates without allocating.
 */
abstract class Node
{
    /** Evaluation input for constant sub-trees, which read no slot. */
    private static final double[] NO_VALUES = new double[0];

    /**
     * Value of this sub-expression.
     *
     * @param values variable values indexed by slot.
     * @return the value.
     */
    abstract double eval(double[] values);

    /**
     * Whether every child is a constant, so the node can be replaced by its value.
     *
     * @return true if foldable.
     */
    abstract boolean foldable();

    /**
     * Highest slot read by this sub-tree.
     *
     * @return the slot, or −1 when no variable is read.
     */
    abstract int maxSlot();

    /**
     * Writes this sub-expression's value for samples u &lt; n to {@code out[u]}, where slot s of sample u is
     * {@code columns[s·stride + first + u]}; the same numbers as {@link #eval} sample by sample. This fallback
     * goes through {@link #eval}; the nodes that labels use most override it with loops over the column.
     *
     * @param level depth of this node: {@code scratch[level]} is free for it to use.
     */
    void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
        final double[][] scratch, final int level)
    {
        final double[] values = scratch[0];
        final int slots = maxSlot() + 1;
        for (int u = 0; u < n; u++)
        {
            for (int s = 0; s < slots; s++)
            {
                values[s] = columns[s * stride + first + u];
            }
            out[u] = eval(values);
        }
    }

    /** Depth of this sub-tree: how many scratch columns {@link #evalColumns} needs below the output. */
    abstract int depth();

    /**
     * Replaces a node whose children are all constants by a constant.
     *
     * @param node freshly built node.
     * @return the node or its folded value.
     */
    static Node fold(final Node node)
    {
        return node.foldable() ? new Const(node.eval(NO_VALUES)) : node;
    }

    /** A number. */
    static final class Const extends Node
    {
        final double value;

        Const(final double value)
        {
            this.value = value;
        }

        @Override
        double eval(final double[] values)
        {
            return value;
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            java.util.Arrays.fill(out, 0, n, value);
        }

        @Override
        int depth()
        {
            return 0;
        }

        @Override
        boolean foldable()
        {
            return false;
        }

        @Override
        int maxSlot()
        {
            return -1;
        }
    }

    /** A variable read from its slot. */
    static final class Var extends Node
    {
        final int slot;

        Var(final int slot)
        {
            this.slot = slot;
        }

        @Override
        double eval(final double[] values)
        {
            return values[slot];
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            System.arraycopy(columns, slot * stride + first, out, 0, n);
        }

        @Override
        int depth()
        {
            return 0;
        }

        @Override
        boolean foldable()
        {
            return false;
        }

        @Override
        int maxSlot()
        {
            return slot;
        }
    }

    /** Base of nodes with one operand. */
    abstract static class Unary extends Node
    {
        final Node arg;

        Unary(final Node arg)
        {
            this.arg = arg;
        }

        @Override
        final boolean foldable()
        {
            return arg instanceof Const;
        }

        @Override
        final int maxSlot()
        {
            return arg.maxSlot();
        }

        @Override
        int depth()
        {
            return arg.depth();
        }
    }

    /** Base of nodes with two operands. */
    abstract static class Binary extends Node
    {
        final Node left;
        final Node right;

        Binary(final Node left, final Node right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        final boolean foldable()
        {
            return left instanceof Const && right instanceof Const;
        }

        @Override
        final int maxSlot()
        {
            return Math.max(left.maxSlot(), right.maxSlot());
        }

        @Override
        final int depth()
        {
            return Math.max(left.depth(), right.depth() + 1);
        }

        /** Left operand into {@code out}, right operand into {@code scratch[level + 1]}, which it returns. */
        final double[] operands(final double[] columns, final int stride, final int first, final int n,
            final double[] out, final double[][] scratch, final int level)
        {
            left.evalColumns(columns, stride, first, n, out, scratch, level);
            final double[] rightValues = scratch[level + 1];
            right.evalColumns(columns, stride, first, n, rightValues, scratch, level + 1);
            return rightValues;
        }
    }

    /** Unary minus. */
    static final class Neg extends Unary
    {
        Neg(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return -arg.eval(values);
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            arg.evalColumns(columns, stride, first, n, out, scratch, level);
            for (int u = 0; u < n; u++)
            {
                out[u] = -out[u];
            }
        }
    }

    /** Sum. */
    static final class Add extends Binary
    {
        Add(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return left.eval(values) + right.eval(values);
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            final double[] r = operands(columns, stride, first, n, out, scratch, level);
            for (int u = 0; u < n; u++)
            {
                out[u] = out[u] + r[u];
            }
        }
    }

    /** Difference. */
    static final class Sub extends Binary
    {
        Sub(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return left.eval(values) - right.eval(values);
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            final double[] r = operands(columns, stride, first, n, out, scratch, level);
            for (int u = 0; u < n; u++)
            {
                out[u] = out[u] - r[u];
            }
        }
    }

    /** Product. */
    static final class Mul extends Binary
    {
        Mul(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return left.eval(values) * right.eval(values);
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            final double[] r = operands(columns, stride, first, n, out, scratch, level);
            for (int u = 0; u < n; u++)
            {
                out[u] = out[u] * r[u];
            }
        }
    }

    /** Quotient. */
    static final class Div extends Binary
    {
        Div(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return left.eval(values) / right.eval(values);
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            final double[] r = operands(columns, stride, first, n, out, scratch, level);
            for (int u = 0; u < n; u++)
            {
                out[u] = out[u] / r[u];
            }
        }
    }

    /** General power via Math.pow. */
    static final class Pow extends Binary
    {
        Pow(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.pow(left.eval(values), right.eval(values));
        }
    }

    /** Power with a small constant non-negative integer exponent, by repeated squaring. */
    static final class IntPow extends Unary
    {
        /** Largest exponent compiled to multiplications; beyond it Math.pow is as fast and more accurate. */
        static final int MAX_EXPONENT = 32;

        final int exponent;

        IntPow(final Node arg, final int exponent)
        {
            super(arg);
            this.exponent = exponent;
        }

        @Override
        double eval(final double[] values)
        {
            return power(arg.eval(values), exponent);
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            arg.evalColumns(columns, stride, first, n, out, scratch, level);
            for (int u = 0; u < n; u++)
            {
                out[u] = power(out[u], exponent);
            }
        }

        private static double power(final double x, final int exponent)
        {
            switch (exponent)
            {
                case 0:
                    return 1.0;
                case 1:
                    return x;
                case 2:
                    return x * x;
                case 3:
                    return x * x * x;
                default:
                    double result = 1.0;
                    double square = x;
                    for (int e = exponent; e != 0; e >>>= 1)
                    {
                        if ((e & 1) != 0)
                        {
                            result *= square;
                        }
                        square *= square;
                    }
                    return result;
            }
        }
    }

    /** Probabilists' Hermite polynomial of fixed degree. */
    static final class HermiteCall extends Unary
    {
        final int degree;

        HermiteCall(final Node arg, final int degree)
        {
            super(arg);
            this.degree = degree;
        }

        @Override
        double eval(final double[] values)
        {
            return Hermite.value(degree, arg.eval(values));
        }

        @Override
        void evalColumns(final double[] columns, final int stride, final int first, final int n, final double[] out,
            final double[][] scratch, final int level)
        {
            final double[] x = scratch[level + 1];
            arg.evalColumns(columns, stride, first, n, x, scratch, level + 1);
            Hermite.columns(degree, x, out, scratch[level + 2], 1.0, n);
        }

        @Override
        int depth()
        {
            return Math.max(arg.depth() + 1, 2);
        }
    }

    /** max(x, 0). */
    static final class Relu extends Unary
    {
        Relu(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            // Math.max rather than a comparison so that NaN propagates instead of becoming 0.
            return Math.max(arg.eval(values), 0.0);
        }
    }

    /** Hyperbolic tangent. */
    static final class Tanh extends Unary
    {
        Tanh(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.tanh(arg.eval(values));
        }
    }

    /** Standard error function erf(x) (not erf(x/√2)). */
    static final class ErfCall extends Unary
    {
        ErfCall(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return ErrorFunction.erf(arg.eval(values));
        }
    }

    /** Sign with sign(0) = 0. */
    static final class Sign extends Unary
    {
        Sign(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.signum(arg.eval(values));
        }
    }

    /** Absolute value. */
    static final class Abs extends Unary
    {
        Abs(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.abs(arg.eval(values));
        }
    }

    /** Square root. */
    static final class Sqrt extends Unary
    {
        Sqrt(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.sqrt(arg.eval(values));
        }
    }

    /** Exponential. */
    static final class Exp extends Unary
    {
        Exp(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.exp(arg.eval(values));
        }
    }

    /** Natural logarithm. */
    static final class Ln extends Unary
    {
        Ln(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.log(arg.eval(values));
        }
    }

    /** Round towards negative infinity. */
    static final class Floor extends Unary
    {
        Floor(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.floor(arg.eval(values));
        }
    }

    /** Round towards positive infinity. */
    static final class Ceil extends Unary
    {
        Ceil(final Node arg)
        {
            super(arg);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.ceil(arg.eval(values));
        }
    }

    /** Smaller operand. */
    static final class Min extends Binary
    {
        Min(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.min(left.eval(values), right.eval(values));
        }
    }

    /** Larger operand. */
    static final class Max extends Binary
    {
        Max(final Node left, final Node right)
        {
            super(left, right);
        }

        @Override
        double eval(final double[] values)
        {
            return Math.max(left.eval(values), right.eval(values));
        }
    }
}
