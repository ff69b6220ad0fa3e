package io.streamload.warnings;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The summary of one load attempt the target answered, the counterpart of a SHOW LOAD row: label,
 * transaction id, target, status, row and byte counts, the Kafka offsets it carried, and the
 * target's ErrorURL.
 *
 * <p>{@code status} is the target's word (Success, Fail, Publish Timeout, Label Already Exists,
 * ...), or {@code COMMITTED} for a transaction the connector prepared and committed in one
 * attempt; it is stored as given.
 */
public record LoadJobEntry(
        String label,
        long transactionId,
        String database,
        String table,
        String status,
        String message,
        long totalRows,
        long loadedRows,
        long filteredRows,
        long unselectedRows,
        long loadBytes,
        long loadTimeMs,
        List<OffsetRange> offsetRanges,
        String errorUrl,
        Instant finishedAt) implements StoreEntry {

    public LoadJobEntry {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finishedAt, "finishedAt");
        offsetRanges = offsetRanges == null ? List.of() : List.copyOf(offsetRanges);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an entry field by field; {@code finishedAt} defaults to now. */
    public static final class Builder {
        private String label;
        private long transactionId = LoadErrorEntry.NO_JOB_ID;
        private String database;
        private String table;
        private String status;
        private String message;
        private long totalRows;
        private long loadedRows;
        private long filteredRows;
        private long unselectedRows;
        private long loadBytes;
        private long loadTimeMs;
        private List<OffsetRange> offsetRanges = List.of();
        private String errorUrl;
        private Instant finishedAt;

        public Builder label(String value) {
            this.label = value;
            return this;
        }

        public Builder transactionId(long value) {
            this.transactionId = value;
            return this;
        }

        public Builder database(String value) {
            this.database = value;
            return this;
        }

        public Builder table(String value) {
            this.table = value;
            return this;
        }

        public Builder status(String value) {
            this.status = value;
            return this;
        }

        public Builder message(String value) {
            this.message = value;
            return this;
        }

        public Builder rows(long total, long loaded, long filtered, long unselected) {
            this.totalRows = total;
            this.loadedRows = loaded;
            this.filteredRows = filtered;
            this.unselectedRows = unselected;
            return this;
        }

        public Builder loadBytes(long value) {
            this.loadBytes = value;
            return this;
        }

        public Builder loadTimeMs(long value) {
            this.loadTimeMs = value;
            return this;
        }

        public Builder offsetRanges(List<OffsetRange> value) {
            this.offsetRanges = value;
            return this;
        }

        public Builder errorUrl(String value) {
            this.errorUrl = value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public LoadJobEntry build() {
            return new LoadJobEntry(label, transactionId, database, table, status, message, totalRows, loadedRows,
                    filteredRows, unselectedRows, loadBytes, loadTimeMs, offsetRanges, errorUrl,
                    finishedAt == null ? Instant.now() : finishedAt);
        }
    }
}
