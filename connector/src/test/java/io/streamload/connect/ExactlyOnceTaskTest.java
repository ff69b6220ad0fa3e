package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
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
 * Exactly-once at each crash point, with a real intent log (a Kafka broker in the JVM) and the
 * emulator's transactions: a task gets as far as the crash point, then a new task (the next
 * owner, with the same connector name) opens the partitions and Kafka delivers the records again
 * from the last committed offset. Every record must end up in the duplicate-key table once.
 */
class ExactlyOnceTaskTest {

    private static final String DB = "db";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new EnumMap<>(Dialect.class);
    private static EmbeddedKafkaCluster kafka;

    private StreamLoadEmulator emulator;
    private Dialect dialect;
    private String table;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        for (Dialect d : Dialect.values()) {
            EMULATORS.put(d, StreamLoadEmulator.builder().dialect(d).credentials("root", "secret").start());
        }
    }

    @AfterAll
    static void stop() {
        EMULATORS.values().forEach(StreamLoadEmulator::close);
        kafka.stop();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyBatchGoesThroughATransaction(Dialect d) {
        setUp(d);
        StreamLoadSinkTask task = startTask(Map.of());
        task.put(records(0, 300));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(300)), task.preCommit(Map.of()));
        task.stop();
        assertExactlyOnce(300);
        assertTrue(emulator.loads().stream().filter(l -> l.table().equals(table)).allMatch(
                l -> d == Dialect.DORIS ? l.twoPhase() : l.kind().name().equals("TRANSACTION")),
                "every load was transactional");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void committedButOffsetsNotCommitted(Dialect d) {
        setUp(d);
        StreamLoadSinkTask first = startTask(Map.of());
        first.put(records(0, 200));
        first.preCommit(Map.of());
        first.stop();
        // The offsets never reached Kafka: the next owner gets every record again.
        StreamLoadSinkTask next = startTask(Map.of());
        next.put(records(0, 250));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(250)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(250);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void preparedButNotCommitted(Dialect d) {
        setUp(d);
        // Every commit fails: the transaction stays prepared, the task fails.
        failWhileTheTargetRefuses(commitPath(), 100);
        assertEquals(0, emulator.rowCount(DB, table), "prepared, not visible");

        StreamLoadSinkTask next = startTask(Map.of());
        assertEquals(100, emulator.rowCount(DB, table), "recovery committed the prepared transaction");
        next.put(records(0, 150));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(150);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void begunButNotPrepared(Dialect d) {
        setUp(d);
        failWhileTheTargetRefuses(prepareOrLoadPath(), 100);

        StreamLoadSinkTask next = startTask(Map.of());
        next.put(records(0, 100));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(100)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(100);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void gatewayErrorsAfterCommitAreResolvedWithoutDuplicates(Dialect d) {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(3));
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(commitPath()).times(2));
        StreamLoadSinkTask task = startTask(Map.of("buffer.max.records", "50"));
        task.put(records(0, 400));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(400)), task.preCommit(Map.of()));
        task.stop();
        assertExactlyOnce(400);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTaskStoppedWithAPreparedTransactionCommitsItOnTheWayOut(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(commitPath()).times(1_000));
        StreamLoadSinkTask task = startTask(Map.of("max.retries", "1", "commit.max.wait.ms", "0"));
        task.put(records(0, 100));
        task.preCommit(Map.of());
        io.streamload.connect.testing.Conditions.waitFor(() -> emulator.loads().stream()
                .anyMatch(l -> l.table().equals(table) && l.state().name().equals("PREPARED")),
                java.time.Duration.ofSeconds(10), "a prepared transaction");
        assertEquals(0, emulator.rowCount(DB, table));
        // The connector is deleted: stop() ends what it left open before returning.
        emulator.clearFaults();
        task.stop();
        assertEquals(100, emulator.rowCount(DB, table), "committed on the way out, not left prepared");
        assertTrue(emulator.loads().stream().filter(l -> l.table().equals(table))
                .noneMatch(l -> l.state().name().startsWith("PREPARE")), "no transaction left open");
        assertExactlyOnce(100);
    }

    /** A task loads {@code count} records while every request to {@code path} gets a 502: it fails. */
    private void failWhileTheTargetRefuses(String path, int count) {
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(path).times(1_000));
        StreamLoadSinkTask first = startTask(Map.of("max.retries", "1"));
        first.put(records(0, count));
        assertThrows(ConnectException.class, () -> {
            first.preCommit(Map.of());
            first.put(List.of());
        });
        first.stop();
        emulator.clearFaults();
    }

    private void setUp(Dialect d) {
        dialect = d;
        emulator = EMULATORS.get(d);
        table = "eo" + TABLES.incrementAndGet();
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true)
                .duplicateKey("id")
                .build());
    }

    private String commitPath() {
        return dialect == Dialect.DORIS ? "_stream_load_2pc" : "/api/transaction/commit";
    }

    private String prepareOrLoadPath() {
        return dialect == Dialect.DORIS ? "/" + table + "/_stream_load" : "/api/transaction/prepare";
    }

    private StreamLoadSinkTask startTask(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "eo-" + table);
        props.put("target", dialect == Dialect.DORIS ? "doris" : "starrocks");
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "100");
        props.put("buffer.flush.interval.ms", "3600000");
        props.put("delivery.guarantee", "exactly_once");
        props.put("exactly.once.log.bootstrap.servers", kafka.bootstrapServers());
        props.putAll(overrides);
        StreamLoadSinkTask task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
        return task;
    }

    private void assertExactlyOnce(int count) {
        Map<Long, Integer> ids = new TreeMap<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            ids.merge(((Number) row.get("id")).longValue(), 1, Integer::sum);
        }
        assertEquals(count, ids.size(), "distinct ids");
        assertTrue(ids.values().stream().allMatch(n -> n == 1), "an id stored twice: " + ids);
        assertEquals(count, emulator.rowCount(DB, table));
    }

    private static List<SinkRecord> records(long first, int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = first; offset < first + count; offset++) {
            records.add(new SinkRecord("topic", 0, null, null, null, "{\"id\":" + offset + "}", offset));
        }
        return records;
    }

    private static TopicPartition tp() {
        return new TopicPartition("topic", 0);
    }
}
