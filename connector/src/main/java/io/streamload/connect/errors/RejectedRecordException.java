package io.streamload.connect.errors;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Why one record was not loaded; the exception handed to Connect's {@code ErrantRecordReporter},
 * so its message lands in the dead letter queue record's {@code __connect.errors.exception.message}
 * header. The message ends with the load coordinates ({@code label=}, {@code txn_id=},
 * {@code table=db.table}) that {@code warnings-reporter dlq backfill} reads back.
 */
public class RejectedRecordException extends ConnectException {

    private static final long serialVersionUID = 1L;

    public RejectedRecordException(String message) {
        super(message);
    }
}
