package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.table.TableDefinition;

/**
 * {@code load.compression} end to end: the task loads into the emulator, which decodes the body
 * by the headers each target reads, so a wrong header or a broken stream fails the load. Each
 * case checks the rows stored, the offsets committed, and that fewer bytes crossed the wire.
 */
class CompressedLoadTaskTest {

    private static final String DB = "db";
    private static final int RECORDS = 3_000;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new HashMap<>();

    private StreamLoadSinkTask task;

    @BeforeAll
    static void startEmulators() {
        for (Dialect dialect : Dialect.values()) {
            EMULATORS.put(dialect, StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret").start());
        }
    }

    @AfterAll
    static void stopEmulators() {
        EMULATORS.values().forEach(StreamLoadEmulator::close);
    }

    @AfterEach
    void stopTask() {
        EMULATORS.values().forEach(StreamLoadEmulator::clearFaults);
        if (task != null) {
            task.stop();
        }
    }

    /** Every codec each target reads, for both formats (Doris reads no zstd: see validation). */
    static Stream<Arguments> supported() {
        List<Arguments> cases = new ArrayList<>();
        for (String format : List.of("json", "csv")) {
            for (String codec : List.of("gzip", "lz4_frame", "zstd")) {
                cases.add(Arguments.of(Dialect.STARROCKS, format, codec));
            }
            for (String codec : List.of("gzip", "lz4_frame")) {
                cases.add(Arguments.of(Dialect.DORIS, format, codec));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("supported")
    void storesEveryRowFromACompressedBody(Dialect dialect, String format, String codec) {
        String table = newTable(dialect);
        start(dialect, table, format, codec, Map.of("buffer.max.records", "1000"));
        task.put(records(format, 0, RECORDS));

        assertEquals(Map.of(tp(), new OffsetAndMetadata(RECORDS)), task.preCommit(Map.of()));
        assertRows(dialect, table, RECORDS);
        long rowBytes = rowBytes(format, RECORDS);
        long wireBytes = wireBytes(dialect, table);
        assertTrue(wireBytes * 2 < rowBytes, codec + " sent " + wireBytes + " bytes for " + rowBytes + " bytes of rows");
    }

    @ParameterizedTest(name = "{0} {1} none")
    @MethodSource("formats")
    void withoutCompressionTheRowsCrossTheWireAsTheyAre(Dialect dialect, String format) {
        String table = newTable(dialect);
        start(dialect, table, format, "none", Map.of());
        task.put(records(format, 0, RECORDS));

        assertEquals(Map.of(tp(), new OffsetAndMetadata(RECORDS)), task.preCommit(Map.of()));
        assertRows(dialect, table, RECORDS);
        assertTrue(wireBytes(dialect, table) >= rowBytes(format, RECORDS));
    }

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of(Dialect.STARROCKS, "json"), Arguments.of(Dialect.STARROCKS, "csv"),
                Arguments.of(Dialect.DORIS, "json"), Arguments.of(Dialect.DORIS, "csv"));
    }

    /**
     * A connection reset in the middle of the body, then a 502 after the commit: each retry sends
     * the rows compressed afresh under the same label, and they are stored once.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("supported")
    void aRetrySendsAWholeCompressedBodyAgain(Dialect dialect, String format, String codec) {
        String table = newTable(dialect);
        StreamLoadEmulator emulator = EMULATORS.get(dialect);
        emulator.inject(Fault.of(FaultKind.RESET_WHILE_READING_BODY).table(table).times(1));
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(1));
        start(dialect, table, format, codec, Map.of());
        task.put(records(format, 0, 500));

        assertEquals(Map.of(tp(), new OffsetAndMetadata(500)), task.preCommit(Map.of()));
        assertRows(dialect, table, 500);
        assertEquals(List.of(), emulator.pendingFaults(), "both faults were met");
    }

    private static String newTable(Dialect dialect) {
        String table = "c" + TABLES.incrementAndGet();
        EMULATORS.get(dialect).createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true)
                .duplicateKey("id")
                .build());
        return table;
    }

    private void start(Dialect dialect, String table, String format, String codec, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "compressed-" + table);
        props.put("topics", "topic");
        props.put("target", dialect == Dialect.DORIS ? "doris" : "starrocks");
        props.put("load.urls", EMULATORS.get(dialect).feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("format", format);
        props.put("load.compression", codec);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
    }

    private static void assertRows(Dialect dialect, String table, int count) {
        List<Map<String, Object>> rows = EMULATORS.get(dialect).rows(DB, table);
        assertEquals(count, rows.size(), "rows stored");
        for (int i = 0; i < count; i++) {
            assertEquals((long) i, ((Number) rows.get(i).get("id")).longValue());
            assertEquals(name(i), rows.get(i).get("name"));
        }
    }

    /** Body bytes the target received for the table's committed loads, as sent (compressed or not). */
    private static long wireBytes(Dialect dialect, String table) {
        return EMULATORS.get(dialect).loads().stream()
                .filter(l -> l.table().equals(table) && l.state().finished())
                .mapToLong(LoadRecord::loadBytes).sum();
    }

    private static long rowBytes(String format, int count) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += row(format, i).length();
        }
        return bytes;
    }

    private static String name(int i) {
        return "name-" + (i % 100);
    }

    private static String row(String format, int i) {
        return format.equals("csv") ? i + "\t" + name(i) : "{\"id\":" + i + ",\"name\":\"" + name(i) + "\"}";
    }

    private static List<SinkRecord> records(String format, int first, int count) {
        List<SinkRecord> records = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            records.add(new SinkRecord("topic", 0, null, null, null, row(format, i), i));
        }
        return records;
    }

    private static TopicPartition tp() {
        return new TopicPartition("topic", 0);
    }
}
