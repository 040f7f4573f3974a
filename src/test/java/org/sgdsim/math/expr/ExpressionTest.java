package org.sgdsim.math.expr;

import org.sgdsim.math.ErrorFunction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;
import org.sgdsim.math.Hermite;

class ExpressionTest
{
    private static final List<String> SETTINGS = List.of("d", "nb");
    private static final double[] NONE = new double[0];

    /** Keeps the allocation test's results alive so the JIT cannot drop the evaluations. */
    private static double sink;

    private static double constant(final String text)
    {
        return Expression.parse(text, List.of()).evaluate(NONE);
    }

    private static double target(final String text, final double... z)
    {
        return Expression.parseTarget(text).evaluate(z);
    }

    @Test
    void precedenceAndAssociativity()
    {
        assertEquals(512.0, constant("2^3^2"));
        assertEquals(512.0, constant("2**3**2"));
        assertEquals(-4.0, constant("-2^2"));
        assertEquals(4.0, constant("(-2)^2"));
        assertEquals(10.0, constant("2*3+4"));
        assertEquals(14.0, constant("2+3*4"));
        assertEquals(9.0, constant("(1+2)*3"));
        assertEquals(0.5, constant("10/4/5"));
        assertEquals(-4.0, constant("1-2-3"));
        assertEquals(0.125, constant("2^-3"));
        assertEquals(Math.pow(2, -9), constant("2^-3^2"));
        assertEquals(8.0, constant("2^+3"));
        assertEquals(-1.0, constant("- - -1"));
        assertEquals(-6.0, constant("2*-3"));
        assertEquals(Math.PI, constant("pi"));
        assertEquals(7.0, constant(" \t1 +\n 2 * 3 "));

        final Expression rate = Expression.parse("0.01*nb*d^-1.5", SETTINGS);
        assertEquals(0.01 * 8 * Math.pow(100, -1.5), rate.evaluate(new double[] {100, 8}), 1e-18);
        assertEquals(Math.pow(1000, -1.5), Expression.parse("d^-1.5", SETTINGS).evaluate(new double[] {1000, 1}));
        assertEquals(Math.pow(1000, 1.5), Expression.parse("d^1.5", SETTINGS).evaluate(new double[] {1000, 1}));

        final Expression budget = Expression.parse("100*d*ln(d)/nb", SETTINGS);
        assertEquals(100 * 50 * Math.log(50) / 4, budget.evaluate(new double[] {50, 4}), 1e-9);
        assertEquals(2, budget.arity());
        assertEquals(1, Expression.parse("d^2", SETTINGS).arity());
        assertEquals(2, Expression.parse("nb", SETTINGS).arity());
    }

    @Test
    void numberFormats()
    {
        assertEquals(1.0, constant("1"));
        assertEquals(1.5, constant("1.5"));
        assertEquals(0.5, constant(".5"));
        assertEquals(5.0, constant("5."));
        assertEquals(1e-3, constant("1e-3"));
        assertEquals(2.5e4, constant("2.5E+4"));
        assertEquals(30.0, constant("3e1"));
    }

    @Test
    void everyFunction()
    {
        final double x = 0.7;
        assertEquals(1.0, target("He0(z1)", x));
        assertEquals(x, target("He1(z1)", x));
        for (int n = 0; n <= 8; n++)
        {
            assertEquals(Hermite.value(n, x), target("He" + n + "(z1)", x), 0.0, "He" + n);
        }
        assertEquals(x * x * x - 3 * x, target("He3(z1)", x), 1e-15);
        assertEquals(x, target("relu(z1)", x));
        assertEquals(0.0, target("relu(z1)", -x));
        assertEquals(Math.tanh(x), target("tanh(z1)", x));
        assertEquals(Erf.erf(x), target("erf(z1)", x), 1e-15);
        assertEquals(1.0, target("sign(z1)", x));
        assertEquals(-1.0, target("sign(z1)", -x));
        assertEquals(0.0, target("sign(z1)", 0.0));
        assertEquals(x, target("abs(z1)", -x));
        assertEquals(Math.sqrt(x), target("sqrt(z1)", x));
        assertEquals(Math.exp(x), target("exp(z1)", x));
        assertEquals(Math.log(x), target("ln(z1)", x));
        assertEquals(Math.log(x), target("log(z1)", x));
        assertEquals(-1.0, target("floor(z1)", -x));
        assertEquals(1.0, target("ceil(z1)", x));
        assertEquals(-x, target("min(z1, z2)", -x, x));
        assertEquals(x, target("max(z1, z2)", -x, x));
        assertEquals(3.0, target("max(1, min(3, z1*10))", x));
        assertEquals(Math.PI * x, target("pi*z1", x));

        assertEquals(1.0, target("sign(z1*z2*z3)", -1, -2, 3));
        assertEquals(Math.tanh(0.5 + Hermite.value(3, 1.2)), target("tanh(z1 + He3(z2))", 0.5, 1.2), 1e-15);
        assertEquals(0.3 + 0.3 * -2.0, target("z1 + z1*z2", 0.3, -2.0), 1e-15);
        assertEquals(0.3 * 0.3, target("z1^2", 0.3));
        assertEquals(Math.pow(1.1, 7), target("z1^7", 1.1), 1e-14);
        assertEquals(Math.pow(1.1, 40), target("z1^40", 1.1), 1e-12);
        assertEquals(1.0, target("z1^0", 5.0));
        assertEquals(Math.pow(1.1, 0.5), target("z1^0.5", 1.1));
        final double committee = (Erf.erf(0.4 / Math.sqrt(2)) + Erf.erf(-1.3 / Math.sqrt(2))) / 2;
        assertEquals(committee, target("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2", 0.4, -1.3), 1e-15);
    }

