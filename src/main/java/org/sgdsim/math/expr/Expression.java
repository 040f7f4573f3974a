package org.sgdsim.math.expr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable, thread-safe compiled arithmetic expression, evaluated without allocation.
 * <p>
 * Text is parsed once into a constant-folded tree of small final node classes; {@link #evaluate(double[])}
 * walks that tree reading variables from slots of the caller's array. See {@link Parser} for the grammar.
 * Functions: He0..He8 (probabilists' Hermite), relu, tanh, erf (plain erf, not erf(x/√2)), sign (sign(0) = 0),
 * abs, sqrt, exp, ln and log (both natural), floor, ceil, min(a, b), max(a, b); constant pi.
 */
public final class Expression
{
    /**
     * One term coefficient·erf(scale·x[slot]) of an erf committee.
     *
     * @param coefficient outer factor c.
     * @param scale       factor s inside erf.
     * @param slot        variable slot r (z_(r+1) for targets).
     */
    public record ErfTerm(double coefficient, double scale, int slot)
    {
    }

    private static final int MAX_TARGET_INDEX_DIGITS = 9;

    private final String text;
    private final Node root;
    private final int arity;
    private final OptionalInt polynomialDegree;
    private final Optional<List<ErfTerm>> erfCommittee;

    private Expression(final String text, final Node root)
    {
        this.text = text;
        this.root = root;
        this.arity = root.maxSlot() + 1;
        final int degree = degree(root);
        this.polynomialDegree = degree >= 0 ? OptionalInt.of(degree) : OptionalInt.empty();
        this.erfCommittee = committee(root);
    }

    /**
     * Parses an expression over named variables; slot i of the evaluation array holds variables.get(i).
     * A listed variable shadows the constant pi and function names used without parentheses.
     *
     * @param text      expression text, e.g. "0.01*nb*d^-1.5".
     * @param variables distinct variable names, each a letter or '_' followed by letters, digits or '_'.
     * @return the compiled expression.
     * @throws ExpressionException      if the text is malformed or uses an unknown name.
     * @throws IllegalArgumentException if a variable name is invalid or repeated.
     */
    public static Expression parse(final String text, final List<String> variables)
    {
        Objects.requireNonNull(text, "text");
        return new Expression(text, Parser.parse(text, new NamedScope(variables)));
    }

    /**
     * Parses a target function of z1, z2, …; slot i holds z_(i+1) and {@link #arity()} is the highest index used.
     *
     * @param text expression text, e.g. "z1 + He3(z2)".
     * @return the compiled expression.
     * @throws ExpressionException if the text is malformed, uses an unknown name or z0.
     */
    public static Expression parseTarget(final String text)
    {
        Objects.requireNonNull(text, "text");
        return new Expression(text, Parser.parse(text, TargetScope.INSTANCE));
    }

    /**
     * Evaluates the expression; allocation-free and safe to call from many threads at once.
     *
     * @param values variable values by slot, at least {@link #arity()} long.
     * @return the value.
     */
    public double evaluate(final double[] values)
    {
        return root.eval(values);
    }

    /**
     * Evaluates the expression for {@code n} samples stored column by column: slot s of sample u is
     * {@code columns[s·stride + first + u]}, and the value goes to {@code out[u]}. The same numbers as
     * {@link #evaluate} sample by sample, with one pass over the samples per tree node instead of one tree walk per
     * sample. Allocation-free; {@code scratch} (from {@link #columnScratch}) belongs to the calling thread.
     */
    public void evaluateColumns(final double[] columns, final int stride, final int first, final int n,
        final double[] out, final double[][] scratch)
    {
        if (scratch.length < root.depth() + 1 || scratch[0].length < Math.max(n, arity))
        {
            throw new IllegalArgumentException("scratch too small: " + scratch.length + " columns of "
                + scratch[0].length + " for depth " + root.depth() + " and " + n + " samples");
        }
        root.evalColumns(columns, stride, first, n, out, scratch, 0);
    }

    /** Scratch columns for {@link #evaluateColumns} of up to {@code maxSamples} samples at a time. */
    public double[][] columnScratch(final int maxSamples)
    {
        return new double[root.depth() + 1][Math.max(maxSamples, arity)];
    }

    /**
     * Number of slots the expression reads: one more than the highest slot used, so the highest z index for targets.
     *
     * @return the arity, 0 for a constant.
     */
    public int arity()
    {
        return arity;
    }

    /**
     * The exact partial derivative with respect to the variable in {@code slot}, as an expression of the same
     * variables (built symbolically from the tree; see {@link Derivative} for the non-smooth functions).
     *
     * @param slot variable slot (z_(slot+1) for targets).
     * @return the derivative; its {@link #text()} is {@code d/d#slot(text)}.
     */
    public Expression derivative(final int slot)
    {
        return new Expression("d/d#" + slot + "(" + text + ")", Derivative.of(root, slot));
    }

    /**
     * Whether the expression folded to a single number.
     *
     * @return true if {@link #evaluate(double[])} ignores its input.
     */
    public boolean isConstant()
    {
        return root instanceof Node.Const;
    }

    /**
     * The source text as given.
     *
     * @return the text.
     */
    public String text()
    {
        return text;
    }

    /**
     * Total degree when the expression is a polynomial in its variables.
     * <p>
     * Built from numbers, variables, + − *, division by a constant, ^ with a constant non-negative integer
     * exponent and He_n of a polynomial. The degree is an upper bound: cancellations such as z1^2 − z1^2 are
     * not detected.
     *
     * @return the degree, or empty if the expression is not recognisably polynomial.
     */
    public OptionalInt polynomialDegree()
    {
        return polynomialDegree;
    }

    /**
     * The terms when the expression is a sum of c·erf(s·x_r), each erf taking a constant multiple of one variable.
     *
     * @return the terms in order of appearance (unmerged), or empty if the expression has another shape.
     */
    public Optional<List<ErfTerm>> erfCommittee()
    {
        return erfCommittee;
    }

    /**
     * The source text.
     *
     * @return {@link #text()}.
     */
    @Override
    public String toString()
    {
        return text;
    }

    /** Degree of a polynomial sub-tree, or −1 when it is not one (or its degree overflows an int). */
    private static int degree(final Node node)
    {
        if (node instanceof Node.Const)
        {
            return Double.isFinite(((Node.Const)node).value) ? 0 : -1;
        }
        if (node instanceof Node.Var)
        {
            return 1;
        }
        if (node instanceof Node.Neg)
        {
            return degree(((Node.Neg)node).arg);
        }
        if (node instanceof Node.Add || node instanceof Node.Sub)
        {
            final Node.Binary binary = (Node.Binary)node;
            final int left = degree(binary.left);
            final int right = degree(binary.right);
            return left < 0 || right < 0 ? -1 : Math.max(left, right);
        }
        if (node instanceof Node.Mul)
        {
            final Node.Binary binary = (Node.Binary)node;
            final int left = degree(binary.left);
            final int right = degree(binary.right);
            return left < 0 || right < 0 ? -1 : saturate((long)left + right);
        }
        if (node instanceof Node.Div)
        {
            final Node.Binary binary = (Node.Binary)node;
            if (!(binary.right instanceof Node.Const))
            {
                return -1;
            }
            final double divisor = ((Node.Const)binary.right).value;
            return divisor == 0.0 || !Double.isFinite(divisor) ? -1 : degree(binary.left);
        }
        if (node instanceof Node.IntPow)
        {
            final Node.IntPow power = (Node.IntPow)node;
            final int base = degree(power.arg);
            return base < 0 ? -1 : saturate((long)base * power.exponent);
        }
        if (node instanceof Node.Pow)
        {
            final Node.Binary binary = (Node.Binary)node;
            if (!(binary.right instanceof Node.Const))
            {
                return -1;
            }
            final double exponent = ((Node.Const)binary.right).value;
            final int base = degree(binary.left);
            if (base < 0 || exponent < 0 || exponent != Math.rint(exponent) || exponent > Integer.MAX_VALUE)
            {
                return -1;
            }
            return saturate((long)base * (long)exponent);
        }
        if (node instanceof Node.HermiteCall)
        {
            final Node.HermiteCall call = (Node.HermiteCall)node;
            final int inner = degree(call.arg);
            return inner < 0 ? -1 : saturate((long)inner * call.degree);
        }

        // Every other function of a non-constant argument; constant calls were folded into Const.
        return -1;
    }

    private static int saturate(final long degree)
    {
        return degree > Integer.MAX_VALUE ? -1 : (int)degree;
    }

    private static Optional<List<ErfTerm>> committee(final Node root)
    {
        final List<ErfTerm> terms = new ArrayList<>();
        if (!collectErfTerms(root, 1.0, terms) || terms.isEmpty())
        {
            return Optional.empty();
        }

        return Optional.of(List.copyOf(terms));
    }

    private static boolean collectErfTerms(final Node node, final double factor, final List<ErfTerm> terms)
    {
        if (node instanceof Node.Add)
        {
            final Node.Binary binary = (Node.Binary)node;
            return collectErfTerms(binary.left, factor, terms) && collectErfTerms(binary.right, factor, terms);
        }
        if (node instanceof Node.Sub)
        {
            final Node.Binary binary = (Node.Binary)node;
            return collectErfTerms(binary.left, factor, terms) && collectErfTerms(binary.right, -factor, terms);
        }
        if (node instanceof Node.Neg)
        {
            return collectErfTerms(((Node.Neg)node).arg, -factor, terms);
        }
        if (node instanceof Node.Mul)
        {
            final Node.Binary binary = (Node.Binary)node;
            if (binary.left instanceof Node.Const)
            {
                return collectErfTerms(binary.right, factor * ((Node.Const)binary.left).value, terms);
            }
            if (binary.right instanceof Node.Const)
            {
                return collectErfTerms(binary.left, factor * ((Node.Const)binary.right).value, terms);
            }
            return false;
        }
        if (node instanceof Node.Div)
        {
            final Node.Binary binary = (Node.Binary)node;
            return binary.right instanceof Node.Const &&
                collectErfTerms(binary.left, factor / ((Node.Const)binary.right).value, terms);
        }
        if (node instanceof Node.ErfCall)
        {
            final Node arg = ((Node.ErfCall)node).arg;
            final double scale = linearScale(arg);
            if (Double.isNaN(scale))
            {
                return false;
            }
            terms.add(new ErfTerm(factor, scale, arg.maxSlot()));
            return Double.isFinite(factor) && Double.isFinite(scale);
        }

        return false;
    }

    /** s when the node is s·x_r for a constant s and one variable, else NaN. */
    private static double linearScale(final Node node)
    {
        if (node instanceof Node.Var)
        {
            return 1.0;
        }
        if (node instanceof Node.Neg)
        {
            return -linearScale(((Node.Neg)node).arg);
        }
        if (node instanceof Node.Mul)
        {
            final Node.Binary binary = (Node.Binary)node;
            if (binary.left instanceof Node.Const)
            {
                return ((Node.Const)binary.left).value * linearScale(binary.right);
            }
            if (binary.right instanceof Node.Const)
            {
                return linearScale(binary.left) * ((Node.Const)binary.right).value;
            }
            return Double.NaN;
        }
        if (node instanceof Node.Div)
        {
            final Node.Binary binary = (Node.Binary)node;
            return binary.right instanceof Node.Const ?
                linearScale(binary.left) / ((Node.Const)binary.right).value : Double.NaN;
        }

        return Double.NaN;
    }

    /** Variables given by name, slot = position in the list. */
    private static final class NamedScope implements Parser.Scope
    {
        private final Map<String, Integer> slots;
        private final String description;

        NamedScope(final List<String> variables)
        {
            Objects.requireNonNull(variables, "variables");
            slots = new HashMap<>();
            for (int i = 0; i < variables.size(); i++)
            {
                final String name = variables.get(i);
                if (!isName(name))
                {
                    throw new IllegalArgumentException("invalid variable name '" + name + "'");
                }
                if (slots.put(name, i) != null)
                {
                    throw new IllegalArgumentException("duplicate variable name '" + name + "'");
                }
            }
            description = variables.isEmpty() ? "no variables are allowed here" :
                "variables are " + String.join(", ", variables);
        }

        @Override
        public int slotOf(final String name, final int column, final String text)
        {
            final Integer slot = slots.get(name);
            return slot == null ? -1 : slot;
        }

        @Override
        public String describe()
        {
            return description;
        }

        private static boolean isName(final String name)
        {
            if (name == null || name.isEmpty() || !Parser.isNameStart(name.charAt(0)))
            {
                return false;
            }
            for (int i = 1; i < name.length(); i++)
            {
                final char c = name.charAt(i);
                if (!Parser.isNameStart(c) && !Parser.isDigit(c))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /** Target variables z1, z2, … in slots 0, 1, …. */
    private static final class TargetScope implements Parser.Scope
    {
        static final TargetScope INSTANCE = new TargetScope();

        private static final String DESCRIPTION = "target variables are z1, z2, z3, ...";

        @Override
        public int slotOf(final String name, final int column, final String text)
        {
            if (name.length() < 2 || name.charAt(0) != 'z')
            {
                return -1;
            }
            for (int i = 1; i < name.length(); i++)
            {
                if (!Parser.isDigit(name.charAt(i)))
                {
                    return -1;
                }
            }

            if (name.charAt(1) == '0')
            {
                throw new ExpressionException(
                    "target variable '" + name + "' is not allowed", column, text,
                    "variables are numbered from z1, without leading zeros");
            }
            if (name.length() - 1 > MAX_TARGET_INDEX_DIGITS)
            {
                throw new ExpressionException("target variable index of '" + name + "' is too large", column, text, "");
            }

            return Integer.parseInt(name, 1, name.length(), 10) - 1;
        }

        @Override
        public String describe()
        {
            return DESCRIPTION;
        }
    }
}
