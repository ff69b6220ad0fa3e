package io.streamload.emulator.mysql;

/**
 * An error a statement ends with, as the server sends it in an ERR packet: MySQL error code,
 * SQLSTATE and message.
 */
public final class SqlError extends Exception {
    private final int code;
    private final String sqlState;

    public SqlError(int code, String sqlState, String message) {
        super(message, null, false, false);
        this.code = code;
        this.sqlState = sqlState;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }
}