    @Test
    void erfMatchesHipparchusAndHighPrecision()
    {
        for (double x = -7.0; x <= 7.0; x += 0.001953125 * 3)
        {
            assertEquals(Erf.erf(x), ErrorFunction.erf(x), 3e-15, "erf(" + x + ")");
        }
        for (final double x : new double[] {1e-300, 1e-8, 0.1, 0.49, 0.5, 0.51, 0.74, 1.0, 1.2247, 2.0, 3.1, 5.9})
        {
            final double exact = ErrorFunction.preciseErf(x);
            assertEquals(exact, ErrorFunction.erf(x), 2 * Math.ulp(exact), "erf(" + x + ")");
            assertEquals(-exact, ErrorFunction.erf(-x), 2 * Math.ulp(exact), "erf(" + -x + ")");
        }
        assertEquals(0.8427007929497149, ErrorFunction.erf(1.0), 1e-16);
        assertEquals(1.0, ErrorFunction.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, ErrorFunction.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(ErrorFunction.erf(Double.NaN)));
        assertEquals(0.0, ErrorFunction.erf(0.0));
    }

    @Test
    void targetArity()
    {
        assertEquals(3, Expression.parseTarget("z1 + He3(z3)").arity());
        assertEquals(1, Expression.parseTarget("He3(z1)").arity());
        assertEquals(12, Expression.parseTarget("z12").arity());
        assertEquals(0, Expression.parseTarget("3 + sqrt(2)").arity());
        assertTrue(Expression.parseTarget("3 + sqrt(2)").isConstant());
        assertFalse(Expression.parseTarget("0*z1").isConstant());
        assertEquals(5.0, Expression.parseTarget("z2").evaluate(new double[] {4.0, 5.0}));

        final Expression e = Expression.parseTarget("z1 + He3(z2)");
        assertEquals("z1 + He3(z2)", e.text());
        assertEquals("z1 + He3(z2)", e.toString());
    }

    @Test
    void constantsAreFolded()
    {
        assertTrue(Expression.parseTarget("sqrt(2)*He3(1.5)/2").isConstant());
        assertTrue(Expression.parse("2^10 - max(1, 2)", SETTINGS).isConstant());
        final Expression folded = Expression.parseTarget("erf(z1/sqrt(2))");
        final Node.ErfCall call = (Node.ErfCall)rootOf(folded);
        final Node.Div div = (Node.Div)call.arg;
        assertTrue(div.right instanceof Node.Const);
    }

    @Test
    void polynomialDegree()
    {
        assertEquals(OptionalInt.of(3), degree("He3(z1)"));
        assertEquals(OptionalInt.of(2), degree("z1*z2"));
        assertEquals(OptionalInt.of(3), degree("z1 + He3(z2)"));
        assertEquals(OptionalInt.of(2), degree("z1^2"));
        assertEquals(OptionalInt.of(2), degree("z1 + z1*z2"));
        assertEquals(OptionalInt.of(1), degree("z1"));
        assertEquals(OptionalInt.of(0), degree("3"));
        assertEquals(OptionalInt.of(0), degree("erf(1) + sqrt(2)"));
        assertEquals(OptionalInt.of(1), degree("-z1/2 + tanh(1)*z2"));
        assertEquals(OptionalInt.of(8), degree("He2(z1*z2 + 1)^(1+0.5*2)/sqrt(3)"));
        assertEquals(OptionalInt.of(12), degree("He4(z1^3)"));
        assertEquals(OptionalInt.of(80), degree("z1^80"));
        assertEquals(OptionalInt.of(0), degree("z1^0"));

        assertEquals(OptionalInt.empty(), degree("sign(z1)"));
        assertEquals(OptionalInt.empty(), degree("z1/z2"));
        assertEquals(OptionalInt.empty(), degree("z1^0.5"));
        assertEquals(OptionalInt.empty(), degree("tanh(z1)"));
        assertEquals(OptionalInt.empty(), degree("z1^-1"));
        assertEquals(OptionalInt.empty(), degree("2^z1"));
        assertEquals(OptionalInt.empty(), degree("z1/0"));
        assertEquals(OptionalInt.empty(), degree("He3(abs(z1))"));
        assertEquals(OptionalInt.empty(), degree("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2"));
        assertEquals(OptionalInt.empty(), degree("max(z1, 0)"));
    }

