package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The fast path for values that already are JSON objects (String or byte[] converters): the
 * bytes are appended as they are, without parsing. The only change is that line breaks become
 * spaces: outside strings they are whitespace, and inside strings valid JSON cannot hold them
 * raw, so the object means the same and cannot break a line-delimited body.
 *
 * <p>The trade-off: a value that is not valid JSON is not caught here but by the target, which
 * rejects the row (Doris, line by line) or the whole load's array (StarRocks), and it is then
 * found through the rejected-rows path instead of being refused record by record.
 * Text that is not UTF-8 is refused here, as on every other path ({@link Utf8}): the targets
 * would not reject it but store something else. Values of other types (Struct, Map) are encoded
 * normally.
 */
public final class JsonTextPassthrough implements RowEncoder {

    private static final String WHAT = "the value";

    private final RowEncoder structured;

    public JsonTextPassthrough(RowEncoder structured) {
        this.structured = structured;
    }

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        Object value = record.value();
        byte[] bytes;
        String text = null;
        if (value instanceof byte[] b) {
            if (Utf8.startsWithByteOrderMark(b)) {
                throw Utf8.byteOrderMark(WHAT);
            }
            bytes = b;
        } else if (value instanceof String s) {
            if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
                throw Utf8.byteOrderMark(WHAT);
            }
            text = s;
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else {
            structured.encode(record, out);
            return;
        }
        // Trailing whitespace is ASCII, so no UTF-8 sequence is cut by dropping it.
        int end = bytes.length;
        while (end > 0 && isWhitespace(bytes[end - 1])) {
            end--;
        }
        if (end == 0) {
            throw new RecordEncodingException("the value is empty; a JSON row needs an object");
        }
        // One pass: line breaks become spaces, and the bytes are checked to be UTF-8 on the way.
        boolean questionMarks = text != null;
        int from = 0;
        int at = 0;
        while ((at = TextScan.nextLineBreak(bytes, at, end, questionMarks, WHAT)) >= 0) {
            if (bytes[at] == '?') {
                // A String: this '?' may stand for a lone surrogate. Its chars tell, once.
                Utf8.checkSurrogates(text, WHAT);
                questionMarks = false;
            } else {
                out.write(bytes, from, at - from);
                out.write(' ');
                from = at + 1;
            }
            at++;
        }
        out.write(bytes, from, end - from);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
