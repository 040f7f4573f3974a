package org.sgdsim.math.expr;

/**
 * Symbolic differentiation of a compiled expression tree: the derivative is itself a tree of the same node
 * classes, built once, so it evaluates exactly (no finite differences) and as fast as any expression.
 * <p>
 * Non-smooth functions take their derivative almost everywhere: relu' = 1[x &gt; 0], sign' = floor' = ceil' = 0,
 * |x|' = sign(x), and min/max follow the smaller/larger operand (the mean of both where they tie).
 */
final class Derivative
{
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final Node ZERO = new Node.Const(0.0);
    private static final Node ONE = new Node.Const(1.0);

    private Derivative()
    {
    }

    /** ∂node/∂(variable in {@code slot}), simplified where a factor is 0 or 1. */
    static Node of(final Node node, final int slot)
    {
        if (node instanceof Node.Const)
        {
            return ZERO;
        }
        if (node instanceof Node.Var)
        {
            return ((Node.Var)node).slot == slot ? ONE : ZERO;
        }
        if (node instanceof Node.Neg)
        {
            return neg(of(((Node.Neg)node).arg, slot));
        }
        if (node instanceof Node.Add)
        {
            final Node.Binary b = (Node.Binary)node;
            return add(of(b.left, slot), of(b.right, slot));
        }
        if (node instanceof Node.Sub)
        {
            final Node.Binary b = (Node.Binary)node;
            return sub(of(b.left, slot), of(b.right, slot));
        }
        if (node instanceof Node.Mul)
        {
            final Node.Binary b = (Node.Binary)node;
            return add(mul(of(b.left, slot), b.right), mul(b.left, of(b.right, slot)));
        }
        if (node instanceof Node.Div)
        {
            // (u/v)' = u'/v − u·v'/v²
            final Node.Binary b = (Node.Binary)node;
            final Node first = div(of(b.left, slot), b.right);
            final Node dv = of(b.right, slot);
            return isZero(dv) ? first : sub(first, div(mul(b.left, dv), pow(b.right, 2)));
        }
        if (node instanceof Node.Pow)
        {
            return power((Node.Pow)node, slot);
        }
        if (node instanceof Node.IntPow)
        {
            final Node.IntPow p = (Node.IntPow)node;
            if (p.exponent == 0)
            {
                return ZERO;
            }
            return mul(mul(constant(p.exponent), pow(p.arg, p.exponent - 1)), of(p.arg, slot));
        }
        if (node instanceof Node.HermiteCall)
        {
            // He_n' = n·He_(n−1)
            final Node.HermiteCall h = (Node.HermiteCall)node;
            if (h.degree == 0)
            {
                return ZERO;
            }
            final Node lower = Node.fold(new Node.HermiteCall(h.arg, h.degree - 1));
            return mul(mul(constant(h.degree), lower), of(h.arg, slot));
        }
        if (node instanceof Node.Unary)
        {
            return chain((Node.Unary)node, slot);
        }
        if (node instanceof Node.Min || node instanceof Node.Max)
        {
            // min = (u+v)/2 − |u−v|/2 and max = (u+v)/2 + |u−v|/2, differentiated almost everywhere.
            final Node.Binary b = (Node.Binary)node;
            final Node du = of(b.left, slot);
            final Node dv = of(b.right, slot);
            final Node mean = mul(constant(0.5), add(du, dv));
            final Node jump = mul(mul(constant(0.5), fold(new Node.Sign(sub(b.left, b.right)))), sub(du, dv));
            return node instanceof Node.Max ? add(mean, jump) : sub(mean, jump);
        }
        throw new IllegalStateException("no derivative for " + node.getClass().getSimpleName());
    }

    /** f(u)' = f'(u)·u' for the one-argument functions. */
    private static Node chain(final Node.Unary node, final int slot)
    {
        final Node u = node.arg;
        final Node du = of(u, slot);
        if (isZero(du) || node instanceof Node.Sign || node instanceof Node.Floor || node instanceof Node.Ceil)
        {
            return ZERO;
        }
        final Node outer;
        if (node instanceof Node.Relu)
        {
            // 1[u > 0] as relu(sign(u)): 1 above zero, 0 at and below it.
            outer = fold(new Node.Relu(fold(new Node.Sign(u))));
        }
        else if (node instanceof Node.Tanh)
        {
            outer = sub(ONE, pow(node, 2));
        }
        else if (node instanceof Node.ErfCall)
        {
            outer = mul(constant(TWO_OVER_SQRT_PI), fold(new Node.Exp(neg(pow(u, 2)))));
        }
        else if (node instanceof Node.Abs)
        {
            outer = fold(new Node.Sign(u));
        }
        else if (node instanceof Node.Sqrt)
        {
            outer = div(constant(0.5), node);
        }
        else if (node instanceof Node.Exp)
        {
            outer = node;
        }
        else if (node instanceof Node.Ln)
        {
            outer = div(ONE, u);
        }
        else
        {
            throw new IllegalStateException("no derivative for " + node.getClass().getSimpleName());
        }
        return mul(outer, du);
    }

    /** (u^v)' = v·u^(v−1)·u' for a constant v, else u^v·(v'·ln u + v·u'/u). */
    private static Node power(final Node.Pow node, final int slot)
    {
        final Node u = node.left;
        final Node v = node.right;
        final Node du = of(u, slot);
        final Node dv = of(v, slot);
        if (isZero(dv))
        {
            final Node lower = fold(new Node.Pow(u, sub(v, ONE)));
            return mul(mul(v, lower), du);
        }
        return mul(node, add(mul(dv, fold(new Node.Ln(u))), div(mul(v, du), u)));
    }

    private static Node fold(final Node node)
    {
        return Node.fold(node);
    }

    private static Node constant(final double value)
    {
        return new Node.Const(value);
    }

    private static boolean isZero(final Node node)
    {
        return node instanceof Node.Const && ((Node.Const)node).value == 0.0;
    }

    private static boolean isOne(final Node node)
    {
        return node instanceof Node.Const && ((Node.Const)node).value == 1.0;
    }

    private static Node neg(final Node a)
    {
        return isZero(a) ? ZERO : fold(new Node.Neg(a));
    }

    private static Node add(final Node a, final Node b)
    {
        if (isZero(a))
        {
            return b;
        }
        return isZero(b) ? a : fold(new Node.Add(a, b));
    }

    private static Node sub(final Node a, final Node b)
    {
        if (isZero(b))
        {
            return a;
        }
        return isZero(a) ? neg(b) : fold(new Node.Sub(a, b));
    }

    private static Node mul(final Node a, final Node b)
    {
        // 0·u = 0 drops u's NaN/∞ points, as the derivative of a constant term must.
        if (isZero(a) || isZero(b))
        {
            return ZERO;
        }
        if (isOne(a))
        {
            return b;
        }
        return isOne(b) ? a : fold(new Node.Mul(a, b));
    }

    private static Node div(final Node a, final Node b)
    {
        if (isZero(a))
        {
            return ZERO;
        }
        return isOne(b) ? a : fold(new Node.Div(a, b));
    }

    private static Node pow(final Node base, final int exponent)
    {
        if (exponent == 1)
        {
            return base;
        }
        return fold(new Node.IntPow(base, exponent));
    }
}
