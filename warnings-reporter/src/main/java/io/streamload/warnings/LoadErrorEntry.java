package io.streamload.warnings;

import java.time.Instant;
import java.util.Objects;

/**
 * One rejected row: which load rejected it (job id and label), where it was going (db, table),
 * where it came from (topic, partition, offset) and why.
 *
 * <p>{@code jobId} is the target's transaction id, or {@link #NO_JOB_ID} when the row was rejected
 * before any load (it could not be encoded). Kafka coordinates are null when unknown. Long texts
 * are cut by the writer to the column sizes, so callers need not bound them.
 */
public record LoadErrorEntry(
        long jobId,
        String label,
        String database,
        String table,
        String topic,
        Integer kafkaPartition,
        Long kafkaOffset,
        String errorMessage,
        String rowExcerpt,
        Instant createdAt) implements StoreEntry {

    public static final long NO_JOB_ID = -1L;

    public LoadErrorEntry {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What makes two entries the same report: the record (topic, partition, offset), where it was
     * bound (database, table, label) and what was said of it (reason, row). Not the transaction id
     * nor the time: a task restarted before its offsets were committed loads the record again in
     * a new transaction and reports it again, and that report must land once. Null for an entry
     * without a source record, which has nothing to be told apart by.
     *
     * @return 32 hex digits of a SHA-256, or null
     */
    public String entryKey() {
        if (topic == null || kafkaPartition == null || kafkaOffset == null) {
            return null;
        }
        StringBuilder identity = new StringBuilder();
        for (Object field : new Object[] {topic, kafkaPartition, kafkaOffset, database, table, label, errorMessage,
                rowExcerpt}) {
            String text = String.valueOf(field);
            identity.append(text.length()).append(':').append(text).append(';');
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(identity.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Builds an entry field by field; {@code createdAt} defaults to now. */
    public static final class Builder {
        private long jobId = NO_JOB_ID;
        private String label;
        private String database;
        private String table;
        private String topic;
        private Integer kafkaPartition;
        private Long kafkaOffset;
        private String errorMessage;
        private String rowExcerpt;
        private Instant createdAt;

        public Builder jobId(long value) {
            this.jobId = value;
            return this;
        }

        public Builder label(String value) {
            this.label = value;
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

        /** Topic, partition and offset of the Kafka record the row came from. */
        public Builder source(String topicName, int partition, long offset) {
            this.topic = topicName;
            this.kafkaPartition = partition;
            this.kafkaOffset = offset;
            return this;
        }

        public Builder errorMessage(String value) {
            this.errorMessage = value;
            return this;
        }

        public Builder rowExcerpt(String value) {
            this.rowExcerpt = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public LoadErrorEntry build() {
            return new LoadErrorEntry(jobId, label, database, table, topic, kafkaPartition, kafkaOffset,
                    errorMessage, rowExcerpt, createdAt == null ? Instant.now() : createdAt);
        }
    }
}
