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
 * Values of other types (Struct, Map) are encoded normally.
 */
public final class JsonTextPassthrough implements RowEncoder {

    private final RowEncoder structured;

    public JsonTextPassthrough(RowEncoder structured) {
        this.structured = structured;
    }

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        Object value = record.value();
        byte[] bytes;
        if (value instanceof byte[] b) {
            bytes = b;
        } else if (value instanceof String s) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else {
            structured.encode(record, out);
            return;
        }
        int end = bytes.length;
        while (end > 0 && isWhitespace(bytes[end - 1])) {
            end--;
        }
        if (end == 0) {
            throw new RecordEncodingException("the value is empty; a JSON row needs an object");
        }
        int from = 0;
        for (int lineBreak = LineBreaks.indexIn(bytes, 0, end); lineBreak >= 0;
                lineBreak = LineBreaks.indexIn(bytes, from, end)) {
            out.write(bytes, from, lineBreak - from);
            out.write(' ');
            from = lineBreak + 1;
        }
        out.write(bytes, from, end - from);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
