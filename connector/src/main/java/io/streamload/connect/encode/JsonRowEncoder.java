package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;

/**
 * JSON rows, written with Jackson's streaming generator directly into the buffer.
 *
 * <p>Accepted values: a {@link Struct} (with its schema; logical types as
 * {@link JsonValueWriter} writes them), a schemaless {@link Map}, and JSON text as a String or
 * UTF-8 bytes holding one object. JSON text is re-emitted token by token rather than copied,
 * which both checks it and removes newlines that would break line-delimited bodies; the
 * {@link JsonTextPassthrough} fast path skips that. Numbers keep the text they were written with,
 * digit for digit ({@code 1234567890123456789.0123456789}, {@code 1e400}, {@code -0}, {@code 0.10}):
 * they are never read into a {@code double} on the way. Text that is not UTF-8 is refused
 * ({@link Utf8}).
 */
public final class JsonRowEncoder implements RowEncoder {

    /**
     * No root value separator: rows are written back to back by one {@link RowGenerator} and the
     * buffer adds the framing. The fast double writer (Schubfach) writes the shortest text that
     * reads back as the same double, at a fraction of {@code Double.toString}'s cost.
     */
    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .rootValueSeparator((String) null)
            .build();

    private final JsonValueWriter values;
    private final RowGenerator rows = new RowGenerator(FACTORY);

    public JsonRowEncoder() {
        this(ValueSettings.DEFAULTS);
    }

    public JsonRowEncoder(ValueSettings settings) {
        this.values = new JsonValueWriter(settings, FACTORY);
    }

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        Object value = record.value();
        if (value == null) {
            throw new RecordEncodingException("the value is null (a tombstone?); a JSON row needs an object. "
                    + "For change events set cdc.mode, whose cdc.tombstones decides what tombstones do");
        }
        boolean written = false;
        try {
            JsonGenerator generator = rows.startRow(out);
            if (value instanceof Struct struct) {
                generator.writeStartObject();
                values.writeFields(generator, struct, JsonValueWriter.FieldFilter.NONE);
                generator.writeEndObject();
            } else if (value instanceof Map<?, ?> map) {
                generator.writeStartObject();
                values.writeEntries(generator, record.valueSchema() == null ? null : record.valueSchema().valueSchema(),
                        map, JsonValueWriter.FieldFilter.NONE);
                generator.writeEndObject();
            } else if (value instanceof String text) {
                Utf8.check(text, "the value");
                copyJsonObject(generator, FACTORY.createParser(text));
            } else if (value instanceof byte[] bytes) {
                Utf8.check(bytes, "the value");
                copyJsonObject(generator, FACTORY.createParser(bytes));
            } else {
                throw new RecordEncodingException("a JSON row needs a Struct, a Map or JSON text, not a "
                        + value.getClass().getSimpleName());
            }
            rows.endRow();
            written = true;
        } catch (JsonProcessingException e) {
            throw new RecordEncodingException("the value is not a valid JSON object: " + e.getOriginalMessage(), e);
        } catch (DataException | ClassCastException e) {
            throw new RecordEncodingException("the value does not match its schema: " + e.getMessage(), e);
        } finally {
            if (!written) {
                rows.discard();
            }
        }
    }

    private static void copyJsonObject(JsonGenerator generator, JsonParser parser) throws IOException, RecordEncodingException {
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new RecordEncodingException("the JSON text is " + describe(first) + ", not an object");
            }
            JsonValueWriter.copyExactly(parser, generator);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new RecordEncodingException("the JSON text holds more than one value");
            }
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }
}
