package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Rejected rows against the emulator, driven like a worker drives the task: which records are
 * reported (the very {@link SinkRecord} objects, with the target's reason), which rows are stored,
 * which offsets are committed, and how many loads isolating the bad records cost.
 */
class RejectedRowsTaskTest {

    private static final String DB = "db";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new EnumMap<>(Dialect.class);

    private final Map<SinkRecord, String> reported = new LinkedHashMap<>();
    private StreamLoadEmulator emulator;
    private String table;
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

    private void createTable(Dialect dialect) {
        emulator = EMULATORS.get(dialect);
        table = "r" + TABLES.incrementAndGet();
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .column("day", "DATE", true)
                .duplicateKey("id")
                .build());
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void eachBadRecordIsReportedWithItsReasonAndEveryGoodOneLoaded(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all"));
        List<SinkRecord> records = new ArrayList<>();
        Map<Long, String> bad = new LinkedHashMap<>();
        bad.put(3L, "{\"id\":null,\"name\":\"x\"}");
        bad.put(40L, "{\"id\":40,\"name\":\"far too long for eight\"}");
        bad.put(41L, "{\"id\":41,\"day\":\"2024-13-45\"}");
        bad.put(100L, "{\"id\":100,\"name\":\"x\"");
        bad.put(170L, "{\"id\":null}");
        bad.put(255L, "{\"id\":255,\"day\":\"someday\"}");
        for (long offset = 0; offset < 256; offset++) {
            int partition = (int) (offset % 2);
            String value = bad.getOrDefault(offset, "{\"id\":" + offset + ",\"name\":\"n" + offset % 100 + "\"}");
            records.add(new SinkRecord("topic", partition, null, null, null, value, offset));
        }

        task.put(records);
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(255), tp(1), new OffsetAndMetadata(256)), committed,
                "offsets move past the reported records");
        Set<Long> expected = new TreeSet<>();
        for (long id = 0; id < 256; id++) {
            if (!bad.containsKey(id)) {
                expected.add(id);
            }
        }
        assertEquals(expected, storedIds(), "every good record stored once");
        assertEquals(250, emulator.rowCount(DB, table));

        Map<Long, String> reasons = new HashMap<>();
        reported.forEach((record, reason) -> reasons.put(record.kafkaOffset(), reason));
        assertEquals(bad.keySet(), reasons.keySet(), "exactly the bad records are reported");
        for (SinkRecord record : reported.keySet()) {
            assertSame(records.get((int) record.kafkaOffset()), record, "the original record is reported");
        }
        assertTrue(reasons.get(3L).contains("NULL value in non-nullable column 'id'"), reasons.get(3L));
        assertTrue(reasons.get(40L).contains("is too long"), reasons.get(40L));
        assertTrue(reasons.get(41L).contains("2024-13-45"), reasons.get(41L));
        assertTrue(reasons.get(100L).contains("not a valid JSON object"), reasons.get(100L));
        assertTrue(reasons.get(41L).contains("label=") && reasons.get(41L).contains("table=db." + table),
                "the load coordinates are in the message: " + reasons.get(41L));

        // The refused load's error log names the five records the target refuses: the rest loads at once.
        assertEquals(List.of("ABORTED", "VISIBLE"), loadStates(), "one refused load, then the rest");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aLogCutAtItsLineLimitNamesTheOthersInTheLoadsOfTheRest(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all"));
        List<SinkRecord> records = new ArrayList<>();
        Set<Long> bad = new TreeSet<>();
        for (long offset = 0; offset < 400; offset++) {
            boolean tooLong = offset % 10 < 3;
            if (tooLong) {
                bad.add(offset);
            }
            String value = "{\"id\":" + offset + ",\"name\":\"" + (tooLong ? "far too long " : "n") + offset + "\"}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(400)), task.preCommit(Map.of()));

        assertEquals(120, bad.size());
        assertEquals(bad, offsets(reported.keySet()), "exactly the bad records are reported");
        reported.values().forEach(reason -> assertTrue(reason.contains("is too long"), reason));
        assertEquals(280, emulator.rowCount(DB, table));
        // 120 bad rows, a log of about 50: each refused load names the next 50, the last part loads.
        assertEquals(List.of("ABORTED", "ABORTED", "ABORTED", "VISIBLE"), loadStates());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identicalRowsAreNamedWhenTheLogListsEachOfThem(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all"));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 50; offset++) {
            String value = offset % 20 == 7 ? "{\"id\":null}" : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(50)), task.preCommit(Map.of()));

        assertEquals(Set.of(7L, 27L, 47L), offsets(reported.keySet()));
        assertEquals(47, emulator.rowCount(DB, table));
        assertEquals(List.of("ABORTED", "VISIBLE"), loadStates(), "three lines for three identical rows name them");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identicalRowsBeyondTheLogsLimitAreFoundByHalving(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all"));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 100; offset++) {
            String value = offset < 60 ? "{\"id\":null}" : offset == 80 ? "{\"id\":80,\"day\":\"someday\"}"
                    : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));

        Set<Long> bad = new TreeSet<>();
        for (long offset = 0; offset < 60; offset++) {
            bad.add(offset);
        }
        bad.add(80L);
        assertEquals(bad, offsets(reported.keySet()), "every identical row, and the one the log named");
        assertEquals(39, emulator.rowCount(DB, table));
        List<String> states = loadStates();
        assertTrue(states.size() > 2, "the log could not say which of 60 identical rows its 50 lines meant, so "
                + "the rest was halved: " + states);
        assertEquals(1, states.stream().filter("VISIBLE"::equals).count(), "the good rows loaded once: " + states);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anUnknownOutcomeOfTheRestIsSettledByItsLabelAndLoadsItOnce(Dialect dialect) {
        createTable(dialect);
        // The refused load never commits, so the fault waits for the load of the rest.
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(1));
        start(Map.of("errors.tolerance", "all"));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 100; offset++) {
            String value = offset % 25 == 3 ? "{\"id\":" + offset + ",\"day\":\"2024-02-30\"}"
                    : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));

        assertTrue(emulator.pendingFaults().isEmpty(), "the 502 came");
        assertEquals(Set.of(3L, 28L, 53L, 78L), offsets(reported.keySet()));
        Set<Long> good = new TreeSet<>();
        for (long id = 0; id < 100; id++) {
            if (id % 25 != 3) {
                good.add(id);
            }
        }
        assertEquals(good, storedIds());
        assertEquals(96, emulator.rowCount(DB, table), "the retry under the same label loaded nothing twice");
        assertEquals(List.of("ABORTED", "VISIBLE"), loadStates());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withoutToleranceTheTaskFailsWithTheReasonAndCommitsNothingPastIt(Dialect dialect) {
        createTable(dialect);
        start(Map.of("buffer.max.records", "10"));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 30; offset++) {
            String value = offset == 14 ? "{\"id\":null}" : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        ConnectException failure = assertThrows(ConnectException.class, () -> {
            task.put(records);
            task.preCommit(Map.of());
            task.put(List.of());
        });

        assertTrue(failure.getMessage().contains("too many filtered rows"), failure.getMessage());
        assertTrue(failure.getMessage().contains("NULL value in non-nullable column 'id'"), failure.getMessage());
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertTrue(committed.getOrDefault(tp(0), new OffsetAndMetadata(0)).offset() <= 10,
                "nothing committed past the batch of the bad record: " + committed);
        assertTrue(reported.isEmpty(), "nothing reported without tolerance");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void rowsFilteredWithinTheRatioAreTracedToTheirRecords(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all", "load.properties.max_filter_ratio", "0.5"));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 20; offset++) {
            String value = offset % 7 == 3 ? "{\"id\":" + offset + ",\"name\":\"much too long\"}"
                    : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(20)), task.preCommit(Map.of()));

        assertEquals(17, emulator.rowCount(DB, table));
        assertEquals(1, emulator.loads().stream().filter(load -> load.table().equals(table)).count(),
                "a committed load is traced, not cut");
        assertEquals(Set.of(3L, 10L, 17L), offsets(reported.keySet()));
        reported.forEach((record, reason) -> assertTrue(reason.contains("is too long"), reason));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void csvLinesWithTheWrongColumnCountAreIsolated(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all", "format", "csv", "csv.column.separator", ","));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 40; offset++) {
            String value = offset == 9 || offset == 33 ? offset + ",x" : offset + ",n,2024-01-31";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(40)), task.preCommit(Map.of()));

        assertEquals(38, emulator.rowCount(DB, table));
        assertEquals(Set.of(9L, 33L), offsets(reported.keySet()));
        assertEquals(List.of("ABORTED", "VISIBLE"), loadStates(), "the raw lines in the log name their records");
        reported.forEach((record, reason) -> assertTrue(reason.contains("column count"), reason));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void csvRowsTheTargetPrintsAsValuesAreNamedToo(Dialect dialect) {
        createTable(dialect);
        start(Map.of("errors.tolerance", "all", "format", "csv", "csv.column.separator", ","));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 40; offset++) {
            // A NULL id is printed as the row's values, ['x', NULL], not as the line that was sent.
            String value = offset == 12 || offset == 30 ? "\\N,n" + offset + ",2024-01-31" : offset + ",n,2024-01-31";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        task.put(records);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(40)), task.preCommit(Map.of()));

        assertEquals(Set.of(12L, 30L), offsets(reported.keySet()));
        reported.forEach((record, reason) -> assertTrue(reason.contains("NULL value in non-nullable column 'id'"),
                reason));
        assertEquals(38, emulator.rowCount(DB, table));
        assertEquals(List.of("ABORTED", "VISIBLE"), loadStates());
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "rejected-" + table);
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("target", emulator.dialect() == Dialect.DORIS ? "doris" : "starrocks");
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter(new CollectingReporter());
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp(0), tp(1)));
        task.open(List.of(tp(0), tp(1)));
    }

    /** The states of this test's loads, in order. */
    private List<String> loadStates() {
        return emulator.loads().stream().filter(load -> load.table().equals(table))
                .sorted(java.util.Comparator.comparingLong(load -> load.txnId()))
                .map(load -> load.state().name()).toList();
    }

    private Set<Long> storedIds() {
        Set<Long> ids = new TreeSet<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            ids.add(((Number) row.get("id")).longValue());
        }
        return ids;
    }

    private static Set<Long> offsets(Set<SinkRecord> records) {
        Set<Long> offsets = new TreeSet<>();
        records.forEach(record -> offsets.add(record.kafkaOffset()));
        return offsets;
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("topic", partition);
    }

    /** Stands in for the worker's reporter, which writes to the dead letter queue (see RejectedRowsIT). */
    private final class CollectingReporter implements ErrantRecordReporter {
        @Override
        public Future<Void> report(SinkRecord record, Throwable error) {
            synchronized (reported) {
                reported.put(record, error.getMessage());
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
