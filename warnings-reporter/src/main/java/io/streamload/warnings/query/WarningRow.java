package io.streamload.warnings.query;

import java.time.Instant;

/** One row of SHOW LOAD WARNINGS: a rejected row and where it came from. */
public record WarningRow(
        long id,
        long jobId,
        String label,
        String database,
        String table,
        String topic,
        Integer kafkaPartition,
        Long kafkaOffset,
        String errorMessage,
        String rowExcerpt,
        Instant createdAt) {

    /**
     * The ErrorMsgDetail column: the reason, the Kafka record it came from and the row, so one
     * line tells the user what to fix and where to find the original.
     */
    public String errorMsgDetail() {
        StringBuilder detail = new StringBuilder(errorMessage);
        if (topic != null) {
            detail.append(" [").append(topic);
            if (kafkaPartition != null) {
                detail.append('-').append(kafkaPartition);
            }
            if (kafkaOffset != null) {
                detail.append('@').append(kafkaOffset);
            }
            detail.append(']');
        }
        if (rowExcerpt != null && !rowExcerpt.isEmpty()) {
            detail.append(" row: ").append(rowExcerpt);
        }
        return detail.toString();
    }
}
