package io.github.emballoc.api.trace;

/**
 * A trace that breaks the trace format. The message is {@code FILE:LINE: what is wrong} (or
 * {@code FILE: what is wrong} for a problem with the trace as a whole, such as a missing heap size), ready
 * to be shown to a user as it is.
 */
public class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

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
