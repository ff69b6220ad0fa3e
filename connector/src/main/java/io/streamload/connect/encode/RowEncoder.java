package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns one record into one row of the load body, written straight into the buffer: no
 * intermediate String or byte array per record.
 */
public interface RowEncoder {

    /**
     * Writes the record's row (without any delimiter; the buffer adds framing).
     *
     * @throws RecordEncodingException when the record cannot become a row; the message says why,
     *         without the record's coordinates (the caller adds them)
     */
    void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException;

    /**
     * True for a record that makes no row at all (a tombstone that is ignored, a Debezium
     * truncate). The caller then leaves it out of the body; it is not an error.
     */
    default boolean skips(SinkRecord record) {
        return false;
    }
}
