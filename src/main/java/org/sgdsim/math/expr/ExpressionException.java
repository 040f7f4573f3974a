package org.sgdsim.math.expr;

/**
 * A malformed expression: the message names the problem, its 1-based column and the text, on one line.
 */
public final class ExpressionException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int column;
    private final String text;

    /**
     * Creates an exception for a problem found at a column of the text.
     *
     * @param reason what is wrong, e.g. "unexpected ')'".
     * @param column 1-based column of the offending character; text length + 1 for the end of the text.
     * @param text   the whole expression text.
     * @param hint   extra guidance appended after the location, or an empty string.
     */
    public ExpressionException(final String reason, final int column, final String text, final String hint)
    {
        super(format(reason, column, text, hint));
        this.reason = reason;
        this.column = column;
        this.text = text;
    }

    /**
     * What is wrong, without location.
     *
     * @return the reason.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * Where it is wrong.
     *
     * @return the 1-based column; text length + 1 means the end of the text.
     */
    public int column()
    {
        return column;
    }

    /**
     * The expression that failed.
     *
     * @return the text as given.
     */
    public String text()
    {
        return text;
    }

    private static String format(final String reason, final int column, final String text, final String hint)
    {
        final StringBuilder builder = new StringBuilder(reason.length() + text.length() + hint.length() + 32);
        builder.append(reason).append(" at column ").append(column).append(" in \"");

        // Control characters (newlines from multi-line config values) would break the one-line message;
        // a space keeps every column where it was.
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            builder.append(c < ' ' ? ' ' : c);
        }
        builder.append('"');

        if (!hint.isEmpty())
        {
            builder.append("; ").append(hint);
        }

        return builder.toString();
    }
}
