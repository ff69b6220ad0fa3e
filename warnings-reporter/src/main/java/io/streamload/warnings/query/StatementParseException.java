package io.streamload.warnings.query;

/**
 * A statement that does not parse, with the 1-based character position of the problem, so that
 * the CLI can point at it under the statement.
 */
public final class StatementParseException extends Exception {
    private final String statement;
    private final int position;
    private final String reason;

    public StatementParseException(String statement, int position, String reason) {
        super("parse error at position " + position + ": " + reason);
        this.statement = statement;
        this.position = position;
        this.reason = reason;
    }

    /** 1-based; one past the end when the statement ended too early. */
    public int position() {
        return position;
    }

    public String reason() {
        return reason;
    }

    public String statement() {
        return statement;
    }

    /** The message, the statement, and a caret under the position. */
    public String describe() {
        String oneLine = statement.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return getMessage() + System.lineSeparator() + "  " + oneLine + System.lineSeparator()
                + "  " + " ".repeat(Math.max(0, position - 1)) + "^";
    }
}
