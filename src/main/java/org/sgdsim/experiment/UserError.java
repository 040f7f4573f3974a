package org.sgdsim.experiment;

/** An error the user caused (config, command line, files): reported in one line, exit code 2. */
public final class UserError extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    /** Quoted values longer than this are cut in messages: a 20,000-character expression is not one readable line. */
    static final int LONGEST_QUOTE = 60;
    /** Messages longer than this are cut. */
    static final int LONGEST_MESSAGE = 1000;
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile(
        "(?<=^|[\\s(=:,\\[])(?:'([^'\\n]{" + (LONGEST_QUOTE + 1) + ",}?)'|\"([^\"\\n]{" + (LONGEST_QUOTE + 1)
            + ",}?)\")(?=$|[\\s),.;:\\]])");

    /** An error with a one-line message that names what was wrong and what was expected. */
    public UserError(final String message)
    {
        super(shorten(message));
    }

    /** As {@link #UserError(String)}, keeping the cause for debugging. */
    public UserError(final String message, final Throwable cause)
    {
        super(shorten(message), cause);
    }

    /** The message with long quoted values cut to their first characters and an ellipsis, and at most 1000 long. */
    static String shorten(final String message)
    {
        if (message == null)
        {
            return null;
        }
        final java.util.regex.Matcher m = QUOTED.matcher(message);
        final StringBuilder out = new StringBuilder();
        while (m.find())
        {
            final String quote = m.group(1) != null ? "'" : "\"";
            final String value = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(quote + value.substring(0, 40) + "…" + quote
                + " (" + value.length() + " characters)"));
        }
        m.appendTail(out);
        return out.length() <= LONGEST_MESSAGE ? out.toString() : out.substring(0, LONGEST_MESSAGE - 1) + "…";
    }
}
