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
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers SHOW LOAD WARNINGS, the load_jobs listing and the timeline of both from one cluster's database. Read only;
 * every value is bound. A database that does not exist is an error ({@link MissingDatabaseException}:
 * the name is likelier wrong than the store empty); one without tables yet answers with no rows.
 */
public final class WarningsReader {
    private static final String ERROR_COLUMNS =
            "id, job_id, label, db, tbl, topic, kafka_partition, kafka_offset, error_msg, row_excerpt, created_at";

    /**
     * The load_jobs statuses, in lower case, whose rows landed: a Stream Load's Success and Publish
     * Timeout (committed, visible later), a transaction's COMMITTED and the transaction interface's OK.
     */
    public static final List<String> LANDED_STATUSES = List.of("success", "publish timeout", "committed", "ok");

    private final StoreLocation location;
    private final StoreSchema schema;

    public WarningsReader(StoreLocation location) {
        this.location = location;
        this.schema = new StoreSchema(location);
    }

    /** SHOW LOAD WARNINGS as it is. */
    public List<WarningRow> show(Connection connection, ShowLoadWarnings query) throws SQLException {
        return show(connection, query, RowFilter.NONE);
    }

    /**
     * By job id: that job's rows. By label: the rows of the label's latest job (the one whose rows
     * were written last), because a retried label has several jobs and the user wants the last
     * outcome. Neither: the latest rows. Rows come in the order they were written. {@code filter}
     * narrows the rows further; it never changes which job counts as a label's latest.
     */
    public List<WarningRow> show(Connection connection, ShowLoadWarnings query, RowFilter filter) throws SQLException {
        schema.requireDatabase(connection);
        if (!schema.errorsTableExists(connection)) {
            return List.of();
        }
        String table = location.qualifiedErrorsTable();
        String dbFilter = query.database() == null ? "" : " AND db = ?";
        Conditions conditions = new Conditions();
        if (query.jobId() != null) {
            conditions.add("job_id = ?", query.jobId());
        } else if (query.label() != null) {
            Long latestJob = latestJobOfLabel(connection, table, query.label(), query.database(), dbFilter);
            if (latestJob == null) {
                return List.of();
            }
            conditions.add("label = ?", query.label()).add("job_id = ?", latestJob);
        }
        conditions.add("db = ?", query.database())
                .add("tbl = ?", filter.table())
                .add("error_msg LIKE ? ESCAPE '!'", filter.reason() == null ? null : "%" + likeEscaped(filter.reason()) + "%")
                .add("created_at >= ?", filter.since() == null ? null : UtcTimes.toColumn(filter.since()))
                .add("created_at < ?", filter.until() == null ? null : UtcTimes.toColumn(filter.until()));
        // A job's rows are few and read in order; otherwise the latest rows, newest first, turned round.
        boolean newestFirst = query.jobId() == null && query.label() == null;
        String sql = "SELECT " + ERROR_COLUMNS + " FROM " + table + conditions.where()
                + (newestFirst ? " ORDER BY id DESC" : " ORDER BY id") + " LIMIT ?";
        return selectErrors(connection, sql, newestFirst, conditions.valuesAnd(query.limit()));
    }

    /** {@code text} for LIKE with {@code ESCAPE '!'}: its own %, _ and ! match themselves. */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** WHERE conditions with one bound value each; a null value is an absent filter and adds nothing. */
    private static final class Conditions {
        private final List<String> clauses = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();

        Conditions add(String clause, Object value) {
            if (value != null) {
                clauses.add(clause);
                values.add(value);
            }
            return this;
        }

        String where() {
            return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        }

        Object[] valuesAnd(Object... more) {
            List<Object> all = new ArrayList<>(values);
            all.addAll(List.of(more));
            return all.toArray();
        }
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
        Conditions conditions = new Conditions()
                .add("label = ?", query.label())
                .add("tbl = ?", query.table())
                .add("finished_at >= ?", query.since() == null ? null : UtcTimes.toColumn(query.since()))
                .add("finished_at < ?", query.until() == null ? null : UtcTimes.toColumn(query.until()));
        String sql = "SELECT id, label, txn_id, db, tbl, status, message, total_rows,"
                + " loaded_rows, filtered_rows, unselected_rows, load_bytes, load_time_ms, offset_ranges, error_url,"
                + " finished_at FROM " + location.qualifiedJobsTable() + conditions.where() + " ORDER BY id DESC LIMIT ?";
        List<LoadJobRow> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, conditions.valuesAnd(query.limit()));
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

