package io.streamload.connect.encode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;

/**
 * Writes one Connect value as the JSON value a StarRocks or Doris column parses back to what the
 * record meant. The schema decides first (logical types of Connect and Debezium, see
 * {@code docs/type-mapping.md}); schemaless values go by their Java type.
 *
 * <ul>
 *   <li>Decimals and big integers are written as exact JSON numbers in plain notation: no float on
 *   the way. Plain digits are what every numeric column and VARCHAR accept (StarRocks reads a
 *   LARGEINT from digits only, no exponent). Numbers in JSON text (a Debezium {@code Json}
 *   field) keep the text they were written with ({@link #copyExactly}).</li>
 *   <li>Strings must have a UTF-8 form: a lone surrogate is refused, not written as {@code ?} or
 *   as an escape the target would decode into something else.</li>
 *   <li>Dates, times and timestamps become the text the targets parse; instants are shown in
 *   {@link ValueSettings#timeZone()}, Debezium's zone-less timestamps as they are.</li>
 *   <li>Structs and maps become objects (a nested Struct fills a JSON or MAP column), arrays
 *   become arrays; a Debezium {@code Json} string is embedded as JSON, not as a string.</li>
 * </ul>
 */
final class JsonValueWriter {

    static final String DEBEZIUM_DATE = "io.debezium.time.Date";
    static final String DEBEZIUM_TIME = "io.debezium.time.Time";
    static final String DEBEZIUM_MICRO_TIME = "io.debezium.time.MicroTime";
    static final String DEBEZIUM_NANO_TIME = "io.debezium.time.NanoTime";
    static final String DEBEZIUM_ZONED_TIME = "io.debezium.time.ZonedTime";
    static final String DEBEZIUM_TIMESTAMP = "io.debezium.time.Timestamp";
    static final String DEBEZIUM_MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String DEBEZIUM_NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    static final String DEBEZIUM_ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String DEBEZIUM_VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
    static final String DEBEZIUM_JSON = "io.debezium.data.Json";

    private final ValueSettings settings;
    private final JsonFactory factory;
    private final FieldNames fieldNames = new FieldNames();

    JsonValueWriter(ValueSettings settings, JsonFactory factory) {
        this.settings = settings;
        this.factory = factory;
    }

