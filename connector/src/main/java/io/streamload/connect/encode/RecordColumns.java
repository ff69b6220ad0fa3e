package io.streamload.connect.encode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The columns a record's row carries: a Struct's fields, a Map's keys, the top-level keys of
 * JSON text, in the record's order. A partial update that takes its columns from the records
 * loads rows with different columns in different loads, each with its own {@code columns} list.
 */
public final class RecordColumns {

    private RecordColumns() {
    }

    /** @throws RecordEncodingException when the value is not a row whose columns can be named */
    public static List<String> of(SinkRecord record) throws RecordEncodingException {
        Object value = record.value();
        List<String> columns = new ArrayList<>();
        if (value instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                columns.add(field.name());
            }
        } else if (value instanceof Map<?, ?> map) {
            map.keySet().forEach(key -> columns.add(String.valueOf(key)));
        } else if (value instanceof String || value instanceof byte[]) {
            // Checked here too, so a malformed value is refused with the same reason as without partial updates.
            byte[] text = value instanceof String s ? Utf8.encode(s, "the value") : (byte[]) value;
            if (value instanceof byte[] bytes) {
                Utf8.check(bytes, "the value");
            }
            topLevelKeys(text, columns);
        } else {
            throw new RecordEncodingException("a partial update takes its columns from a Struct, a Map or a JSON "
                    + "object, not " + (value == null ? "a null value" : "a " + value.getClass().getSimpleName())
                    + "; or list them in partial.update.columns");
        }
        if (columns.isEmpty()) {
            throw new RecordEncodingException("the record carries no column to update");
        }
        return columns;
    }

    private static void topLevelKeys(byte[] text, List<String> columns) throws RecordEncodingException {
        try (JsonParser parser = JsonRowEncoder.FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RecordEncodingException("the value is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                columns.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
            if (token != JsonToken.END_OBJECT) {
                throw new RecordEncodingException("the value is not a valid JSON object");
            }
        } catch (IOException e) {
            throw new RecordEncodingException("the value is not a valid JSON object: " + e.getMessage(), e);
        }
    }
}