    /**
     * Sums per target table and span of {@code query}: load attempts from load_jobs (by
     * {@code finished_at}) and rejected rows from load_errors (by {@code created_at}), ordered by
     * database, table and span; spans without any are left out. Each table answers at most
     * {@code query.limit()} groups; a result with that many from either says it may be cut.
     */
    public Timeline timeline(Connection connection, TimelineQuery query) throws SQLException {
        schema.requireDatabase(connection);
        int jobGroups = 0;
        int errorGroups = 0;
        Map<List<Object>, TimelinePoint> points = new TreeMap<>(WarningsReader::compareGroups);
        LocalDateTime since = UtcTimes.toColumn(query.since());
        LocalDateTime until = UtcTimes.toColumn(query.until());
        String landed = "LOWER(status) IN (" + String.join(", ", Collections.nCopies(LANDED_STATUSES.size(), "?")) + ")";
        if (schema.jobsTableExists(connection)) {
            Conditions conditions = new Conditions().add("finished_at >= ?", since).add("finished_at < ?", until)
                    .add("tbl = ?", query.table());
            String sql = "SELECT db, tbl, TIMESTAMPDIFF(SECOND, ?, finished_at) DIV ? AS bucket, COUNT(*) AS attempts,"
                    + " SUM(CASE WHEN " + landed + " THEN 1 ELSE 0 END) AS landed,"
                    + " SUM(CASE WHEN " + landed + " THEN loaded_rows ELSE 0 END) AS loaded,"
                    + " SUM(CASE WHEN " + landed + " THEN filtered_rows ELSE 0 END) AS filtered"
                    + " FROM " + location.qualifiedJobsTable() + conditions.where()
                    + " GROUP BY db, tbl, bucket ORDER BY db, tbl, bucket LIMIT ?";
            List<Object> values = new ArrayList<>(List.of(since, query.bucketSeconds()));
            for (int i = 0; i < 3; i++) {
                values.addAll(LANDED_STATUSES);
            }
            values.addAll(List.of(conditions.valuesAnd(query.limit())));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, values.toArray());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        TimelinePoint point = new TimelinePoint(rows.getString("db"), rows.getString("tbl"),
                                rows.getLong("bucket"), rows.getLong("attempts"), rows.getLong("landed"),
                                rows.getLong("loaded"), rows.getLong("filtered"), 0);
                        jobGroups++;
                        points.put(List.of(point.database(), point.table(), point.bucket()), point);
                    }
                }
            }
        }
        if (schema.errorsTableExists(connection)) {
            Conditions conditions = new Conditions().add("created_at >= ?", since).add("created_at < ?", until)
                    .add("tbl = ?", query.table());
            String sql = "SELECT db, tbl, TIMESTAMPDIFF(SECOND, ?, created_at) DIV ? AS bucket, COUNT(*) AS rejected"
                    + " FROM " + location.qualifiedErrorsTable() + conditions.where()
                    + " GROUP BY db, tbl, bucket ORDER BY db, tbl, bucket LIMIT ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                List<Object> values = new ArrayList<>(List.of(since, query.bucketSeconds()));
                values.addAll(List.of(conditions.valuesAnd(query.limit())));
                bind(statement, values.toArray());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        List<Object> key = List.of(rows.getString("db"), rows.getString("tbl"), rows.getLong("bucket"));
                        TimelinePoint loads = points.get(key);
                        long rejected = rows.getLong("rejected");
                        errorGroups++;
                        points.put(key, loads == null
                                ? new TimelinePoint((String) key.get(0), (String) key.get(1), (Long) key.get(2), 0, 0, 0, 0,
                                        rejected)
                                : new TimelinePoint(loads.database(), loads.table(), loads.bucket(), loads.attempts(),
                                        loads.landedAttempts(), loads.loadedRows(), loads.filteredRows(), rejected));
                    }
                }
            }
        }
        return new Timeline(query, new ArrayList<>(points.values()),
                jobGroups >= query.limit() || errorGroups >= query.limit());
    }

    private static int compareGroups(List<Object> a, List<Object> b) {
        int byDatabase = ((String) a.get(0)).compareTo((String) b.get(0));
        if (byDatabase != 0) {
            return byDatabase;
        }
        int byTable = ((String) a.get(1)).compareTo((String) b.get(1));
        return byTable != 0 ? byTable : Long.compare((Long) a.get(2), (Long) b.get(2));
    }
}
