package io.streamload.connect.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class JsonRowEncoderTest {

    private final JsonRowEncoder encoder = new JsonRowEncoder();

    @Test
    void structWithLogicalTypes() throws Exception {
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("price", Decimal.schema(2))
                .field("day", Date.SCHEMA)
                .field("at", Timestamp.SCHEMA)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field("blob", Schema.BYTES_SCHEMA)
                .build();
        Struct value = new Struct(schema)
                .put("id", 7L)
                .put("price", new BigDecimal("1000.50"))
                .put("day", new java.util.Date(86_400_000L * 19_000))
                .put("at", new java.util.Date(1_700_000_000_123L))
                .put("tags", List.of("a", "b"))
                .put("blob", new byte[] {1, 2, 3});
        assertEquals("{\"id\":7,\"name\":null,\"price\":1000.50,\"day\":\"2022-01-08\","
                        + "\"at\":\"2023-11-14 22:13:20.123000\",\"tags\":[\"a\",\"b\"],\"blob\":\"AQID\"}",
                encode(new SinkRecord("t", 0, null, null, schema, value, 0)));
    }

    @Test
    void schemalessMap() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", 1);
        value.put("nested", Map.of("x", true));
        value.put("list", List.of(1.5, "s"));
        assertEquals("{\"id\":1,\"nested\":{\"x\":true},\"list\":[1.5,\"s\"]}", encode(record(value)));
    }

    @Test
    void jsonTextIsReEmittedCompactly() throws Exception {
        assertEquals("{\"id\":1,\"name\":\"a\\nb\"}", encode(record("{ \"id\": 1,\n \"name\": \"a\\nb\" }")));
        assertEquals("{\"id\":2}", encode(record("{\"id\":2}".getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * What the target receives is the number's own text: never read into a double (which turned
     * 1234567890123456789.0123456789 into 1234567890123456800 and 1e400 into "Infinity"), never
     * respelled ({@code 0.10} keeps its zero, {@code -0} its sign, exponents their form).
     */
    @Test
    void jsonTextNumbersKeepTheirText() throws Exception {
        String text = "{\"a\":1234567890123456789.0123456789,\"b\":12345678901234567890123456789012345678,"
                + "\"c\":1e400,\"d\":-0,\"e\":0.10,\"f\":1.5e3,\"g\":1E+2,\"h\":-0.0,\"i\":5E-324,"
                + "\"j\":[12345678.1234567891,-170141183460469231731687303715884105728],\"k\":{\"l\":0.1e-7}}";
        assertEquals(text, encode(record(text)));
        assertEquals(text, encode(record(text.getBytes(StandardCharsets.UTF_8))));
        assertEquals(text, encode(record("{ \"a\" : 1234567890123456789.0123456789,\n \"b\" : "
                + "12345678901234567890123456789012345678, \"c\":1e400,\"d\":-0,\"e\":0.10,\"f\":1.5e3,\"g\":1E+2,"
                + "\"h\":-0.0,\"i\":5E-324,\"j\":[ 12345678.1234567891 , -170141183460469231731687303715884105728 ],"
                + "\"k\":{\"l\":0.1e-7} }")), "only the whitespace goes");
    }

    /** Parsed numbers are written in plain digits, which DECIMAL, LARGEINT (no exponents there) and VARCHAR all take. */
    @Test
    void bigDecimalsAndBigIntegersAreWrittenInPlainDigits() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", new BigDecimal("1234567890123456789012345678.0123456789"));
        value.put("b", new BigDecimal("1E+20"));
        value.put("c", new BigDecimal("0E-10"));
        value.put("d", new java.math.BigInteger("-170141183460469231731687303715884105728"));
        assertEquals("{\"a\":1234567890123456789012345678.0123456789,\"b\":100000000000000000000,"
                + "\"c\":0.0000000000,\"d\":-170141183460469231731687303715884105728}", encode(record(value)));
        Schema schema = SchemaBuilder.struct().field("e", Decimal.schema(-3)).field("f", Decimal.schema(10)).build();
        assertEquals("{\"e\":12000,\"f\":-0.0000000001}", encode(new SinkRecord("t", 0, null, null, schema,
                new Struct(schema).put("e", new BigDecimal("12E+3")).put("f", new BigDecimal("-1E-10")), 0)));
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertRefused(record("not json"), "not a valid JSON object");
        assertRefused(record("[1,2]"), "an array");
        assertRefused(record("{\"a\":1}{\"b\":2}"), "more than one value");
        assertRefused(record("{\"a\":1"), "not a valid JSON object");
        assertRefused(record(null), "null");
        assertRefused(record(42), "Integer");
        assertRefused(new JsonRowEncoder(new ValueSettings(java.time.ZoneOffset.UTC, ValueSettings.BytesEncoding.BASE64,
                ValueSettings.NonFiniteFloats.FAIL)), record(Map.of("x", Double.NaN)), "NaN");
    }

    private void assertRefused(SinkRecord record, String reason) {
        assertRefused(encoder, record, reason);
    }

    private static void assertRefused(RowEncoder refusing, SinkRecord record, String reason) {
        RecordEncodingException e = assertThrows(RecordEncodingException.class,
                () -> refusing.encode(record, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private String encode(SinkRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(record, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static SinkRecord record(Object value) {
        return new SinkRecord("t", 0, null, null, null, value, 0);
    }
}
