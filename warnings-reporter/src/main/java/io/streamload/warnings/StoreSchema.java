package io.streamload.warnings;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The DDL of the store. Column sizes here are the bounds {@link ColumnLimits} cuts texts to.
 *
 * <p>{@code id} is auto-increment because the TTL cleaner walks it: deleting the lowest ids first
 * touches the oldest rows without an index on {@code created_at}. Times are UTC.
 */
public final class StoreSchema {
    private final StoreLocation location;

    public StoreSchema(StoreLocation location) {
        this.location = location;
    }

    /** Creates the database and both tables when missing; harmless when they exist. */
    public void createIfMissing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(location.database())
                    + " CHARACTER SET utf8mb4");
            statement.execute(errorsTableDdl());
            statement.execute(jobsTableDdl());
        }
        addEntryKeyIfMissing(connection);
    }

    /**
     * Tables created by earlier versions lack {@code entry_key}, the identity that lets a report
     * sent again after a task restart land once; it is added (NULL for the rows already there).
     */
    private void addEntryKeyIfMissing(Connection connection) throws SQLException {
        if (errorsTableHasEntryKey(connection)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(addEntryKeyDdl());
        }
    }

    /** The statement that gives a load_errors table of an earlier version its {@code entry_key}. */
    public String addEntryKeyDdl() {
        return "ALTER TABLE " + location.qualifiedErrorsTable()
                + " ADD COLUMN entry_key CHAR(32) NULL, ADD UNIQUE KEY uk_entry_key (entry_key)";
    }

    /** Whether load_errors has {@code entry_key} (tables of earlier versions do not). */
    public boolean errorsTableHasEntryKey(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " AND COLUMN_NAME = 'entry_key'")) {
            statement.setString(1, location.database());
            statement.setString(2, location.errorsTable());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether the database exists (and the user may see it). */
    public boolean databaseExists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            statement.setString(1, location.database());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Fails with {@link MissingDatabaseException} when the database does not exist, for read-only commands. */
    public void requireDatabase(Connection connection) throws SQLException {
        if (!databaseExists(connection)) {
            throw new MissingDatabaseException(location.database());
        }
    }

    /** Whether the load_errors table exists (read-only commands say so instead of failing on SQL). */
    public boolean errorsTableExists(Connection connection) throws SQLException {
        return tableExists(connection, location.errorsTable());
    }

    public boolean jobsTableExists(Connection connection) throws SQLException {
        return tableExists(connection, location.jobsTable());
    }

    private boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet tables = meta.getTables(location.database(), null, table, new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    String errorsTableDdl() {
        return "CREATE TABLE IF NOT EXISTS " + location.qualifiedErrorsTable() + " ("
                + "id BIGINT NOT NULL AUTO_INCREMENT,"
                + "job_id BIGINT NOT NULL DEFAULT -1 COMMENT 'transaction id of the load, -1 when none',"
                + "label VARCHAR(" + ColumnLimits.LABEL + ") NOT NULL,"
                + "db VARCHAR(" + ColumnLimits.NAME + ") NOT NULL DEFAULT '',"
                + "tbl VARCHAR(" + ColumnLimits.NAME + ") NOT NULL DEFAULT '',"
                + "topic VARCHAR(" + ColumnLimits.TOPIC + ") NULL,"
                + "kafka_partition INT NULL,"
                + "kafka_offset BIGINT NULL,"
                + "error_msg VARCHAR(" + ColumnLimits.ERROR_MESSAGE + ") NOT NULL,"
                + "row_excerpt VARCHAR(" + ColumnLimits.ROW_EXCERPT + ") NULL,"
                + "created_at DATETIME(3) NOT NULL COMMENT 'UTC',"
                + "entry_key CHAR(32) NULL COMMENT 'identity of the report: the same report written again lands once',"
                + "PRIMARY KEY (id),"
                + "UNIQUE KEY uk_entry_key (entry_key),"
                + "KEY idx_job_id (job_id),"
                + "KEY idx_label (label),"
                + "KEY idx_source (topic, kafka_partition, kafka_offset)"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    String jobsTableDdl() {
        return "CREATE TABLE IF NOT EXISTS " + location.qualifiedJobsTable() + " ("
                + "id BIGINT NOT NULL AUTO_INCREMENT,"
                + "label VARCHAR(" + ColumnLimits.LABEL + ") NOT NULL,"
                + "txn_id BIGINT NOT NULL DEFAULT -1,"
                + "db VARCHAR(" + ColumnLimits.NAME + ") NOT NULL DEFAULT '',"
                + "tbl VARCHAR(" + ColumnLimits.NAME + ") NOT NULL DEFAULT '',"
                + "status VARCHAR(" + ColumnLimits.STATUS + ") NOT NULL,"
                + "message VARCHAR(" + ColumnLimits.ERROR_MESSAGE + ") NULL,"
                + "total_rows BIGINT NOT NULL DEFAULT 0,"
                + "loaded_rows BIGINT NOT NULL DEFAULT 0,"
                + "filtered_rows BIGINT NOT NULL DEFAULT 0,"
                + "unselected_rows BIGINT NOT NULL DEFAULT 0,"
                + "load_bytes BIGINT NOT NULL DEFAULT 0,"
                + "load_time_ms BIGINT NOT NULL DEFAULT 0,"
                + "offset_ranges TEXT NULL COMMENT 'JSON: [{topic, partition, firstOffset, lastOffset}]',"
                + "error_url VARCHAR(" + ColumnLimits.URL + ") NULL,"
                + "finished_at DATETIME(3) NOT NULL COMMENT 'UTC',"
                + "PRIMARY KEY (id),"
                + "KEY idx_label (label),"
                + "KEY idx_txn_id (txn_id),"
                + "KEY idx_tbl (tbl)"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }
}