    @Test
    void erfCommitteeDetection()
    {
        final double s = 1.0 / Math.sqrt(2.0);
        assertTerms(List.of(new Expression.ErfTerm(0.5, s, 0), new Expression.ErfTerm(0.5, s, 1)),
            "(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2");
        assertTerms(List.of(new Expression.ErfTerm(1.0, 1.0, 0)), "erf(z1)");
        assertTerms(List.of(new Expression.ErfTerm(0.5, 2.0, 0), new Expression.ErfTerm(-1.0, 1.0, 1)),
            "0.5*erf(2*z1) - erf(z2)");
        assertTerms(List.of(new Expression.ErfTerm(-3.0, -0.5, 2)), "-(erf(-z3*0.5)*3)");
        assertTerms(List.of(new Expression.ErfTerm(2.0, 6.0, 0)), "2*erf(2*z1*3)");

        for (final String text : new String[] {
            "erf(z1) + 1", "erf(z1)*erf(z2)", "erf(z1 + z2)", "erf(z1*z2)", "erf(z1)^2", "tanh(z1)",
            "erf(z1 + 1)", "z1", "3", "erf(z1)/z2", "erf(sqrt(z1))", "erf(1)"})
        {
            assertEquals(Optional.empty(), Expression.parseTarget(text).erfCommittee(), text);
        }
    }

    @Test
    void errorMessagesAndColumns()
    {
        assertError("He3(z1))", "unexpected ')' at column 8 in \"He3(z1))\"", 8);
        assertError("foo(z1)", "unknown function 'foo' at column 1 in \"foo(z1)\"; functions are " + Parser.FUNCTIONS, 1);
        assertError("He9(z1)", "He9 is not supported (He0..He8) at column 1 in \"He9(z1)\"", 1);
        assertError("1 + He12(z1)", "He12 is not supported (He0..He8) at column 5 in \"1 + He12(z1)\"", 5);
        assertError("he3(z1)", "unknown function 'he3' at column 1 in \"he3(z1)\"; functions are " + Parser.FUNCTIONS, 1);
        assertError("", "empty expression at column 1 in \"\"", 1);
        assertError("   ", "empty expression at column 1 in \"   \"", 1);
        assertError("z1 z2", "unexpected 'z2' at column 4 in \"z1 z2\"; missing operator?", 4);
        assertError("2z1", "unexpected 'z1' at column 2 in \"2z1\"; missing operator?", 2);
        assertError("(z1 + 2", "unclosed '(' at column 1 in \"(z1 + 2\"", 1);
        assertError("tanh(z1", "unclosed '(' at column 5 in \"tanh(z1\"", 5);
        assertError("(z1 + 2 3)", "unexpected '3' at column 9 in \"(z1 + 2 3)\"; missing operator?", 9);
        assertError("z1 +", "missing operand at column 5 in \"z1 +\"", 5);
        assertError("z1 + * 2", "missing operand before '*' at column 6 in \"z1 + * 2\"", 6);
        assertError("()", "missing operand before ')' at column 2 in \"()\"", 2);
        assertError("z1 ^", "missing operand at column 5 in \"z1 ^\"", 5);
        assertError("x + 1", "unknown variable 'x' at column 1 in \"x + 1\"; target variables are z1, z2, z3, ...", 1);
        assertError("z0 + z1", "target variable 'z0' is not allowed at column 1 in \"z0 + z1\"; "
            + "variables are numbered from z1, without leading zeros", 1);
        assertError("min(z1)", "function 'min' takes 2 arguments but got 1 at column 1 in \"min(z1)\"", 1);
        assertError("1+tanh(z1, z2)", "function 'tanh' takes 1 argument but got 2 at column 3 in \"1+tanh(z1, z2)\"", 3);
        assertError("erf()", "function 'erf' takes 1 argument but got 0 at column 1 in \"erf()\"", 1);
        assertError("tanh + 1", "function 'tanh' needs an argument list at column 1 in \"tanh + 1\"; write tanh(...)", 1);
        assertError("z1 $ 2", "unexpected character '$' at column 4 in \"z1 $ 2\"", 4);
        assertError("1,2", "unexpected ',' at column 2 in \"1,2\"", 2);
        assertError(". + 1", "malformed number '.' at column 1 in \". + 1\"", 1);
        assertError("1e999", "number '1e999' is out of range at column 1 in \"1e999\"", 1);
        assertError("z1\n+ q", "unknown variable 'q' at column 6 in \"z1 + q\"; target variables are z1, z2, z3, ...", 6);

        final ExpressionException named = assertThrows(ExpressionException.class,
            () -> Expression.parse("q+1", SETTINGS));
        assertEquals("unknown variable 'q' at column 1 in \"q+1\"; variables are d, nb", named.getMessage());
        assertEquals("unknown variable 'q'", named.reason());
        assertEquals("q+1", named.text());
        final ExpressionException none = assertThrows(ExpressionException.class,
            () -> Expression.parse("d", List.of()));
        assertEquals("unknown variable 'd' at column 1 in \"d\"; no variables are allowed here", none.getMessage());

        assertTrue(IllegalArgumentException.class.isAssignableFrom(ExpressionException.class));
        assertThrows(IllegalArgumentException.class, () -> Expression.parse("1", List.of("d", "d")));
        assertThrows(IllegalArgumentException.class, () -> Expression.parse("1", List.of("2d")));
    }

