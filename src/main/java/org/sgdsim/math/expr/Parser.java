package org.sgdsim.math.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser from expression text to a constant-folded {@link Node} tree; one instance per parse.
 * <p>
 * Grammar, loosest first:
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/') unary)*
 * unary      := ('+' | '-') unary | power
 * power      := primary (('^' | '**') exponent)?
 * exponent   := ('+' | '-') exponent | power
 * primary    := number | name | name '(' expression (',' expression)* ')' | '(' expression ')'
 * </pre>
 * Unary minus binds looser than power so that -z1^2 = −(z1²), and the exponent may carry its own sign so
 * that d^-1.5 reads as intended.
 */
final class Parser
{
    /** Names of the callable functions, for error messages. */
    static final String FUNCTIONS =
        "He0..He8, relu, tanh, erf, sign, abs, sqrt, exp, ln, log, floor, ceil, min(a,b), max(a,b)";

    private static final int MAX_HERMITE = 8;

    /** Resolves variable names to slots and explains unknown names. */
    interface Scope
    {
        /**
         * Slot of a variable name.
         *
         * @param name   identifier as written.
         * @param column 1-based column, for errors about malformed variable names.
         * @param text   the expression, for errors.
         * @return the slot, or −1 if the name is not a variable.
         */
        int slotOf(String name, int column, String text);

        /**
         * Describes the accepted variables, appended to "unknown variable" errors.
         *
         * @return a hint such as "variables are d, nb".
         */
        String describe();
    }

    private enum Kind
    {
        NUMBER, NAME, PLUS, MINUS, STAR, SLASH, CARET, LPAREN, RPAREN, COMMA, END
    }

    private static final class Token
    {
        final Kind kind;
        final int start;
        final String lexeme;
        final double number;

        Token(final Kind kind, final int start, final String lexeme, final double number)
        {
            this.kind = kind;
            this.start = start;
            this.lexeme = lexeme;
            this.number = number;
        }

        int column()
        {
            return start + 1;
        }

        String quoted()
        {
            return kind == Kind.END ? "end of text" : "'" + lexeme + "'";
        }
    }

    private final String text;
    private final Scope scope;
    private final List<Token> tokens;
    private int position;
    /** Open parentheses, calls, signs and powers around the current token: bounded so the parser's stack is. */
    private int depth;
    /** Deepest nesting accepted (far beyond any formula a person writes; the JVM stack holds thousands). */
    static final int MAX_DEPTH = 200;

    private Parser(final String text, final Scope scope)
    {
        this.text = text;
        this.scope = scope;
        this.tokens = tokenize(text);
    }

    /**
     * Parses a complete expression.
     *
     * @param text  expression text.
     * @param scope variable resolution.
     * @return the folded tree.
     * @throws ExpressionException if the text is malformed.
     */
    static Node parse(final String text, final Scope scope)
    {
        return new Parser(text, scope).parseAll();
    }

    private Node parseAll()
    {
        if (peek().kind == Kind.END)
        {
            throw error("empty expression", 1, "");
        }

        final Node node = expression();
        final Token extra = peek();
        if (extra.kind != Kind.END)
        {
            throw unexpected(extra);
        }

        return node;
    }

    private Node expression()
    {
        Node node = term();
        while (true)
        {
            final Kind kind = peek().kind;
            if (kind == Kind.PLUS)
            {
                position++;
                node = Node.fold(new Node.Add(node, term()));
            }
            else if (kind == Kind.MINUS)
            {
                position++;
                node = Node.fold(new Node.Sub(node, term()));
            }
            else
            {
                return node;
            }
        }
    }

    private Node term()
    {
        Node node = unary();
        while (true)
        {
            final Kind kind = peek().kind;
            if (kind == Kind.STAR)
            {
                position++;
                node = Node.fold(new Node.Mul(node, unary()));
            }
            else if (kind == Kind.SLASH)
            {
                position++;
                node = Node.fold(new Node.Div(node, unary()));
            }
            else
            {
                return node;
            }
        }
    }

    private Node unary()
    {
        final Token token = peek();
        enter(token);
        try
        {
            if (token.kind == Kind.PLUS)
            {
                position++;
                return unary();
            }
            if (token.kind == Kind.MINUS)
            {
                position++;
                return Node.fold(new Node.Neg(unary()));
            }
            return power();
        }
        finally
        {
            depth--;
        }
    }

    private void enter(final Token token)
    {
        if (++depth > MAX_DEPTH)
        {
            throw error("nested deeper than " + MAX_DEPTH + " levels (parentheses, calls, signs or powers)",
                token.column(), "");
        }
    }

    private Node power()
    {
        final Node base = primary();
        if (peek().kind != Kind.CARET)
        {
            return base;
        }
        position++;

        return power(base, exponent());
    }

