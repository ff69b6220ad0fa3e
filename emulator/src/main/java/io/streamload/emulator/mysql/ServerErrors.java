package io.streamload.emulator.mysql;

/**
 * The errors of the MySQL port, with each server's code, SQLSTATE and text. Sources: StarRocks
 * {@code fe/fe-core/src/main/java/com/starrocks/common/ErrorCode.java} and
 * {@code InvalidOlapTableStateException.java}, {@code SchemaChangeHandler.java}; Doris
 * {@code fe/fe-core/src/main/java/org/apache/doris/common/ErrorCode.java},
 * {@code OlapTable.checkNormalStateForAlter}, {@code SchemaChangeHandler.java}. Doris sends the text
 * of its analysis and DDL exceptions after {@code errCode = 2, detailMessage = }; StarRocks sends
 * a DDL exception's text under code 1064.
 */
final class ServerErrors {
    private static final String DORIS_PREFIX = "errCode = 2, detailMessage = ";
    private final boolean doris;

    ServerErrors(boolean doris) {
        this.doris = doris;
    }

    boolean doris() {
        return doris;
    }

    /** What the handshake announces: Doris' GlobalVariable.version, StarRocks' mysql_server_version. */
    String serverVersion() {
        return doris ? "5.7.99" : "8.0.33";
    }

    private SqlError ddl(String message) {
        return doris ? new SqlError(1105, "HY000", DORIS_PREFIX + message) : new SqlError(1064, "HY000", message);
    }

    SqlError ddlFailed(String message) {
        return ddl(message);
    }

    SqlError unknownDatabase(String db) {
        return doris ? new SqlError(1049, "42000", DORIS_PREFIX + "Unknown database '" + db + "'")
                : new SqlError(5501, "3F000", "Unknown database '" + db + "'");
    }

    SqlError databaseExists(String db) {
        return new SqlError(1007, "HY000", (doris ? DORIS_PREFIX : "") + "Can't create database '" + db
                + "'; database exists");
    }

    SqlError noDatabase() {
        return new SqlError(1046, "3D000", (doris ? DORIS_PREFIX : "") + "No database selected");
    }

    SqlError unknownTable(String db, String table) {
        return doris ? new SqlError(1051, "42S02", DORIS_PREFIX + "Unknown table '" + table + "'")
                : new SqlError(5502, "42602", "Unknown table '" + db + "." + table + "'");
    }

    SqlError tableExists(String table) {
        return new SqlError(1050, "42S01", (doris ? DORIS_PREFIX : "") + "Table '" + table + "' already exists");
    }

    SqlError columnExists(String column) {
        return ddl("Can not add column which already exists in base table: " + column);
    }

    SqlError unknownColumn(String column) {
        return ddl("Column[" + column + "] does not exists");
    }

    SqlError cannotChangeType(String from, String to) {
        return ddl("Can not change " + from + " to " + to);
    }

    SqlError badColumnType(String column, String reason) {
        return SqlEngine.syntax("column '" + column + "': " + reason);
    }

    SqlError unsupportedModel(String model) {
        if (doris && model.equals("PRIMARY")) {
            return SqlEngine.syntax("PRIMARY KEY is not a Doris table model: use UNIQUE KEY with "
                    + "\"enable_unique_key_merge_on_write\" = \"true\"");
        }
        return SqlEngine.syntax("the emulator does not model " + model + " KEY tables");
    }

    /** An ALTER while the table's schema change job runs. */
    SqlError schemaChangeRunning(String table) {
        if (doris) {
            return ddl("Table[" + table + "]'s state(SCHEMA_CHANGE) is not NORMAL. Do not allow doing ALTER ops");
        }
        return ddl("A schema change operation is in progress on the table \"" + table + "\". "
                + "Please wait until the current operation completes.\n"
                + "To check the status of the operation, see SHOW ALTER TABLE COLUMN");
    }

    /** The load user lacks CREATE or ALTER. */
    SqlError accessDenied(String privilege, String user, String db, String table) {
        if (doris) {
            if (privilege.equals("ALTER")) {
                return new SqlError(1142, "42000", DORIS_PREFIX + "ALTER TABLE command denied to user '" + user
                        + "'@'127.0.0.1' for table '" + db + ": " + table + "'");
            }
            return new SqlError(1227, "42000", DORIS_PREFIX
                    + "Access denied; you need (at least one of) the (CREATE) privilege(s) for this operation");
        }
        String on = privilege.equals("ALTER") ? "TABLE " + table : "DATABASE " + db;
        String what = privilege.equals("ALTER") ? "ALTER" : "CREATE TABLE";
        return new SqlError(5203, "42000", "Access denied; you need (at least one of) the " + what
                + " privilege(s) on " + on + " for this operation. Please ask the admin to grant permission(s) or"
                + " try activating existing roles using <set [default] role>. Current role(s): NONE."
                + " Inactivated role(s): NONE.");
    }

    SqlError unknownVariable(String name) {
        return new SqlError(1193, "HY000", (doris ? DORIS_PREFIX : "") + "Unknown system variable '" + name + "'");
    }
}
