package io.github.emballoc.cli;

/**
 * An error the command reports as one line, {@code emballoc: MESSAGE}, with an exit status.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    CliException(int status, String message) {
        super(message);
        this.status = status;
    }

    CliException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** Returns the exit status. */
    int status() {
        return status;
    }

    /** A usage error or malformed input: status 2. */
    static CliException usage(String message) {
        return new CliException(Emballoc.USAGE, message);
    }
}