    private Node exponent()
    {
        final Token token = peek();
        enter(token);
        try
        {
            if (token.kind == Kind.PLUS)
            {
                position++;
                return exponent();
            }
            if (token.kind == Kind.MINUS)
            {
                position++;
                return Node.fold(new Node.Neg(exponent()));
            }
            return power();
        }
        finally
        {
            depth--;
        }
    }

    private static Node power(final Node base, final Node exponent)
    {
        if (exponent instanceof Node.Const)
        {
            final double e = ((Node.Const)exponent).value;
            if (e >= 0 && e <= Node.IntPow.MAX_EXPONENT && e == Math.rint(e))
            {
                return Node.fold(new Node.IntPow(base, (int)e));
            }
        }

        return Node.fold(new Node.Pow(base, exponent));
    }

    private Node primary()
    {
        final Token token = next();
        switch (token.kind)
        {
            case NUMBER:
                return new Node.Const(token.number);

            case NAME:
                if (peek().kind == Kind.LPAREN)
                {
                    return call(token);
                }
                return name(token);

            case LPAREN:
            {
                final Node inner = expression();
                expectClose(token);
                return inner;
            }

            case END:
                throw error("missing operand", token.column(), "");

            default:
                throw error("missing operand before " + token.quoted(), token.column(), "");
        }
    }

    private Node name(final Token token)
    {
        final String name = token.lexeme;
        final int slot = scope.slotOf(name, token.column(), text);
        if (slot >= 0)
        {
            return new Node.Var(slot);
        }
        if ("pi".equals(name))
        {
            return new Node.Const(Math.PI);
        }
        if (isFunction(name))
        {
            throw error("function '" + name + "' needs an argument list", token.column(), "write " + name + "(...)");
        }

        throw error("unknown variable '" + name + "'", token.column(), scope.describe());
    }

    private Node call(final Token nameToken)
    {
        final String name = nameToken.lexeme;
        final int column = nameToken.column();
        final int hermite = hermiteDegree(name, column);
        if (hermite < 0 && !isFunction(name))
        {
            throw error("unknown function '" + name + "'", column, "functions are " + FUNCTIONS);
        }

        final Token open = next();
        final List<Node> args = new ArrayList<>(2);
        if (peek().kind == Kind.RPAREN)
        {
            position++;
        }
        else
        {
            args.add(expression());
            while (peek().kind == Kind.COMMA)
            {
                position++;
                args.add(expression());
            }
            expectClose(open);
        }

        final int expected = "min".equals(name) || "max".equals(name) ? 2 : 1;
        if (args.size() != expected)
        {
            throw error(
                "function '" + name + "' takes " + expected + (expected == 1 ? " argument" : " arguments") +
                " but got " + args.size(), column, "");
        }

        final Node a = args.get(0);
        if (hermite >= 0)
        {
            return Node.fold(new Node.HermiteCall(a, hermite));
        }

        switch (name)
        {
            case "relu":
                return Node.fold(new Node.Relu(a));
            case "tanh":
                return Node.fold(new Node.Tanh(a));
            case "erf":
                return Node.fold(new Node.ErfCall(a));
            case "sign":
                return Node.fold(new Node.Sign(a));
            case "abs":
                return Node.fold(new Node.Abs(a));
            case "sqrt":
                return Node.fold(new Node.Sqrt(a));
            case "exp":
                return Node.fold(new Node.Exp(a));
            case "ln":
            case "log":
                return Node.fold(new Node.Ln(a));
            case "floor":
                return Node.fold(new Node.Floor(a));
            case "ceil":
                return Node.fold(new Node.Ceil(a));
            case "min":
                return Node.fold(new Node.Min(a, args.get(1)));
            case "max":
                return Node.fold(new Node.Max(a, args.get(1)));
            default:
                throw new IllegalStateException("function table out of sync: " + name);
        }
    }

    private void expectClose(final Token open)
    {
        final Token token = peek();
        if (token.kind == Kind.RPAREN)
        {
            position++;
            return;
        }
        if (token.kind == Kind.END)
        {
            throw error("unclosed '('", open.column(), "");
        }

        throw unexpected(token);
    }

    /**
     * Degree of a Hermite call name, or −1 if the name is not of the form He followed by digits.
     */
    private int hermiteDegree(final String name, final int column)
    {
        if (name.length() < 3 || !name.startsWith("He"))
        {
            return -1;
        }
        for (int i = 2; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
        }

        final String digits = name.substring(2);
        if (digits.length() > 1 && digits.charAt(0) == '0')
        {
            return -1;
        }
        if (digits.length() > 1 || digits.charAt(0) - '0' > MAX_HERMITE)
        {
            throw error(name + " is not supported (He0..He" + MAX_HERMITE + ")", column, "");
        }

        return digits.charAt(0) - '0';
    }

