package io.streamload.connect.schema;

import java.sql.SQLException;
import java.util.Set;

/**
 * What a failed DDL statement means, read from the FE's MySQL error code and message (StarRocks
 * {@code ErrorCode.java}, {@code InvalidOlapTableStateException.java}, {@code SchemaChangeHandler.java};
 * Doris {@code ErrorCode.java}, {@code OlapTable.checkNormalStateForAlter}, {@code SchemaChangeHandler.java}).
 */
final class DdlErrors {
    /** 1044/1045/1142/1224/1227: MySQL's and Doris' access errors; 5203: StarRocks' ERR_ACCESS_DENIED. */
    private static final Set<Integer> ACCESS_DENIED = Set.of(1044, 1045, 1142, 1224, 1225, 1227, 5203);
    /** 1051/1146: MySQL's and Doris' unknown table; 5502: StarRocks' ERR_BAD_TABLE_ERROR. */
    private static final Set<Integer> UNKNOWN_TABLE = Set.of(1051, 1146, 5502);

    private DdlErrors() {
    }

    /** CREATE TABLE lost a race: another task made the table first. */
    static boolean tableExists(SQLException e) {
        return e.getErrorCode() == 1050 || text(e).contains("already exists") && text(e).contains("Table '");
    }

    /** ADD COLUMN lost a race: another task added the column first. */
    static boolean columnExists(SQLException e) {
        return e.getErrorCode() == 1060 || text(e).contains("Can not add column which already exists");
    }

    /** A MODIFY COLUMN to the type the column has (another task widened it first): both servers' text. */
    static boolean nothingChanged(SQLException e) {
        return text(e).contains("Nothing is changed");
    }

    /** Another schema change runs on the table: the targets refuse a second ALTER until it ends. */
    static boolean schemaChangeRunning(SQLException e) {
        String t = text(e);
        return t.contains("A schema change operation is in progress") || t.contains("is not NORMAL. Do not allow doing ALTER ops")
                || t.contains("is being altered");
    }

    static boolean accessDenied(SQLException e) {
        return ACCESS_DENIED.contains(e.getErrorCode()) || text(e).contains("Access denied")
                || text(e).contains("command denied");
    }

    static boolean unknownTable(SQLException e) {
        return UNKNOWN_TABLE.contains(e.getErrorCode()) || text(e).contains("Unknown table");
    }

    /** The connection broke or could not be made (SQLSTATE class 08): try again on a new one. */
    static boolean connectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * The driver could not finish TLS with the MySQL port: the certificate was not trusted or did not
     * name the host. Not transient, so not retried; the deepest such cause says which.
     */
    static String tlsHandshakeFailure(SQLException e) {
        String reason = null;
        for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLHandshakeException || c instanceof java.security.cert.CertificateException) {
                reason = c.getMessage();
            }
        }
        return reason;
    }

    private static String text(SQLException e) {
        return e.getMessage() == null ? "" : e.getMessage();
    }
}
