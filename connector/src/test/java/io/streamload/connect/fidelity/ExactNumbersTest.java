package io.streamload.connect.fidelity;

import static io.streamload.connect.fidelity.SinkTaskDriver.DB;
import static io.streamload.connect.fidelity.SinkTaskDriver.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Numbers at the edges of what the columns hold, through a real task into the emulator, read back
 * from the stored rows: 38-digit decimals, LARGEINT's range, integers beyond long in a VARCHAR,
 * exponents and negative zero, in every form a record can carry them (JSON text as String or
 * bytes, with and without passthrough, Maps, Structs with the Decimal logical type, change events,
 * CSV). Not one digit may change on the way.
 *
 * <p>The VARCHAR column shows numbers the way the emulator prints what it parsed, which drops
 * trailing fraction zeros and spells exponents its own way (StarRocks keeps the text as sent), so
 * the text of {@code 0.10}, {@code 1e400} or {@code -0} is asserted on the body in
 * {@code JsonRowEncoderTest} instead.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class ExactNumbersTest {

    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new TreeMap<>();
    private static final AtomicInteger TABLES = new AtomicInteger();

    static final BigInteger LARGEINT_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    static final BigInteger LARGEINT_MIN = BigInteger.ONE.shiftLeft(127).negate();
    static final String D38_10 = "1234567890123456789012345678.0123456789";
    static final String D38_0 = "12345678901234567890123456789012345678";

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void startEmulators() {
        for (Dialect d : Dialect.values()) {
            EMULATORS.put(d, StreamLoadEmulator.builder().dialect(d).credentials("root", "secret").start());
        }
    }

    @AfterAll
    static void stopEmulators() {
        EMULATORS.values().forEach(StreamLoadEmulator::close);
    }

    private StreamLoadEmulator emulator() {
        return EMULATORS.get(dialect);
    }

    /** {@code (id, d10 DECIMAL(38,10), d0 DECIMAL(38,0), big LARGEINT, txt VARCHAR, n BIGINT)}, keyed when asked. */
    private String createTable(boolean primaryKey) {
        String table = "num" + TABLES.incrementAndGet();
        TableDefinition.Builder builder = TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                .column("d10", "DECIMAL(38,10)", true).column("d0", "DECIMAL(38,0)", true)
                .column("big", "LARGEINT", true).column("txt", "VARCHAR(200)", true).column("n", "BIGINT", true);
        emulator().createTable(primaryKey ? builder.primaryKey("id").build() : builder.duplicateKey("id").build());
        return table;
    }

    private Map<Long, Map<String, Object>> stored(String table) {
        Map<Long, Map<String, Object>> rows = new TreeMap<>();
        for (Map<String, Object> row : emulator().rows(DB, table)) {
            rows.put(((Number) row.get("id")).longValue(), row);
        }
        return rows;
    }

    private void load(String table, Map<String, String> overrides, List<SinkRecord> records) {
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table, overrides)) {
            Map<?, OffsetAndMetadata> offsets = task.load(records);
            assertEquals(Map.of(SinkTaskDriver.partition(0), new OffsetAndMetadata(records.size())), offsets,
                    "every record loaded");
        }
    }

    /**
     * JSON text as producers write it. The number's text reaches the target as it was written:
     * DECIMAL parses it exactly (exponents too), BIGINT reads 1E+2 and -0, LARGEINT and VARCHAR
     * get every digit.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"string", "bytes", "passthrough string", "passthrough bytes"})
    void jsonTextNumbersKeepEveryDigit(String form) {
        String table = createTable(false);
        List<String> rows = List.of(
                "{\"id\":1,\"d10\":1234567890123456789.0123456789,\"d0\":" + D38_0 + ",\"big\":" + LARGEINT_MAX
                        + ",\"txt\":12345678901234567890,\"n\":1E+2}",
                "{\"id\":2,\"d10\":" + D38_10 + ",\"d0\":-99999999999999999999999999999999999999,\"big\":"
                        + LARGEINT_MIN + ",\"txt\":1234567890123456789.0123456789,\"n\":1.5e3}",
                "{\"id\":3,\"d10\":12345678.1234567891,\"d0\":1.5e3,\"txt\":-0.000123,\"n\":-0}",
                "{\"id\":4,\"d10\":-0,\"d0\":1E+2,\"txt\":-12345678901234567890123456789.5}",
                "{\"id\":5,\"d10\":0.10,\"txt\":12345678901234567890.5}");
        List<SinkRecord> records = new ArrayList<>();
        for (String row : rows) {
            Object value = form.endsWith("bytes") ? row.getBytes(StandardCharsets.UTF_8) : row;
            records.add(new SinkRecord(TOPIC, 0, null, null, null, value, records.size()));
        }
        load(table, Map.of("value.passthrough", Boolean.toString(form.startsWith("passthrough"))), records);

        Map<Long, Map<String, Object>> stored = stored(table);
        assertEquals(5, stored.size(), stored.toString());
        assertEquals(new BigDecimal("1234567890123456789.0123456789"), stored.get(1L).get("d10"));
        assertEquals(new BigDecimal(D38_0), stored.get(1L).get("d0"));
        assertEquals(LARGEINT_MAX, stored.get(1L).get("big"));
        assertEquals("12345678901234567890", stored.get(1L).get("txt"));
        assertEquals(100L, stored.get(1L).get("n"));
        assertEquals(new BigDecimal(D38_10), stored.get(2L).get("d10"));
        assertEquals(new BigDecimal("-99999999999999999999999999999999999999"), stored.get(2L).get("d0"));
        assertEquals(LARGEINT_MIN, stored.get(2L).get("big"));
        assertEquals("1234567890123456789.0123456789", stored.get(2L).get("txt"));
        assertEquals(1500L, stored.get(2L).get("n"));
        assertEquals(new BigDecimal("12345678.1234567891"), stored.get(3L).get("d10"));
        assertEquals(new BigDecimal("1500"), stored.get(3L).get("d0"));
        assertEquals("-0.000123", stored.get(3L).get("txt"));
        assertEquals(0L, stored.get(3L).get("n"));
        assertEquals(new BigDecimal("0E-10"), stored.get(4L).get("d10"));
        assertEquals(new BigDecimal("100"), stored.get(4L).get("d0"));
        assertEquals("-12345678901234567890123456789.5", stored.get(4L).get("txt"));
        assertEquals(new BigDecimal("0.1000000000"), stored.get(5L).get("d10"));
        assertEquals("12345678901234567890.5", stored.get(5L).get("txt"));
    }

    /**
     * Values a converter already parsed: the connector writes them in plain digits, which every
     * column takes (LARGEINT reads no exponent, so 1E+2 must arrive as 100).
     */
    @Test
    void mapValuesHoldingBigDecimalsAndBigIntegers() {
        String table = createTable(false);
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("id", 1L);
        first.put("d10", new BigDecimal(D38_10));
        first.put("d0", new BigDecimal(D38_0));
        first.put("big", LARGEINT_MAX);
        first.put("txt", new BigInteger("123456789012345678901234567890"));
        first.put("n", new BigDecimal("1E+2"));
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("id", 2L);
        second.put("d10", new BigDecimal("-12345678.1234567891"));
        second.put("d0", new BigDecimal("1.5E+3"));
        second.put("big", new BigDecimal("1E+20"));
        second.put("txt", new BigDecimal("1234567890123456789.0123456789"));
        load(table, Map.of(), List.of(new SinkRecord(TOPIC, 0, null, null, null, first, 0),
                new SinkRecord(TOPIC, 0, null, null, null, second, 1)));

        Map<Long, Map<String, Object>> stored = stored(table);
        assertEquals(new BigDecimal(D38_10), stored.get(1L).get("d10"));
        assertEquals(new BigDecimal(D38_0), stored.get(1L).get("d0"));
        assertEquals(LARGEINT_MAX, stored.get(1L).get("big"));
        assertEquals("123456789012345678901234567890", stored.get(1L).get("txt"));
        assertEquals(100L, stored.get(1L).get("n"));
        assertEquals(new BigDecimal("-12345678.1234567891"), stored.get(2L).get("d10"));
        assertEquals(new BigDecimal("1500"), stored.get(2L).get("d0"));
        assertEquals(new BigInteger("100000000000000000000"), stored.get(2L).get("big"));
        assertEquals("1234567890123456789.0123456789", stored.get(2L).get("txt"));
    }

    static final Schema DECIMALS = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("d10", Decimal.schema(10))
            .field("d0", Decimal.schema(0))
            .field("big", Decimal.schema(-20))
            .field("txt", Decimal.schema(10))
            .optional()
            .build();

    private static Struct decimals(long id, String d10, String d0, String big, String txt) {
        return new Struct(DECIMALS).put("id", id).put("d10", new BigDecimal(d10)).put("d0", new BigDecimal(d0))
                .put("big", new BigDecimal(big)).put("txt", new BigDecimal(txt));
    }

    @Test
    void structDecimalFields() {
        String table = createTable(false);
        load(table, Map.of(), List.of(
                new SinkRecord(TOPIC, 0, null, null, DECIMALS,
                        decimals(1, D38_10, D38_0, "1E+20", "12345678.1234567891"), 0),
                new SinkRecord(TOPIC, 0, null, null, DECIMALS,
                        decimals(2, "-0.0000000001", "-99999999999999999999999999999999999999", "-1230000000000000000E+20",
                                "12345.6789012345"), 1)));

        Map<Long, Map<String, Object>> stored = stored(table);
        assertEquals(new BigDecimal(D38_10), stored.get(1L).get("d10"));
        assertEquals(new BigDecimal(D38_0), stored.get(1L).get("d0"));
        assertEquals(new BigInteger("100000000000000000000"), stored.get(1L).get("big"));
        assertEquals("12345678.1234567891", stored.get(1L).get("txt"));
        assertEquals(new BigDecimal("-0.0000000001"), stored.get(2L).get("d10"));
        assertEquals(new BigDecimal("-99999999999999999999999999999999999999"), stored.get(2L).get("d0"));
        assertEquals(new BigInteger("-123000000000000000000000000000000000000"), stored.get(2L).get("big"));
        assertEquals("12345.6789012345", stored.get(2L).get("txt"));
    }

    static final Schema ROW = SchemaBuilder.struct().name("dbserver.shop.amounts.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("d10", Decimal.schema(10))
            .field("txt", new SchemaBuilder(Schema.Type.STRING).name("io.debezium.data.Json").optional().build())
            .optional().build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("dbserver.shop.amounts.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA).build();

    /** Debezium change events: a Decimal column and a Json column whose numbers are text inside text. */
    @Test
    void changeEventsKeepDecimalsAndTheNumbersOfJsonColumns() {
        String table = createTable(true);
        Struct after = new Struct(ROW).put("id", 1L).put("d10", new BigDecimal(D38_10))
                .put("txt", "{\"amount\":1234567890123456789.0123456789,\"big\":123456789012345678901234567890,"
                        + "\"e\":1e400,\"z\":-0}");
        load(table, Map.of("cdc.mode", "debezium"), List.of(new SinkRecord(TOPIC, 0, null, null, ENVELOPE,
                new Struct(ENVELOPE).put("op", "c").put("after", after), 0)));

        Map<String, Object> row = stored(table).get(1L);
        assertEquals(new BigDecimal(D38_10), row.get("d10"));
        String json = (String) row.get("txt");
        assertEquals(true, json.contains("\"amount\":1234567890123456789.0123456789"), json);
        assertEquals(true, json.contains("\"big\":123456789012345678901234567890"), json);
    }

    @Test
    void csvLinesAreLoadedAsTheyAre() {
        String table = createTable(false);
        load(table, Map.of("format", "csv", "csv.column.separator", ","), List.of(
                new SinkRecord(TOPIC, 0, null, null, null,
                        "1," + D38_10 + "," + D38_0 + "," + LARGEINT_MAX + ",12345678901234567890,-0", 0),
                new SinkRecord(TOPIC, 0, null, null, null,
                        ("2,1.5e3,-99999999999999999999999999999999999999," + LARGEINT_MIN + ",0.10,100")
                                .getBytes(StandardCharsets.UTF_8), 1)));

        Map<Long, Map<String, Object>> stored = stored(table);
        assertEquals(new BigDecimal(D38_10), stored.get(1L).get("d10"));
        assertEquals(new BigDecimal(D38_0), stored.get(1L).get("d0"));
        assertEquals(LARGEINT_MAX, stored.get(1L).get("big"));
        assertEquals("12345678901234567890", stored.get(1L).get("txt"));
        assertEquals(0L, stored.get(1L).get("n"));
        assertEquals(new BigDecimal("1500.0000000000"), stored.get(2L).get("d10"));
        assertEquals(LARGEINT_MIN, stored.get(2L).get("big"));
        assertEquals("0.10", stored.get(2L).get("txt"));
    }
}
