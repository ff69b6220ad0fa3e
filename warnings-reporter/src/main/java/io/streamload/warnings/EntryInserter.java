package io.streamload.warnings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes a batch of entries with two prepared INSERTs (one per table), texts cut to their columns.
 * Values are always bound, never spliced into SQL.
 */
final class EntryInserter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String insertError;
    private final String insertJob;

    private final boolean withEntryKey;

    /**
     * @param withEntryKey whether load_errors has {@code entry_key}; a table of an earlier version
     *        that the writer may not alter (table creation off) is written without it
     */
    EntryInserter(StoreLocation location, boolean withEntryKey) {
        this.withEntryKey = withEntryKey;
        this.insertError = withEntryKey
                ? "INSERT INTO " + location.qualifiedErrorsTable()
                        + " (job_id, label, db, tbl, topic, kafka_partition, kafka_offset, error_msg, row_excerpt,"
                        + " created_at, entry_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        // A task that restarts before its offsets were committed reports the same
                        // records again; their entries carry the same key and land once.
                        + " ON DUPLICATE KEY UPDATE entry_key = entry_key"
                : "INSERT INTO " + location.qualifiedErrorsTable()
                        + " (job_id, label, db, tbl, topic, kafka_partition, kafka_offset, error_msg, row_excerpt,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertJob = "INSERT INTO " + location.qualifiedJobsTable()
                + " (label, txn_id, db, tbl, status, message, total_rows, loaded_rows, filtered_rows, unselected_rows,"
                + " load_bytes, load_time_ms, offset_ranges, error_url, finished_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** Inserts {@code batch} (a mix of both entry kinds); returns how many rows were written. */
    int insert(Connection connection, List<? extends StoreEntry> batch) throws SQLException {
        int errors = 0;
        int jobs = 0;
        try (PreparedStatement errorStatement = connection.prepareStatement(insertError);
             PreparedStatement jobStatement = connection.prepareStatement(insertJob)) {
            for (StoreEntry entry : batch) {
                if (entry instanceof LoadErrorEntry error) {
                    bindError(errorStatement, error);
                    errorStatement.addBatch();
                    errors++;
                } else if (entry instanceof LoadJobEntry job) {
                    bindJob(jobStatement, job);
                    jobStatement.addBatch();
                    jobs++;
                }
            }
            if (errors > 0) {
                errorStatement.executeBatch();
            }
            if (jobs > 0) {
                jobStatement.executeBatch();
            }
        }
        return errors + jobs;
    }

    private void bindError(PreparedStatement s, LoadErrorEntry e) throws SQLException {
        s.setLong(1, e.jobId());
        s.setString(2, ColumnLimits.cut(e.label(), ColumnLimits.LABEL));
        s.setString(3, nonNull(ColumnLimits.cut(e.database(), ColumnLimits.NAME)));
        s.setString(4, nonNull(ColumnLimits.cut(e.table(), ColumnLimits.NAME)));
        s.setString(5, ColumnLimits.cut(e.topic(), ColumnLimits.TOPIC));
        if (e.kafkaPartition() == null) {
            s.setNull(6, Types.INTEGER);
        } else {
            s.setInt(6, e.kafkaPartition());
        }
        if (e.kafkaOffset() == null) {
            s.setNull(7, Types.BIGINT);
        } else {
            s.setLong(7, e.kafkaOffset());
        }
        s.setString(8, ColumnLimits.cut(e.errorMessage(), ColumnLimits.ERROR_MESSAGE));
        s.setString(9, ColumnLimits.cut(e.rowExcerpt(), ColumnLimits.ROW_EXCERPT));
        s.setObject(10, UtcTimes.toColumn(e.createdAt()));
        if (withEntryKey) {
            s.setString(11, e.entryKey());
        }
    }

    private static void bindJob(PreparedStatement s, LoadJobEntry j) throws SQLException {
        s.setString(1, ColumnLimits.cut(j.label(), ColumnLimits.LABEL));
        s.setLong(2, j.transactionId());
        s.setString(3, nonNull(ColumnLimits.cut(j.database(), ColumnLimits.NAME)));
        s.setString(4, nonNull(ColumnLimits.cut(j.table(), ColumnLimits.NAME)));
        s.setString(5, ColumnLimits.cut(j.status(), ColumnLimits.STATUS));
        s.setString(6, ColumnLimits.cut(j.message(), ColumnLimits.ERROR_MESSAGE));
        s.setLong(7, j.totalRows());
        s.setLong(8, j.loadedRows());
        s.setLong(9, j.filteredRows());
        s.setLong(10, j.unselectedRows());
        s.setLong(11, j.loadBytes());
        s.setLong(12, j.loadTimeMs());
        s.setString(13, offsetRangesJson(j.offsetRanges()));
        s.setString(14, ColumnLimits.cut(j.errorUrl(), ColumnLimits.URL));
        s.setObject(15, UtcTimes.toColumn(j.finishedAt()));
    }

    static String offsetRangesJson(List<OffsetRange> ranges) {
        try {
            return JSON.writeValueAsString(ranges);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("offset ranges are plain records and always serialise", e);
        }
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
