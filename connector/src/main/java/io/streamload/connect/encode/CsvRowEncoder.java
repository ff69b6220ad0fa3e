package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * CSV rows: the record value is the row, as a String or UTF-8 bytes. One trailing row delimiter
 * is dropped (producers often end lines with one); a delimiter inside the value would silently
 * split one record into two rows, so it is refused.
 */
public final class CsvRowEncoder implements RowEncoder {

    private final byte[] rowDelimiter;

    public CsvRowEncoder(String rowDelimiter) {
        this.rowDelimiter = rowDelimiter.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        Object value = record.value();
        byte[] row;
        if (value instanceof String text) {
            row = text.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof byte[] bytes) {
            row = bytes;
        } else if (value == null) {
            throw new RecordEncodingException("the value is null; format csv needs a String holding one CSV line");
        } else {
            throw new RecordEncodingException("format csv needs a String value holding one CSV line, not a "
                    + value.getClass().getSimpleName() + "; use format json for structured values");
        }
        int length = row.length;
        if (endsWith(row, length, rowDelimiter)) {
            length -= rowDelimiter.length;
        }
        if (indexOf(row, length, rowDelimiter) >= 0) {
            throw new RecordEncodingException("the value contains the row delimiter, so it would load as several rows");
        }
        out.write(row, 0, length);
    }

    private static boolean endsWith(byte[] data, int length, byte[] suffix) {
        if (suffix.length == 0 || length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (data[length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