    private static boolean isFunction(final String name)
    {
        switch (name)
        {
            case "relu":
            case "tanh":
            case "erf":
            case "sign":
            case "abs":
            case "sqrt":
            case "exp":
            case "ln":
            case "log":
            case "floor":
            case "ceil":
            case "min":
            case "max":
                return true;
            default:
                return name.length() == 3 && name.startsWith("He") && name.charAt(2) >= '0' &&
                    name.charAt(2) <= '0' + MAX_HERMITE;
        }
    }

    private Token peek()
    {
        return tokens.get(position);
    }

    private Token next()
    {
        final Token token = tokens.get(position);
        if (token.kind != Kind.END)
        {
            position++;
        }
        return token;
    }

    private ExpressionException unexpected(final Token token)
    {
        if (token.kind == Kind.END)
        {
            return error("unexpected end of text", token.column(), "");
        }

        // An operand right after an operand is almost always a forgotten '*', as in "2z1" or "2(z1+1)".
        final boolean operand = token.kind == Kind.NUMBER || token.kind == Kind.NAME || token.kind == Kind.LPAREN;
        return error("unexpected " + token.quoted(), token.column(), operand ? "missing operator?" : "");
    }

    private ExpressionException error(final String reason, final int column, final String hint)
    {
        return new ExpressionException(reason, column, text, hint);
    }

    private List<Token> tokenize(final String source)
    {
        final List<Token> result = new ArrayList<>();
        final int length = source.length();
        int i = 0;
        while (i < length)
        {
            final char c = source.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
                continue;
            }

            final int start = i;
            if (isDigit(c) || c == '.')
            {
                if (c == '.' && (i + 1 >= length || !isDigit(source.charAt(i + 1))))
                {
                    throw error("malformed number '.'", start + 1, "");
                }
                i = scanNumber(source, i);
                final String lexeme = source.substring(start, i);
                final double value = Double.parseDouble(lexeme);
                if (Double.isInfinite(value))
                {
                    throw error("number '" + lexeme + "' is out of range", start + 1, "");
                }
                result.add(new Token(Kind.NUMBER, start, lexeme, value));
                continue;
            }

            if (isNameStart(c))
            {
                while (i < length && (isNameStart(source.charAt(i)) || isDigit(source.charAt(i))))
                {
                    i++;
                }
                result.add(new Token(Kind.NAME, start, source.substring(start, i), 0.0));
                continue;
            }

            final Kind kind;
            int width = 1;
            switch (c)
            {
                case '+':
                    kind = Kind.PLUS;
                    break;
                case '-':
                    kind = Kind.MINUS;
                    break;
                case '*':
                    if (i + 1 < length && source.charAt(i + 1) == '*')
                    {
                        kind = Kind.CARET;
                        width = 2;
                    }
                    else
                    {
                        kind = Kind.STAR;
                    }
                    break;
                case '/':
                    kind = Kind.SLASH;
                    break;
                case '^':
                    kind = Kind.CARET;
                    break;
                case '(':
                    kind = Kind.LPAREN;
                    break;
                case ')':
                    kind = Kind.RPAREN;
                    break;
                case ',':
                    kind = Kind.COMMA;
                    break;
                default:
                    throw error("unexpected character '" + c + "'", start + 1, "");
            }
            i += width;
            result.add(new Token(kind, start, source.substring(start, i), 0.0));
        }

        result.add(new Token(Kind.END, length, "", 0.0));
        return result;
    }

    /** End of the number starting at i: digits, optional fraction, optional exponent with at least one digit. */
    private static int scanNumber(final String source, final int from)
    {
        final int length = source.length();
        int i = from;
        while (i < length && isDigit(source.charAt(i)))
        {
            i++;
        }
        if (i < length && source.charAt(i) == '.')
        {
            i++;
            while (i < length && isDigit(source.charAt(i)))
            {
                i++;
            }
        }

        // An 'e' only starts an exponent when digits follow; otherwise it is left to become a name.
        if (i < length && (source.charAt(i) == 'e' || source.charAt(i) == 'E'))
        {
            int j = i + 1;
            if (j < length && (source.charAt(j) == '+' || source.charAt(j) == '-'))
            {
                j++;
            }
            if (j < length && isDigit(source.charAt(j)))
            {
                while (j < length && isDigit(source.charAt(j)))
                {
                    j++;
                }
                i = j;
            }
        }

        return i;
    }

    static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    /**
     * Whether c may start a name: ASCII letters and underscore only, so names look the same in every font.
     *
     * @param c character.
     * @return true if c is a letter or '_'.
     */
    static boolean isNameStart(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
