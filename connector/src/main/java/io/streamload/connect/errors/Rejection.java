package io.streamload.connect.errors;

import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.routing.RecordPosition;

/**
 * One record the connector did not load, and why.
 *
 * @param record the original record, or null when the rejected row could not be traced to one
 * @param topic the record's topic, or null when unknown
 * @param partition the record's partition, -1 when unknown
 * @param offset the record's offset, -1 when unknown
 * @param table target table
 * @param label the label of the load that rejected it, or null when it never reached a load
 * @param txnId the transaction id of that load, -1 when none
 * @param reason the target's reason (or the encoder's), as the user should read it
 * @param rowExcerpt the start of the row as sent (or as the target printed it), may be null
 */
public record Rejection(SinkRecord record, String topic, int partition, long offset, String table, String label,
                        long txnId, String reason, String rowExcerpt) {

    /** A record the target rejected in the load {@code label}. */
    public static Rejection byTarget(SinkRecord record, String topic, int partition, long offset, String table,
                                     String label, long txnId, String reason, String rowExcerpt) {
        return new Rejection(record, topic, partition, offset, table, label, txnId, reason, rowExcerpt);
    }

    /** A record that could not be encoded as a row, so it never reached a load. */
    public static Rejection unencodable(SinkRecord record, String table, String reason) {
        return new Rejection(record, RecordPosition.partition(record).topic(),
                RecordPosition.partition(record).partition(), RecordPosition.offset(record), table, null, -1, reason,
                null);
    }

    /** Where the record came from, for logs. */
    public String source() {
        return topic == null ? "an unknown record" : topic + "-" + partition + "@" + offset;
    }
}
