package io.streamload.connect.errors;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Why one record was not loaded; the exception handed to Connect's {@code ErrantRecordReporter},
 * so its message lands in the dead letter queue record's {@code __connect.errors.exception.message}
 * header. After the reason it names the load's coordinates ({@code label=}, {@code txn_id=},
 * {@code table=db.table}; only {@code table=} for a record that never reached a load), which
 * {@code warnings-reporter dlq backfill} reads back, and ends with the record's source
 * ({@code record topic-partition@offset}).
 */
public class RejectedRecordException extends ConnectException {

    private static final long serialVersionUID = 1L;

    public RejectedRecordException(String message) {
        super(message);
    }
}
