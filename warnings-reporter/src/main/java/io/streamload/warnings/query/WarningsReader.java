package io.streamload.warnings.query;

import io.streamload.warnings.MissingDatabaseException;
import io.streamload.warnings.StoreLocation;
import io.streamload.warnings.StoreSchema;
import io.streamload.warnings.UtcTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Answers SHOW LOAD WARNINGS and the load_jobs listing from one cluster's database. Read only;
 * every value is bound. A database that does not exist is an error ({@link MissingDatabaseException}:
 * the name is likelier wrong than the store empty); one without tables yet answers with no rows.
 */
public final class WarningsReader {
    private static final String ERROR_COLUMNS =
            "id, job_id, label, db, tbl, topic, kafka_partition, kafka_offset, error_msg, row_excerpt, created_at";

    private final StoreLocation location;
    private final StoreSchema schema;

    public WarningsReader(StoreLocation location) {
        this.location = location;
        this.schema = new StoreSchema(location);
    }

    /**
     * By job id: that job's rows. By label: the rows of the label's latest job (the one whose rows
     * were written last), because a retried label has several jobs and the user wants the last
     * outcome. Neither: the latest rows. Rows come in the order they were written.
     */
    public List<WarningRow> show(Connection connection, ShowLoadWarnings query) throws SQLException {
        schema.requireDatabase(connection);
        if (!schema.errorsTableExists(connection)) {
            return List.of();
        }
        String table = location.qualifiedErrorsTable();
        String dbFilter = query.database() == null ? "" : " AND db = ?";
        if (query.jobId() != null) {
            return selectErrors(connection, "SELECT " + ERROR_COLUMNS + " FROM " + table
                    + " WHERE job_id = ?" + dbFilter + " ORDER BY id LIMIT ?", false, query.jobId(), query.database(),
                    query.limit());
        }
        if (query.label() != null) {
            Long latestJob = latestJobOfLabel(connection, table, query.label(), query.database(), dbFilter);
            if (latestJob == null) {
                return List.of();
            }
            return selectErrors(connection, "SELECT " + ERROR_COLUMNS + " FROM " + table
                    + " WHERE label = ? AND job_id = ?" + dbFilter + " ORDER BY id LIMIT ?", false, query.label(),
                    latestJob, query.database(), query.limit());
        }
        String where = query.database() == null ? "" : " WHERE db = ?";
        return selectErrors(connection, "SELECT " + ERROR_COLUMNS + " FROM " + table + where
                + " ORDER BY id DESC LIMIT ?", true, query.database(), query.limit());
    }

    private Long latestJobOfLabel(Connection connection, String table, String label, String database, String dbFilter)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT job_id FROM " + table + " WHERE label = ?" + dbFilter + " ORDER BY id DESC LIMIT 1")) {
            bind(statement, label, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    /** Binds the non-null values in order; a null is an absent optional filter. */
    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        int index = 1;
        for (Object value : values) {
            if (value != null) {
                statement.setObject(index++, value);
            }
        }
    }

    private static List<WarningRow> selectErrors(Connection connection, String sql, boolean newestFirst,
                                                 Object... values) throws SQLException {
        List<WarningRow> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new WarningRow(
                            rows.getLong("id"),
                            rows.getLong("job_id"),
                            rows.getString("label"),
                            rows.getString("db"),
                            rows.getString("tbl"),
                            rows.getString("topic"),
                            (Integer) rows.getObject("kafka_partition", Integer.class),
                            (Long) rows.getObject("kafka_offset", Long.class),
                            rows.getString("error_msg"),
                            rows.getString("row_excerpt"),
                            UtcTimes.fromColumn(rows.getObject("created_at", LocalDateTime.class))));
                }
            }
        }
        if (newestFirst) {
            Collections.reverse(result);
        }
        return result;
    }

    /** The load_jobs listing, newest first; {@link MissingDatabaseException} when the database does not exist. */
    public List<LoadJobRow> loads(Connection connection, LoadsQuery query) throws SQLException {
        schema.requireDatabase(connection);
        if (!schema.jobsTableExists(connection)) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT id, label, txn_id, db, tbl, status, message, total_rows,"
                + " loaded_rows, filtered_rows, unselected_rows, load_bytes, load_time_ms, offset_ranges, error_url,"
                + " finished_at FROM ").append(location.qualifiedJobsTable()).append(" WHERE 1 = 1");
        if (query.label() != null) {
            sql.append(" AND label = ?");
        }
        if (query.table() != null) {
            sql.append(" AND tbl = ?");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        List<LoadJobRow> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            bind(statement, query.label(), query.table(), query.limit());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new LoadJobRow(
                            rows.getLong("id"),
                            rows.getString("label"),
                            rows.getLong("txn_id"),
                            rows.getString("db"),
                            rows.getString("tbl"),
                            rows.getString("status"),
                            rows.getString("message"),
                            rows.getLong("total_rows"),
                            rows.getLong("loaded_rows"),
                            rows.getLong("filtered_rows"),
                            rows.getLong("unselected_rows"),
                            rows.getLong("load_bytes"),
                            rows.getLong("load_time_ms"),
                            rows.getString("offset_ranges"),
                            rows.getString("error_url"),
                            UtcTimes.fromColumn(rows.getObject("finished_at", LocalDateTime.class))));
                }
            }
        }
        return result;
    }
}
