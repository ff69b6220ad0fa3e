package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * CSV rows: the record value is the row, as a String or UTF-8 bytes. One trailing row delimiter
 * is dropped (producers often end lines with one); a delimiter inside the value would silently
 * split one record into two rows, so it is refused. So is text that is not UTF-8 (see {@link Utf8}):
 * the target would store other characters than were sent.
 */
public final class CsvRowEncoder implements RowEncoder {

    private static final String WHAT = "the value";

    private final byte[] rowDelimiter;

    public CsvRowEncoder(String rowDelimiter) {
        if (rowDelimiter.isEmpty()) {
            throw new IllegalArgumentException("the row delimiter is empty");
        }
        this.rowDelimiter = rowDelimiter.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        Object value = record.value();
        byte[] row;
        String text = null;
        if (value instanceof String s) {
            if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
                throw Utf8.byteOrderMark(WHAT);
            }
            text = s;
            row = s.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof byte[] bytes) {
            if (Utf8.startsWithByteOrderMark(bytes)) {
                throw Utf8.byteOrderMark(WHAT);
            }
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
        // One pass: the delimiter looked for, and the bytes checked to be UTF-8 on the way.
        boolean questionMarks = text != null;
        for (int at = 0; (at = TextScan.indexOf(row, at, length, rowDelimiter, questionMarks, WHAT)) >= 0; at++) {
            if (row[at] != '?' || !questionMarks) {
                throw new RecordEncodingException("the value contains the row delimiter, so it would load as several rows");
            }
            // A String: this '?' may stand for a lone surrogate. Its chars tell, once.
            Utf8.checkSurrogates(text, WHAT);
            questionMarks = false;
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
}
