package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Text that is not UTF-8, through a real task into the emulator, on every path a text value takes
 * (JSON re-emitted, JSON passed through, CSV; bytes and Strings; Struct and Map fields). Each
 * malformed form is refused alike, before the target can store something other than what was
 * sent: reported with its reason under {@code errors.tolerance=all}, nothing stored for it, every
 * good record stored with its text intact; without tolerance the task fails naming the record.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class MalformedUtf8TaskTest {

    private static final String DB = "db";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new EnumMap<>(Dialect.class);

    /** Each malformed form, with a word its reason must hold. */
    private static final Map<String, String> MALFORMED = new LinkedHashMap<>();
    /** Well-formed text at the edges of each sequence length; all of it must be stored as sent. */
    private static final List<String> WELL_FORMED = List.of("plain", "\u00e9t\u00e9", "\u20ac 5", "\ud83d\ude00",
            "\ud7ff\ue000\uffff", "\udbff\udfff", "\u0080\u07ff\u0800");

    static {
        MALFORMED.put("c0 af", "overlong form of U+002F");
        MALFORMED.put("c1 bf", "overlong form of U+007F");
        MALFORMED.put("e0 80 af", "overlong form of U+002F");
        MALFORMED.put("e0 9f bf", "overlong form of U+07FF");
        MALFORMED.put("f0 80 80 af", "overlong form of U+002F");
        MALFORMED.put("f0 8f bf bf", "overlong form of U+FFFF");
        MALFORMED.put("ed a0 80", "surrogate U+D800");
        MALFORMED.put("ed bf bf", "surrogate U+DFFF");
        MALFORMED.put("ed a0 bd ed b8 80", "surrogate U+D83D");
        MALFORMED.put("c3", "cut short");
        MALFORMED.put("e2 82", "cut short");
        MALFORMED.put("f0 9f 98", "cut short");
        MALFORMED.put("e2 28 a1", "cut short");
        MALFORMED.put("80", "continuation byte without a lead byte");
        MALFORMED.put("bf 80", "continuation byte without a lead byte");
        MALFORMED.put("f4 90 80 80", "above U+10FFFF");
        MALFORMED.put("f5 80 80 80", "above U+10FFFF");
        MALFORMED.put("f7 bf bf bf", "above U+10FFFF");
        MALFORMED.put("f8 88 80 80 80", "never occurs in UTF-8");
        MALFORMED.put("fe", "never occurs in UTF-8");
        MALFORMED.put("ff", "never occurs in UTF-8");
    }

    @Parameter
    Dialect dialect;

    private final Map<Long, String> reported = new TreeMap<>();
    private StreamLoadEmulator emulator;
    private String table;
    private StreamLoadSinkTask task;

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

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    /**
     * Every malformed form inside a JSON string or a CSV field, a value ending in the middle of a
     * sequence, and a value starting with a byte order mark, between good records.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "passthrough", "csv"})
    void everyMalformedByteSequenceIsReportedAndNothingOfItStored(String path) {
        start(path, "all");
        List<SinkRecord> records = new ArrayList<>();
        Map<Long, String> expectedReasons = new LinkedHashMap<>();
        Map<Long, String> expectedNames = new TreeMap<>();
        for (String good : WELL_FORMED) {
            expectedNames.put((long) records.size(), good);
            records.add(record(records.size(), row(path, records.size(), utf8(good))));
        }
        for (Map.Entry<String, String> bad : MALFORMED.entrySet()) {
            long offset = records.size();
            expectedReasons.put(offset, bad.getValue());
            byte[] name = concat(utf8("x"), hex(bad.getKey()), utf8("y"));
            records.add(record(offset, row(path, offset, name)));
            expectedNames.put((long) records.size(), "ok" + records.size());
            records.add(record(records.size(), row(path, records.size(), utf8("ok" + records.size()))));
        }
        long cutAtTheEnd = records.size();
        byte[] endsCut = concat(row(path, cutAtTheEnd, utf8("z")), hex("e2 82"));
        records.add(record(cutAtTheEnd, endsCut));
        expectedReasons.put(cutAtTheEnd, "cut short");
        long bom = records.size();
        records.add(record(bom, concat(hex("ef bb bf"), row(path, bom, utf8("bom")))));
        expectedReasons.put(bom, "byte order mark");

        task.put(records);
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());

        assertEquals(Map.of(tp(), new OffsetAndMetadata(records.size())), committed, "offsets move past the reported");
        assertEquals(expectedReasons.keySet(), reported.keySet(), "exactly the malformed records are reported");
        expectedReasons.forEach((offset, why) -> {
            String reason = reported.get(offset);
            assertTrue(reason.contains(why), "offset " + offset + ": " + reason);
        });
        expectedReasons.keySet().stream().filter(offset -> offset != bom).forEach(offset ->
                assertTrue(reported.get(offset).contains("is not valid UTF-8: "), reported.get(offset)));
        assertTrue(reported.get(bom).contains("strip the BOM at the producer"), reported.get(bom));
        assertEquals(expectedNames, storedNames(), "every good record stored as sent, nothing of the others");
    }

    /**
     * Strings have no bytes to be malformed, but a lone surrogate has no UTF-8 form either
     * ({@code String.getBytes} would write {@code ?}), and a leading U+FEFF is a decoded byte
     * order mark: on every path and in Struct and Map fields, refused like malformed bytes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "passthrough", "csv"})
    void stringsWithALoneSurrogateOrAByteOrderMarkAreReported(String path) {
        start(path, "all");
        List<SinkRecord> records = new ArrayList<>();
        records.add(record(0, text(path, 0, "\ud83d\ude00 pair")));
        records.add(record(1, text(path, 1, "high \ud800 alone")));
        records.add(record(2, text(path, 2, "low \udc00 alone")));
        records.add(record(3, text(path, 3, "cut at the end \ud83d")));
        records.add(record(4, "\ufeff" + text(path, 4, "bom")));
        records.add(record(5, text(path, 5, "in \ufeff the middle")));
        if (!path.equals("csv")) {
            Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("name", Schema.STRING_SCHEMA)
                    .build();
            records.add(new SinkRecord("topic", 0, null, null, schema,
                    new Struct(schema).put("id", 6L).put("name", "struct \udfff"), 6));
            Map<String, Object> map = new HashMap<>();
            map.put("id", 7L);
            map.put("name", "map \ud800");
            records.add(new SinkRecord("topic", 0, null, null, null, map, 7));
            records.add(new SinkRecord("topic", 0, null, null, schema,
                    new Struct(schema).put("id", 8L).put("name", "struct \ud83d\ude00"), 8));
        }

        task.put(records);
        task.preCommit(Map.of());

        Map<Long, String> names = new TreeMap<>(Map.of(0L, "\ud83d\ude00 pair", 5L, "in \ufeff the middle"));
        if (!path.equals("csv")) {
            names.put(8L, "struct \ud83d\ude00");
            assertTrue(reported.get(6L).contains("field 'name' holds a lone UTF-16 surrogate (U+DFFF"),
                    reported.get(6L));
            assertTrue(reported.get(7L).contains("field 'name' holds a lone UTF-16 surrogate (U+D800"),
                    reported.get(7L));
        }
        assertEquals(names, storedNames());
        assertEquals(path.equals("csv") ? List.of(1L, 2L, 3L, 4L) : List.of(1L, 2L, 3L, 4L, 6L, 7L),
                new ArrayList<>(reported.keySet()));
        assertTrue(reported.get(1L).contains("lone UTF-16 surrogate (U+D800"), reported.get(1L));
        assertTrue(reported.get(2L).contains("lone UTF-16 surrogate (U+DC00"), reported.get(2L));
        assertTrue(reported.get(3L).contains("lone UTF-16 surrogate (U+D83D"), reported.get(3L));
        assertTrue(reported.get(4L).contains("byte order mark") && reported.get(4L).contains("strip the BOM"),
                reported.get(4L));
    }

    /** Without tolerance the first malformed record fails the task, named, and nothing is committed past it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "passthrough", "csv"})
    void withoutToleranceTheTaskFailsNamingTheRecord(String path) {
        start(path, "none");
        List<SinkRecord> records = new ArrayList<>();
        for (int offset = 0; offset < 5; offset++) {
            byte[] name = offset == 3 ? hex("c0 af") : utf8("n" + offset);
            records.add(record(offset, row(path, offset, name)));
        }

        task.put(records);
        // Records are taken on the intake thread: the failure comes with the worker's next put().
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(List.of()));

        assertTrue(failure.getMessage().contains("topic topic, partition 0, offset 3"), failure.getMessage());
        assertTrue(failure.getMessage().contains("not valid UTF-8: an overlong form of U+002F (C0 AF)"),
                failure.getMessage());
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertTrue(committed.getOrDefault(tp(), new OffsetAndMetadata(0)).offset() <= 3, committed::toString);
        assertTrue(reported.isEmpty());
    }

    /**
     * Partial updates read each record's columns first (passthrough cannot, it needs the columns
     * listed): a malformed value is refused there with the same reason.
     */
    @Test
    void partialUpdatesRefuseMalformedTextAlike() {
        String path = "json";
        start(path, "all", Map.of("partial.update", "true"), true);
        task.put(List.of(record(0, row(path, 0, utf8("good"))), record(1, row(path, 1, hex("ff"))),
                record(2, row(path, 2, hex("c0 af"))), record(3, "{\"id\":3,\"name\":\"\ud800\"}")));
        task.preCommit(Map.of());

        assertEquals(Map.of(0L, "good"), storedNames());
        assertEquals(List.of(1L, 2L, 3L), new ArrayList<>(reported.keySet()));
        assertTrue(reported.get(1L).contains("is not valid UTF-8: byte FF, which never occurs in UTF-8"),
                reported.get(1L));
        assertTrue(reported.get(2L).contains("is not valid UTF-8: an overlong form of U+002F"), reported.get(2L));
        assertTrue(reported.get(3L).contains("lone UTF-16 surrogate (U+D800"), reported.get(3L));
    }

    private void start(String path, String tolerance) {
        start(path, tolerance, Map.of(), false);
    }

    private void start(String path, String tolerance, Map<String, String> overrides, boolean primaryKey) {
        emulator = EMULATORS.get(dialect);
        table = "u" + TABLES.incrementAndGet();
        TableDefinition.Builder definition = TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                .column("name", "VARCHAR(64)", true);
        emulator.createTable(primaryKey ? definition.primaryKey("id").build() : definition.duplicateKey("id").build());
        Map<String, String> props = new HashMap<>();
        props.put("name", "utf8-" + table);
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("target", dialect == Dialect.DORIS ? "doris" : "starrocks");
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        props.put("errors.tolerance", tolerance);
        if (path.equals("csv")) {
            props.put("format", "csv");
            props.put("csv.column.separator", ",");
        }
        props.put("value.passthrough", Boolean.toString(path.equals("passthrough")));
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter(new CollectingReporter());
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
    }

    /** The row for {@code id} with {@code name} as raw bytes, in the path's format. */
    private static byte[] row(String path, long id, byte[] name) {
        return path.equals("csv") ? concat(utf8(id + ","), name)
                : concat(utf8("{\"id\":" + id + ",\"name\":\""), name, utf8("\"}"));
    }

    private static String text(String path, long id, String name) {
        return path.equals("csv") ? id + "," + name : "{\"id\":" + id + ",\"name\":\"" + name + "\"}";
    }

    private static SinkRecord record(long offset, Object value) {
        return new SinkRecord("topic", 0, null, null, null, value, offset);
    }

    private Map<Long, String> storedNames() {
        Map<Long, String> names = new TreeMap<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            names.put(((Number) row.get("id")).longValue(), (String) row.get("name"));
        }
        return names;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String spaced) {
        String[] parts = spaced.split(" ");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static TopicPartition tp() {
        return new TopicPartition("topic", 0);
    }

    /** Stands in for the worker's reporter, which writes to the dead letter queue. */
    private final class CollectingReporter implements ErrantRecordReporter {
        @Override
        public Future<Void> report(SinkRecord record, Throwable error) {
            synchronized (reported) {
                reported.put(record.kafkaOffset(), error.getMessage());
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
