package io.streamload.connect.fidelity;

import static io.streamload.connect.fidelity.SinkTaskDriver.DB;
import static io.streamload.connect.fidelity.SinkTaskDriver.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Every value type through a real task, over HTTP, into the emulator, and the stored value read
 * back column by column: what the user meant is what the table holds, for both targets.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class ValueFidelityTest {

    @Parameter
    Dialect dialect;

    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new TreeMap<>();

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

    static final Schema VSD = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).optional().build();
    static final Schema NESTED = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA)
            .field("b", SchemaBuilder.array(Schema.STRING_SCHEMA).build()).optional().build();

    static final Schema TYPES = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("flag", Schema.BOOLEAN_SCHEMA)
            .field("tiny", Schema.INT8_SCHEMA)
            .field("f", Schema.FLOAT32_SCHEMA)
            .field("dbl", Schema.FLOAT64_SCHEMA)
            .field("nan", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("dec", Decimal.schema(18))
            .field("day", Date.SCHEMA)
            .field("tod", Time.SCHEMA)
            .field("at", Timestamp.SCHEMA)
            .field("dbz_date", named(Schema.INT32_SCHEMA, "io.debezium.time.Date"))
            .field("dbz_time", named(Schema.INT32_SCHEMA, "io.debezium.time.Time"))
            .field("dbz_micro_time", named(Schema.INT64_SCHEMA, "io.debezium.time.MicroTime"))
            .field("dbz_nano_time", named(Schema.INT64_SCHEMA, "io.debezium.time.NanoTime"))
            .field("dbz_ts", named(Schema.INT64_SCHEMA, "io.debezium.time.Timestamp"))
            .field("dbz_micro_ts", named(Schema.INT64_SCHEMA, "io.debezium.time.MicroTimestamp"))
            .field("dbz_nano_ts", named(Schema.INT64_SCHEMA, "io.debezium.time.NanoTimestamp"))
            .field("dbz_zoned_ts", named(Schema.STRING_SCHEMA, "io.debezium.time.ZonedTimestamp"))
            .field("dbz_zoned_time", named(Schema.STRING_SCHEMA, "io.debezium.time.ZonedTime"))
            .field("vsd", VSD)
            .field("js", named(Schema.STRING_SCHEMA, "io.debezium.data.Json"))
            .field("nested", NESTED)
            .field("arr", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
            .field("mp", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
            .field("bin", Schema.BYTES_SCHEMA)
            .build();

    private static Schema named(Schema base, String name) {
        return new SchemaBuilder(base.type()).name(name).build();
    }

    private String createTypesTable(String table) {
        emulator().createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false).column("flag", "BOOLEAN", true).column("tiny", "TINYINT", true)
                .column("f", "FLOAT", true).column("dbl", "DOUBLE", true).column("nan", "DOUBLE", true)
                .column("dec", "DECIMAL(38,18)", true).column("day", "DATE", true).column("tod", "VARCHAR(20)", true)
                .column("at", "DATETIME", true).column("dbz_date", "DATE", true)
                .column("dbz_time", "VARCHAR(20)", true).column("dbz_micro_time", "VARCHAR(20)", true)
                .column("dbz_nano_time", "VARCHAR(20)", true).column("dbz_ts", "DATETIME", true)
                .column("dbz_micro_ts", "DATETIME", true).column("dbz_nano_ts", "DATETIME", true)
                .column("dbz_zoned_ts", "DATETIME", true).column("dbz_zoned_time", "VARCHAR(20)", true)
                .column("vsd", "DECIMAL(38,10)", true).column("js", "JSON", true).column("nested", "JSON", true)
                .column("arr", "ARRAY<INT>", true).column("mp", "MAP<VARCHAR(8),INT>", true)
                .column("bin", "VARCHAR(64)", true)
                .duplicateKey("id").build());
        return table;
    }

    private static Struct typesRow() {
        return new Struct(TYPES)
                .put("id", 1L).put("flag", true).put("tiny", (byte) -7)
                .put("f", 0.1f).put("dbl", 2.5e-7).put("nan", Double.NaN)
                .put("dec", new BigDecimal("12345678901234567890.123456789012345678"))
                .put("day", new java.util.Date(19_753L * 86_400_000L))                   // 2024-01-31
                .put("tod", new java.util.Date((13 * 3600 + 14 * 60 + 15) * 1000L + 120))  // 13:14:15.120
                .put("at", new java.util.Date(1_706_702_400_123L))                        // 2024-01-31T12:00:00.123Z
                .put("dbz_date", 19_753)
                .put("dbz_time", (13 * 3600 + 14 * 60 + 15) * 1000 + 5)
                .put("dbz_micro_time", (13 * 3600 + 14 * 60 + 15) * 1_000_000L + 123_456L)
                .put("dbz_nano_time", (13 * 3600 + 14 * 60 + 15) * 1_000_000_000L + 123_456_789L)
                .put("dbz_ts", 1_706_702_400_123L)
                .put("dbz_micro_ts", 1_706_702_400_123_456L)
                .put("dbz_nano_ts", 1_706_702_400_123_456_789L)
                .put("dbz_zoned_ts", "2024-01-31T12:00:00.654321Z")
                .put("dbz_zoned_time", "23:30:00.5+02:00")
                .put("vsd", new Struct(VSD).put("scale", 4).put("value", new BigInteger("-123456789").toByteArray()))
                .put("js", "{\"k\": [1, 2, {\"x\": null}]}")
                .put("nested", new Struct(NESTED).put("a", 5).put("b", List.of("p", "q")))
                .put("arr", List.of(3, 1, 2))
                .put("mp", new LinkedHashMap<>(Map.of("k", 9)))
                .put("bin", new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
    }

    private static Map<String, Object> stored(StreamLoadEmulator emulator, String table) {
        List<Map<String, Object>> rows = emulator.rows(DB, table);
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    /** A stored JSON, ARRAY or MAP value as compact JSON text. */
    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyTypeIsStoredAsMeant() {
        String table = createTypesTable("types_" + dialect.name().toLowerCase());
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table, Map.of("time.zone", "Asia/Shanghai"))) {
            Map<?, OffsetAndMetadata> offsets = task.load(List.of(new SinkRecord(TOPIC, 0, null, null, TYPES, typesRow(), 0)));
            assertEquals(Map.of(SinkTaskDriver.partition(0), new OffsetAndMetadata(1)), offsets);
        }
        Map<String, Object> row = stored(emulator(), table);
        assertEquals(1L, row.get("id"));
        assertEquals(true, row.get("flag"));
        assertEquals(-7L, row.get("tiny"));
        assertEquals((double) 0.1f, row.get("f"));
        assertEquals(2.5e-7, row.get("dbl"));
        assertEquals(null, row.get("nan"), "NaN becomes NULL by default");
        assertEquals(new BigDecimal("12345678901234567890.123456789012345678"), row.get("dec"), "exact, all digits");
        assertEquals("2024-01-31", row.get("day"));
        assertEquals("13:14:15.120000", row.get("tod"));
        assertEquals("2024-01-31 20:00:00.123000", row.get("at"), "an instant, shown in time.zone (+08:00)");
        assertEquals("2024-01-31", row.get("dbz_date"));
        assertEquals("13:14:15.005000", row.get("dbz_time"));
        assertEquals("13:14:15.123456", row.get("dbz_micro_time"));
        assertEquals("13:14:15.123456", row.get("dbz_nano_time"), "DATETIME precision: microseconds");
        assertEquals("2024-01-31 12:00:00.123000", row.get("dbz_ts"), "zone-less: never shifted");
        assertEquals("2024-01-31 12:00:00.123456", row.get("dbz_micro_ts"));
        assertEquals("2024-01-31 12:00:00.123456", row.get("dbz_nano_ts"));
        assertEquals("2024-01-31 20:00:00.654321", row.get("dbz_zoned_ts"), "zoned: shown in time.zone");
        assertEquals("21:30:00.500000", row.get("dbz_zoned_time"), "a time of day: in UTC");
        assertEquals(new BigDecimal("-12345.6789000000"), row.get("vsd"));
        assertEquals("{\"k\":[1,2,{\"x\":null}]}", json(row.get("js")), "Json is embedded, not quoted");
        assertEquals("{\"a\":5,\"b\":[\"p\",\"q\"]}", json(row.get("nested")));
        assertEquals("[3,1,2]", json(row.get("arr")));
        assertEquals("{\"k\":9}", json(row.get("mp")));
        assertEquals("AAH+/w==", row.get("bin"));
    }

    @Test
    void bytesAsHexAndNonFiniteFloatsRefusedOnRequest() {
        String table = "hex_" + dialect.name().toLowerCase();
        emulator().createTable(TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                .column("bin", "VARCHAR(64)", true).column("x", "DOUBLE", true).duplicateKey("id").build());
        Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("bin", Schema.BYTES_SCHEMA)
                .field("x", Schema.FLOAT64_SCHEMA).build();
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table,
                Map.of("bytes.format", "hex", "float.non.finite", "fail"))) {
            task.load(List.of(new SinkRecord(TOPIC, 0, null, null, schema,
                    new Struct(schema).put("id", 1L).put("bin", new byte[] {0, 1, (byte) 0xfe}).put("x", 1.5), 0)));
            org.apache.kafka.connect.errors.ConnectException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.apache.kafka.connect.errors.ConnectException.class, () -> task.put(List.of(new SinkRecord(
                            TOPIC, 0, null, null, schema,
                            new Struct(schema).put("id", 2L).put("bin", new byte[0]).put("x", Double.POSITIVE_INFINITY),
                            1))));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("field 'x' holds Infinity"),
                    e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("float.non.finite=null"),
                    e.getMessage());
        }
        assertEquals("0001fe", stored(emulator(), table).get("bin"));
    }

    @Test
    void schemalessMapsAndJsonTextPassthrough() {
        String table = "text_" + dialect.name().toLowerCase();
        emulator().createTable(TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true).column("doc", "JSON", true).duplicateKey("id").build());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", 1L);
        map.put("name", "map");
        map.put("doc", Map.of("n", List.of(1, 2)));
        String pretty = "{\n  \"id\": 2,\n  \"name\": \"text\",\n  \"doc\": {\"s\": \"a b\"}\n}\n";
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table, Map.of("value.passthrough", "true"))) {
            task.load(List.of(new SinkRecord(TOPIC, 0, null, null, null, map, 0),
                    new SinkRecord(TOPIC, 0, null, null, null, pretty, 1),
                    new SinkRecord(TOPIC, 0, null, null, null, "{\"id\":3,\"name\":\"bytes\"}".getBytes(StandardCharsets.UTF_8), 2)));
        }
        List<Map<String, Object>> rows = emulator().rows(DB, table);
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("map", rows.get(0).get("name"));
        assertEquals("{\"n\":[1,2]}", json(rows.get(0).get("doc")));
        assertEquals("text", rows.get(1).get("name"));
        assertEquals("{\"s\":\"a b\"}", json(rows.get(1).get("doc")));
        assertEquals("bytes", rows.get(2).get("name"));
    }
}