    @Test
    void variablesShadowPiAndFunctionNames()
    {
        assertEquals(2.0, Expression.parse("pi", List.of("pi")).evaluate(new double[] {2.0}));
        assertEquals(3.0, Expression.parse("exp + 1", List.of("exp")).evaluate(new double[] {2.0}));
        assertEquals(Math.exp(2.0), Expression.parse("exp(exp)", List.of("exp")).evaluate(new double[] {2.0}));
    }

    @Test
    void evaluationDoesNotAllocate()
    {
        final Expression[] expressions = {
            Expression.parseTarget("He3(z1)"),
            Expression.parseTarget("z1 + He3(z2)"),
            Expression.parseTarget("sign(z1*z2*z3)"),
            Expression.parseTarget("tanh(z1 + He3(z2))"),
            Expression.parseTarget("(erf(z1/sqrt(2)) + erf(z2/sqrt(2)))/2"),
            Expression.parseTarget("relu(z1)^3 + z2^0.5 + exp(-abs(z3)) + max(z1, min(z2, floor(z3)))"),
            Expression.parse("0.01*nb*d^-1.5 + 100*d*ln(d)/nb", SETTINGS),
        };
        final double[] values = new double[3];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();

        runAll(expressions, values, 200_000);
        threads.getThreadAllocatedBytes(thread);

        final long before = threads.getThreadAllocatedBytes(thread);
        runAll(expressions, values, 100_000);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(allocated < 512, "evaluate() allocated " + allocated + " bytes");
        assertTrue(Double.isFinite(sink) || Double.isNaN(sink));
    }

    private static void runAll(final Expression[] expressions, final double[] values, final int iterations)
    {
        double sum = 0.0;
        for (int i = 0; i < iterations; i++)
        {
            // Cheap deterministic inputs spanning both signs and every erf branch.
            values[0] = ((i * 7919) % 2001 - 1000) * 0.007;
            values[1] = ((i * 104729) % 2001) * 0.004 + 1.0;
            values[2] = ((i * 31) % 201 - 100) * 0.05;
            for (final Expression expression : expressions)
            {
                sum += expression.evaluate(values);
            }
        }
        sink += sum;
    }

    private static OptionalInt degree(final String text)
    {
        return Expression.parseTarget(text).polynomialDegree();
    }

    private static void assertTerms(final List<Expression.ErfTerm> expected, final String text)
    {
        final Optional<List<Expression.ErfTerm>> actual = Expression.parseTarget(text).erfCommittee();
        assertTrue(actual.isPresent(), text);
        assertEquals(expected.size(), actual.get().size(), text);
        for (int i = 0; i < expected.size(); i++)
        {
            final Expression.ErfTerm e = expected.get(i);
            final Expression.ErfTerm a = actual.get().get(i);
            assertEquals(e.coefficient(), a.coefficient(), 1e-15, text);
            assertEquals(e.scale(), a.scale(), 1e-15, text);
            assertEquals(e.slot(), a.slot(), text);
        }
    }

    private static void assertError(final String text, final String message, final int column)
    {
        final ExpressionException e = assertThrows(ExpressionException.class, () -> Expression.parseTarget(text));
        assertEquals(message, e.getMessage());
        assertEquals(column, e.column());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static Node rootOf(final Expression expression)
    {
        try
        {
            final java.lang.reflect.Field field = Expression.class.getDeclaredField("root");
            field.setAccessible(true);
            return (Node)field.get(expression);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new AssertionError(e);
        }
    }
}
