package io.streamload.warnings.dlq;

import io.streamload.warnings.ColumnLimits;
import io.streamload.warnings.LoadErrorEntry;
import io.streamload.warnings.StoreLocation;
import io.streamload.warnings.StoreSchema;
import io.streamload.warnings.UtcTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Puts DLQ records that are missing from load_errors back into it: the rows rejected while MySQL
 * was down. Idempotent: a record is identified by its original topic, partition and offset (from
 * Connect's error headers), and skipped when a load_errors row for that source already exists.
 */
public final class DlqBackfill {
    /** The label of backfilled rows whose exception message names none. */
    public static final String UNKNOWN_LABEL = "dlq-backfill";

    private final StoreLocation location;

    public DlqBackfill(StoreLocation location) {
        this.location = location;
    }

    /** Counts of one backfill run. */
    public record Result(long inserted, long alreadyPresent, long withoutSource) {
    }

    /** Backfills each record of {@code records}; creates the tables when missing. */
    public Result run(Connection connection, Iterable<DlqRecord> records) throws SQLException {
        new StoreSchema(location).createIfMissing(connection);
        long inserted = 0;
        long present = 0;
        long withoutSource = 0;
        String exists = "SELECT 1 FROM " + location.qualifiedErrorsTable()
                + " WHERE topic = ? AND kafka_partition = ? AND kafka_offset = ? LIMIT 1";
        String insert = "INSERT INTO " + location.qualifiedErrorsTable()
                + " (job_id, label, db, tbl, topic, kafka_partition, kafka_offset, error_msg, row_excerpt, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement existsStatement = connection.prepareStatement(exists);
             PreparedStatement insertStatement = connection.prepareStatement(insert)) {
            for (DlqRecord record : records) {
                LoadErrorEntry entry = toEntry(record);
                if (entry == null) {
                    withoutSource++;
                    continue;
                }
                existsStatement.setString(1, entry.topic());
                existsStatement.setInt(2, entry.kafkaPartition());
                existsStatement.setLong(3, entry.kafkaOffset());
                try (ResultSet rows = existsStatement.executeQuery()) {
                    if (rows.next()) {
                        present++;
                        continue;
                    }
                }
                insertStatement.setLong(1, entry.jobId());
                insertStatement.setString(2, ColumnLimits.cut(entry.label(), ColumnLimits.LABEL));
                insertStatement.setString(3, entry.database() == null ? "" : ColumnLimits.cut(entry.database(), ColumnLimits.NAME));
                insertStatement.setString(4, entry.table() == null ? "" : ColumnLimits.cut(entry.table(), ColumnLimits.NAME));
                insertStatement.setString(5, entry.topic());
                insertStatement.setInt(6, entry.kafkaPartition());
                insertStatement.setLong(7, entry.kafkaOffset());
                insertStatement.setString(8, ColumnLimits.cut(entry.errorMessage(), ColumnLimits.ERROR_MESSAGE));
                insertStatement.setString(9, ColumnLimits.cut(entry.rowExcerpt(), ColumnLimits.ROW_EXCERPT));
                insertStatement.setObject(10, UtcTimes.toColumn(entry.createdAt()));
                insertStatement.executeUpdate();
                inserted++;
            }
        }
        return new Result(inserted, present, withoutSource);
    }

    /** The load_errors row for a DLQ record, or null when its headers do not say where it came from. */
    static LoadErrorEntry toEntry(DlqRecord record) {
        String topic = record.header(DlqRecord.ORIGINAL_TOPIC).orElse(null);
        Integer partition = record.header(DlqRecord.ORIGINAL_PARTITION).map(DlqBackfill::parseInt).orElse(null);
        Long offset = record.header(DlqRecord.ORIGINAL_OFFSET).map(DlqBackfill::parseLong).orElse(null);
        if (topic == null || partition == null || offset == null) {
            return null;
        }
        String message = record.header(DlqRecord.EXCEPTION_MESSAGE)
                .or(() -> record.header(DlqRecord.EXCEPTION_CLASS))
                .orElse("rejected (no reason in the DLQ headers)");
        RejectionReason reason = RejectionReason.parse(message);
        return LoadErrorEntry.builder()
                .jobId(reason.jobId() == null ? LoadErrorEntry.NO_JOB_ID : reason.jobId())
                .label(reason.label() == null ? UNKNOWN_LABEL : reason.label())
                .database(reason.database())
                .table(reason.table())
                .source(topic, partition, offset)
                .errorMessage(message)
                .rowExcerpt(record.valueText())
                .createdAt(record.timestamp() > 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now())
                .build();
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String text) {
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
