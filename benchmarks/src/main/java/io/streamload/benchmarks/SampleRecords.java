package io.streamload.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The record shape every benchmark uses: an order event of about 200 bytes of JSON, ten fields of
 * the usual kinds (integers, a decimal amount, short and longer strings, a timestamp as text).
 * Each form the connector accepts is built from the same index, so the JSON text, the Map a
 * schemaless {@code JsonConverter} produces, the Struct and the CSV line carry the same values.
 */
public final class SampleRecords {

    public static final Schema SCHEMA = SchemaBuilder.struct().name("order")
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .field("amount", Schema.FLOAT64_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("country", Schema.STRING_SCHEMA)
            .field("items", Schema.INT32_SCHEMA)
            .field("created_at", Schema.STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    /** The columns of the target table, in field order. */
    public static final String[] COLUMNS = {"id", "customer", "email", "amount", "currency", "status", "country",
        "items", "created_at", "note"};

    private static final String[] STATUSES = {"created", "paid", "shipped", "delivered", "returned"};
    private static final String[] COUNTRIES = {"DE", "FR", "NL", "US", "JP", "BR", "IN", "ZA"};
    private static final String[] CURRENCIES = {"EUR", "USD", "JPY", "BRL", "INR"};

    private SampleRecords() {
    }

    public static long id(long index) {
        return 10_000_000L + index;
    }

    static String customer(long index) {
        return "customer-" + pad(index % 1_000_000, 6);
    }

    static String email(long index) {
        return "user" + (index % 100_000) + "@mail.example.com";
    }

    static double amount(long index) {
        return (index % 100_000) / 100.0 + 1.25;
    }

    static String createdAt(long index) {
        long second = index % 86_400;
        return "2024-05-" + pad(1 + index % 28, 2) + " " + pad(second / 3600, 2) + ":" + pad(second / 60 % 60, 2)
                + ":" + pad(second % 60, 2);
    }

    static String note(long index) {
        return index % 10 == 0 ? null : "leave at the door";
    }

    /** The record as JSON text, the bytes a producer writes. */
    public static String json(long index) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"id\":").append(id(index))
                .append(",\"customer\":\"").append(customer(index))
                .append("\",\"email\":\"").append(email(index))
                .append("\",\"amount\":").append(amount(index))
                .append(",\"currency\":\"").append(CURRENCIES[(int) (index % CURRENCIES.length)])
                .append("\",\"status\":\"").append(STATUSES[(int) (index % STATUSES.length)])
                .append("\",\"country\":\"").append(COUNTRIES[(int) (index % COUNTRIES.length)])
                .append("\",\"items\":").append(1 + index % 9)
                .append(",\"created_at\":\"").append(createdAt(index)).append('"');
        String note = note(index);
        b.append(",\"note\":").append(note == null ? "null" : '"' + note + '"');
        return b.append('}').toString();
    }

    public static byte[] jsonBytes(long index) {
        return json(index).getBytes(StandardCharsets.UTF_8);
    }

    /** The schema of {@link #SCHEMA} as {@code JsonConverter} writes it in an envelope. */
    private static final String ENVELOPE_SCHEMA = "{\"type\":\"struct\",\"name\":\"order\",\"optional\":false,"
            + "\"fields\":[{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
            + "{\"field\":\"customer\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"email\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"amount\",\"type\":\"double\",\"optional\":false},"
            + "{\"field\":\"currency\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"status\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"country\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"items\",\"type\":\"int32\",\"optional\":false},"
            + "{\"field\":\"created_at\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"note\",\"type\":\"string\",\"optional\":true}]}";

    /**
     * The record with its schema, as {@code JsonConverter} with {@code schemas.enable=true} reads
     * it into a Struct: {@code {"schema": ..., "payload": ...}}.
     */
    public static byte[] envelopeBytes(long index) {
        String envelope = "{\"schema\":" + ENVELOPE_SCHEMA + ",\"payload\":" + json(index) + "}";
        return envelope.getBytes(StandardCharsets.UTF_8);
    }

    /** The value a schemaless JsonConverter gives for {@link #json}: Longs, Doubles, Strings. */
    public static Map<String, Object> map(long index) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id(index));
        map.put("customer", customer(index));
        map.put("email", email(index));
        map.put("amount", amount(index));
        map.put("currency", CURRENCIES[(int) (index % CURRENCIES.length)]);
        map.put("status", STATUSES[(int) (index % STATUSES.length)]);
        map.put("country", COUNTRIES[(int) (index % COUNTRIES.length)]);
        map.put("items", 1 + index % 9);
        map.put("created_at", createdAt(index));
        map.put("note", note(index));
        return map;
    }

    public static Struct struct(long index) {
        return new Struct(SCHEMA)
                .put("id", id(index))
                .put("customer", customer(index))
                .put("email", email(index))
                .put("amount", amount(index))
                .put("currency", CURRENCIES[(int) (index % CURRENCIES.length)])
                .put("status", STATUSES[(int) (index % STATUSES.length)])
                .put("country", COUNTRIES[(int) (index % COUNTRIES.length)])
                .put("items", (int) (1 + index % 9))
                .put("created_at", createdAt(index))
                .put("note", note(index));
    }

    /** The same values as one CSV line, tab separated, {@code \N} for NULL. */
    public static String csv(long index) {
        String note = note(index);
        return id(index) + "\t" + customer(index) + "\t" + email(index) + "\t" + amount(index) + "\t"
                + CURRENCIES[(int) (index % CURRENCIES.length)] + "\t" + STATUSES[(int) (index % STATUSES.length)]
                + "\t" + COUNTRIES[(int) (index % COUNTRIES.length)] + "\t" + (1 + index % 9) + "\t"
                + createdAt(index) + "\t" + (note == null ? "\\N" : note);
    }

    private static String pad(long value, int width) {
        String text = Long.toString(value);
        return text.length() >= width ? text : "0".repeat(width - text.length()) + text;
    }
}
