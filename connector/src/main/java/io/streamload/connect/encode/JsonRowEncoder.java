package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;

/**
 * JSON rows, written with Jackson's streaming generator directly into the buffer.
 *
 * <p>Accepted values: a {@link Struct} (with its schema: logical types become the text
 * StarRocks parses, for example {@code 2024-01-31 12:00:00.000} for a Timestamp, in UTC), a
 * schemaless {@link Map}, and JSON text as a String or UTF-8 bytes holding one object. JSON text
 * is re-emitted token by token rather than copied, which both checks it and removes newlines
 * that would break line-delimited bodies.
 */
public final class JsonRowEncoder implements RowEncoder {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        Object value = record.value();
        if (value == null) {
            throw new RecordEncodingException("the value is null (a tombstone?); a JSON row needs an object");
        }
        try (JsonGenerator generator = factory.createGenerator(out)) {
            if (value instanceof Struct struct) {
                writeStruct(generator, struct);
            } else if (value instanceof Map<?, ?> map) {
                writeMap(generator, record.valueSchema(), map);
            } else if (value instanceof String text) {
                copyJsonObject(generator, factory.createParser(text));
            } else if (value instanceof byte[] bytes) {
                copyJsonObject(generator, factory.createParser(bytes));
            } else {
                throw new RecordEncodingException("a JSON row needs a Struct, a Map or JSON text, not a "
                        + value.getClass().getSimpleName());
            }
        } catch (JsonProcessingException e) {
            throw new RecordEncodingException("the value is not a valid JSON object: " + e.getOriginalMessage(), e);
        } catch (DataException e) {
            throw new RecordEncodingException("the value does not match its schema: " + e.getMessage(), e);
        }
    }

    private static void copyJsonObject(JsonGenerator generator, JsonParser parser)
            throws IOException, RecordEncodingException {
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new RecordEncodingException("the JSON text is " + describe(first) + ", not an object");
            }
            generator.copyCurrentStructure(parser);
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

    private void writeStruct(JsonGenerator g, Struct struct) throws IOException, RecordEncodingException {
        g.writeStartObject();
        for (Field field : struct.schema().fields()) {
            g.writeFieldName(field.name());
            writeValue(g, field.schema(), struct.get(field));
        }
        g.writeEndObject();
    }

    private void writeMap(JsonGenerator g, Schema schema, Map<?, ?> map) throws IOException, RecordEncodingException {
        Schema valueSchema = schema == null ? null : schema.valueSchema();
        g.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            g.writeFieldName(String.valueOf(entry.getKey()));
            writeValue(g, valueSchema, entry.getValue());
        }
        g.writeEndObject();
    }

    private void writeValue(JsonGenerator g, Schema schema, Object value) throws IOException, RecordEncodingException {
        if (value == null) {
            g.writeNull();
            return;
        }
        if (schema != null && schema.name() != null) {
            switch (schema.name()) {
                case Decimal.LOGICAL_NAME -> {
                    g.writeNumber((BigDecimal) value);
                    return;
                }
                case Date.LOGICAL_NAME -> {
                    g.writeString(DATE.format(((java.util.Date) value).toInstant()));
                    return;
                }
                case Time.LOGICAL_NAME -> {
                    g.writeString(TIME.format(((java.util.Date) value).toInstant()));
                    return;
                }
                case Timestamp.LOGICAL_NAME -> {
                    g.writeString(DATETIME.format(((java.util.Date) value).toInstant()));
                    return;
                }
                default -> {
                    // Not a logical type we know: written by its physical type below.
                }
            }
        }
        if (schema != null && schema.type() == Schema.Type.ARRAY) {
            g.writeStartArray();
            for (Object element : (Collection<?>) value) {
                writeValue(g, schema.valueSchema(), element);
            }
            g.writeEndArray();
            return;
        }
        if (schema != null && schema.type() == Schema.Type.MAP) {
            writeMap(g, schema, (Map<?, ?>) value);
            return;
        }
        writeSchemaless(g, value);
    }

    private void writeSchemaless(JsonGenerator g, Object value) throws IOException, RecordEncodingException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new RecordEncodingException("the value holds " + d + ", which JSON cannot carry");
            }
            if (value instanceof Float f) {
                g.writeNumber(f);
            } else {
                g.writeNumber(d);
            }
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof byte[] bytes) {
            g.writeBinary(bytes);
        } else if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.slice();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            g.writeBinary(bytes);
        } else if (value instanceof Struct struct) {
            writeStruct(g, struct);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(g, null, map);
        } else if (value instanceof Collection<?> collection) {
            g.writeStartArray();
            for (Object element : collection) {
                writeSchemaless(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof java.util.Date date) {
            g.writeString(DATETIME.format(date.toInstant()));
        } else if (value instanceof Instant instant) {
            g.writeString(DATETIME.format(instant));
        } else {
            throw new RecordEncodingException("a field holds a " + value.getClass().getName()
                    + ", which has no JSON form");
        }
    }
}
