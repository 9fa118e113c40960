package io.github.emballoc.api.trace;

/**
 * A trace that breaks the trace format. The message is {@code FILE:LINE: what is wrong} (or
 * {@code FILE: what is wrong} for a problem with the trace as a whole, such as a missing heap size), ready
 * to be shown to a user as it is.
 */
public class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The longest value {@link #quote(CharSequence)} quotes whole, in characters. */
    public static final int QUOTE_LIMIT = 40;
    /** How many characters of a longer value {@link #quote(CharSequence)} keeps. */
    private static final int EXCERPT = 32;

    /** The value its accessor of the same name returns. */
    private final String source;
    /** The value its accessor of the same name returns. */
    private final int line;
    /** The value its accessor of the same name returns. */
    private final String problem;

    /**
     * Makes the exception.
     *
     * @param source the name of the trace (a file name, or {@code -} for standard input)
     * @param line the 1-based line number, or 0 when the problem is not on one line
     * @param problem what is wrong, without the location
     */
    public TraceFormatException(String source, int line, String problem) {
        super(line > 0 ? source + ":" + line + ": " + problem : source + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /**
     * Quotes a value for a message, the way every message about a trace (and the command's messages about
     * its options) quote input: {@code 'value'} when it has at most {@link #QUOTE_LIMIT} characters, else its
     * first 32 characters and how long it was, {@code '12345678901234567890123456789012...' (10485760
     * characters)}, so that a message never echoes megabytes of input.
     *
     * @param value the input to quote
     * @return the quoted value or excerpt
     * @throws NullPointerException if {@code value} is {@code null}
     */
    public static String quote(CharSequence value) {
        int length = value.length();
        if (length <= QUOTE_LIMIT) {
            return "'" + value + "'";
        }
        return "'" + value.subSequence(0, EXCERPT) + "...' (" + length + " characters)";
    }

    /**
     * Returns the name of the trace.
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    /**
     * Returns the 1-based line number of the problem.
     *
     * @return the line, or 0 when the problem is not on one line
     */
    public int line() {
        return line;
    }

    /**
     * Returns what is wrong, without the location.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }
}