    /** Writes a Struct's fields as an object's members (without the braces), skipping {@code skip}. */
    void writeFields(JsonGenerator g, Struct struct, FieldFilter skip) throws IOException, RecordEncodingException {
        List<Field> fields = struct.schema().fields();
        SerializableString[] names = fieldNames.of(struct.schema());
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            if (skip.skips(field.name())) {
                continue;
            }
            g.writeFieldName(names[i]);
            write(g, field.schema(), struct.get(field), field.name());
        }
    }

    /** Writes a Map's entries as an object's members (without the braces), skipping {@code skip}. */
    void writeEntries(JsonGenerator g, Schema valueSchema, Map<?, ?> map, FieldFilter skip)
            throws IOException, RecordEncodingException {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (skip.skips(name)) {
                continue;
            }
            int surrogate = Utf8.loneSurrogate(name);
            if (surrogate >= 0) {
                throw Utf8.loneSurrogate(name, surrogate, "the key '" + name + "'");
            }
            g.writeFieldName(name);
            write(g, valueSchema, entry.getValue(), name);
        }
    }

    /**
     * Writes one value.
     *
     * @param where the field's name, for messages
     */
    void write(JsonGenerator g, Schema schema, Object value, String where) throws IOException, RecordEncodingException {
        if (value == null) {
            g.writeNull();
            return;
        }
        if (schema != null && schema.name() != null && writeNamed(g, schema.name(), value, where)) {
            return;
        }
        if (schema != null) {
            switch (schema.type()) {
                case ARRAY -> {
                    g.writeStartArray();
                    for (Object element : (Collection<?>) value) {
                        write(g, schema.valueSchema(), element, where);
                    }
                    g.writeEndArray();
                    return;
                }
                case MAP -> {
                    g.writeStartObject();
                    writeEntries(g, schema.valueSchema(), (Map<?, ?>) value, FieldFilter.NONE);
                    g.writeEndObject();
                    return;
                }
                default -> {
                    // A primitive or a Struct: by its Java type below.
                }
            }
        }
        writeByJavaType(g, value, where);
    }

    /** The logical types; false when {@code name} is not one this writer knows. */
    private boolean writeNamed(JsonGenerator g, String name, Object value, String where)
            throws IOException, RecordEncodingException {
        switch (name) {
            case Decimal.LOGICAL_NAME -> g.writeNumber((BigDecimal) value);
            case Date.LOGICAL_NAME -> g.writeString(TemporalText.date(
                    LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC)));
            case Time.LOGICAL_NAME -> g.writeString(TemporalText.time(
                    LocalTime.ofNanoOfDay(TimeUnit.MILLISECONDS.toNanos(((java.util.Date) value).getTime()))));
            case Timestamp.LOGICAL_NAME -> g.writeString(
                    TemporalText.instant(((java.util.Date) value).toInstant(), settings.timeZone()));
            case DEBEZIUM_DATE -> g.writeString(TemporalText.date(LocalDate.ofEpochDay(((Number) value).longValue())));
            case DEBEZIUM_TIME -> g.writeString(TemporalText.time(timeOfDay(value, TimeUnit.MILLISECONDS, where)));
            case DEBEZIUM_MICRO_TIME -> g.writeString(TemporalText.time(timeOfDay(value, TimeUnit.MICROSECONDS, where)));
            case DEBEZIUM_NANO_TIME -> g.writeString(TemporalText.time(timeOfDay(value, TimeUnit.NANOSECONDS, where)));
            case DEBEZIUM_TIMESTAMP -> writeLocalTimestamp(g, ((Number) value).longValue(), 1_000L);
            case DEBEZIUM_MICRO_TIMESTAMP -> writeLocalTimestamp(g, ((Number) value).longValue(), 1_000_000L);
            case DEBEZIUM_NANO_TIMESTAMP -> writeLocalTimestamp(g, ((Number) value).longValue(), 1_000_000_000L);
            case DEBEZIUM_ZONED_TIMESTAMP -> g.writeString(zonedTimestamp(value.toString(), where));
            case DEBEZIUM_ZONED_TIME -> g.writeString(zonedTime(value.toString(), where));
            case DEBEZIUM_VARIABLE_SCALE_DECIMAL -> g.writeNumber(variableScaleDecimal(value, where));
            case DEBEZIUM_JSON -> embedJson(g, value.toString(), where);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void writeByJavaType(JsonGenerator g, Object value, String where) throws IOException, RecordEncodingException {
        if (value instanceof String s) {
            int surrogate = Utf8.loneSurrogate(s);
            if (surrogate >= 0) {
                throw Utf8.loneSurrogate(s, surrogate, "field '" + where + "'");
            }
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            writeFloat(g, (Number) value, where);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof byte[] bytes) {
            writeBytes(g, bytes);
        } else if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.slice();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            writeBytes(g, bytes);
        } else if (value instanceof Struct struct) {
            g.writeStartObject();
            writeFields(g, struct, FieldFilter.NONE);
            g.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            writeEntries(g, null, map, FieldFilter.NONE);
            g.writeEndObject();
        } else if (value instanceof Collection<?> collection) {
            g.writeStartArray();
            for (Object element : collection) {
                write(g, null, element, where);
            }
            g.writeEndArray();
        } else if (value instanceof java.util.Date date) {
            g.writeString(TemporalText.instant(date.toInstant(), settings.timeZone()));
        } else if (value instanceof Instant instant) {
            g.writeString(TemporalText.instant(instant, settings.timeZone()));
        } else {
            throw new RecordEncodingException("field '" + where + "' holds a " + value.getClass().getName()
                    + ", which has no JSON form; convert it to a Connect type with an SMT or a converter");
        }
    }

    private void writeFloat(JsonGenerator g, Number value, String where) throws IOException, RecordEncodingException {
        double d = value.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            if (settings.nonFiniteFloats() == ValueSettings.NonFiniteFloats.FAIL) {
                throw new RecordEncodingException("field '" + where + "' holds " + d + ", which the target cannot "
                        + "store; set float.non.finite=null to load it as NULL");
            }
            g.writeNull();
        } else if (value instanceof Float f) {
            // Float's own shortest text: 0.1f stays 0.1, not 0.10000000149011612.
            g.writeNumber(f);
        } else {
            g.writeNumber(d);
        }
    }

    private void writeBytes(JsonGenerator g, byte[] bytes) throws IOException {
        if (settings.bytes() == ValueSettings.BytesEncoding.HEX) {
            g.writeString(HexFormat.of().formatHex(bytes));
        } else {
            g.writeBinary(bytes);
        }
    }

    private static void writeLocalTimestamp(JsonGenerator g, long count, long perSecond) throws IOException {
        long seconds = Math.floorDiv(count, perSecond);
        long fraction = Math.floorMod(count, perSecond);
        long nanos = fraction * (1_000_000_000L / perSecond);
        g.writeString(TemporalText.localDateTime(seconds, nanos));
    }

    private static LocalTime timeOfDay(Object value, TimeUnit unit, String where) throws RecordEncodingException {
        long nanos = unit.toNanos(((Number) value).longValue());
        if (nanos < 0 || nanos >= TimeUnit.DAYS.toNanos(1)) {
            // MySQL TIME reaches 838:59:59; a time of day column cannot hold that.
            throw new RecordEncodingException("field '" + where + "' holds a time of " + value + " "
                    + unit.name().toLowerCase() + ", outside one day; load it into a numeric column with an SMT "
                    + "that drops its logical name");
        }
        return LocalTime.ofNanoOfDay(nanos);
    }

    private String zonedTimestamp(String text, String where) throws RecordEncodingException {
        try {
            return TemporalText.instant(OffsetDateTime.parse(text).toInstant(), settings.timeZone());
        } catch (DateTimeParseException e) {
            throw new RecordEncodingException("field '" + where + "' is a ZonedTimestamp but '" + text
                    + "' is not an ISO-8601 date-time with offset");
        }
    }

    /** A time of day has no date, so no zone rule applies: written as the UTC time Debezium sends. */
    private static String zonedTime(String text, String where) throws RecordEncodingException {
        try {
            return TemporalText.time(OffsetTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime());
        } catch (DateTimeParseException e) {
            throw new RecordEncodingException("field '" + where + "' is a ZonedTime but '" + text
                    + "' is not an ISO-8601 time with offset");
        }
    }

    private static BigDecimal variableScaleDecimal(Object value, String where) throws RecordEncodingException {
        Object scale;
        Object unscaled;
        if (value instanceof Struct struct) {
            scale = struct.get("scale");
            unscaled = struct.get("value");
        } else if (value instanceof Map<?, ?> map) {
            scale = map.get("scale");
            unscaled = map.get("value");
        } else {
            throw new RecordEncodingException("field '" + where + "' is a VariableScaleDecimal but holds a "
                    + value.getClass().getSimpleName());
        }
        byte[] bytes = unscaled instanceof ByteBuffer buffer ? toArray(buffer) : (byte[]) unscaled;
        if (!(scale instanceof Number) || bytes == null) {
            throw new RecordEncodingException("field '" + where + "' is a VariableScaleDecimal without scale or value");
        }
        return new BigDecimal(new BigInteger(bytes), ((Number) scale).intValue());
    }

    private void embedJson(JsonGenerator g, String text, String where) throws IOException, RecordEncodingException {
        int surrogate = Utf8.loneSurrogate(text);
        if (surrogate >= 0) {
            throw Utf8.loneSurrogate(text, surrogate, "field '" + where + "'");
        }
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() == null) {
                g.writeNull();
                return;
            }
            copyExactly(parser, g);
            if (parser.nextToken() != null) {
                throw new RecordEncodingException("field '" + where + "' is Json but holds more than one value");
            }
        } catch (JsonProcessingException e) {
            throw new RecordEncodingException("field '" + where + "' is Json but does not parse: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * Copies the value at the parser's current token, as {@link JsonGenerator#copyCurrentStructure}
     * does, except for numbers: Jackson's copy reads a fraction or an exponent into a
     * {@code double} (1234567890123456789.0123456789 became 1234567890123456800, 1e400 Infinity),
     * while here the number's own text is written, as the parser read it. The parser checked its
     * syntax, so it is a valid JSON number, and the target parses it as it would from the producer.
     */
    static void copyExactly(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        JsonToken token = p.currentToken();
        while (true) {
            if (token == null) {
                throw new JsonParseException(p, "unexpected end of the JSON text");
            }
            switch (token) {
                case START_OBJECT -> {
                    g.writeStartObject();
                    depth++;
                }
                case START_ARRAY -> {
                    g.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    g.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    g.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> g.writeFieldName(p.currentName());
                case VALUE_STRING -> {
                    if (p.hasTextCharacters()) {
                        g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    } else {
                        g.writeString(p.getText());
                    }
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                        g.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw new IllegalStateException("unexpected token " + token + " in JSON text");
            }
            if (depth == 0) {
                return;
            }
            token = p.nextToken();
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.slice();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Which field names a row leaves out. */
    @FunctionalInterface
    interface FieldFilter {
        FieldFilter NONE = name -> false;

        boolean skips(String name);
    }
}
