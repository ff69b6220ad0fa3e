package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Records that name their table ({@code table.field}) against the emulator, driven like a worker
 * drives the task: a record naming a table the target does not know, or one outside
 * {@code table.field.allowed}, is a bad record (reported with its reason under
 * {@code errors.tolerance=all}, failing the task with the table and the record's position under
 * {@code none}); the other records load, and nothing reaches a table the allowlist leaves out.
 */
class RecordNamedTablesTaskTest {

    private static final String DB = "db";
    private static final String TOPIC = "topic";
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new EnumMap<>(Dialect.class);

    private final Map<SinkRecord, String> reported = new LinkedHashMap<>();
    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;
    /** This run's tables: fresh names, since the emulators are shared by the tests. */
    private String byTopic;
    private String named;
    private String secret;

    /** The exactly-once intent log's cluster. */
    private static org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startEmulators() {
        kafka = new org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster(1, new java.util.Properties());
        kafka.start();
        for (Dialect dialect : Dialect.values()) {
            EMULATORS.put(dialect, StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret").start());
        }
    }

    @AfterAll
    static void stopEmulators() {
        EMULATORS.values().forEach(StreamLoadEmulator::close);
        kafka.stop();
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private void createTables(Dialect dialect) {
        emulator = EMULATORS.get(dialect);
        int run = RUNS.incrementAndGet();
        byTopic = "by_topic_" + run;
        named = "named_" + run;
        secret = "secret_" + run;
        for (String[] table : new String[][] {{DB, byTopic}, {DB, named}, {"otherdb", secret}}) {
            emulator.createTable(TableDefinition.builder(table[0], table[1]).column("id", "BIGINT", false)
                    .column("target", "VARCHAR(64)", true).duplicateKey("id").build());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withToleranceARecordNamingAnUnknownOrForbiddenTableIsReportedAndTheOthersLoad(Dialect dialect) {
        createTables(dialect);
        start(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq"));
        List<SinkRecord> records = List.of(
                record(0, null),
                record(1, named),
                record(2, "nope"),
                record(3, named),
                record(4, "db.nope_either"),
                record(5, "otherdb." + secret),
                record(6, null));

        task.put(records);
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());

        assertEquals(Map.of(tp(), new OffsetAndMetadata(7)), committed, "offsets move past the reported records");
        assertEquals(Set.of(0L, 6L), ids(DB, byTopic));
        assertEquals(Set.of(1L, 3L), ids(DB, named));
        assertEquals(0, emulator.rowCount("otherdb", secret), "nothing reaches a table the allowlist leaves out");

        Map<Long, String> reasons = new HashMap<>();
        reported.forEach((record, reason) -> reasons.put(record.kafkaOffset(), reason));
        assertEquals(Set.of(2L, 4L, 5L), reasons.keySet(), "exactly the bad records are reported: " + reasons);
        assertTrue(reasons.get(2L).contains("Unknown table 'db.nope'") && reasons.get(2L).contains("table=db.nope"),
                "the target's answer: " + reasons.get(2L));
        assertTrue(reasons.get(4L).contains("Unknown table 'db.nope_either'"), reasons.get(4L));
        assertTrue(reasons.get(5L).contains("otherdb." + secret) && reasons.get(5L).contains("table.field.allowed")
                && reasons.get(5L).contains("table=otherdb." + secret), reasons.get(5L));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withoutToleranceAnUnknownTableFailsTheTaskNamingTheTableAndTheRecord(Dialect dialect) {
        createTables(dialect);
        start(Map.of());
        List<SinkRecord> records = List.of(record(0, named), record(1, named), record(2, "nope"), record(3, named));

        ConnectException failure = assertThrows(ConnectException.class, () -> {
            task.put(records);
            task.preCommit(Map.of());
            task.put(List.of());
        });

        String message = failure.getMessage();
        assertTrue(message.contains("db.nope") && message.contains("Unknown table"), message);
        assertTrue(message.contains("topic " + TOPIC + ", partition 0, offset 2"), message);
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertTrue(committed.getOrDefault(tp(), new OffsetAndMetadata(0)).offset() <= 2,
                "nothing committed past the record: " + committed);
        assertTrue(reported.isEmpty(), "nothing reported without tolerance");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withoutToleranceAForbiddenTableFailsThePutNamingTableSettingAndRecord(Dialect dialect) {
        createTables(dialect);
        start(Map.of());

        task.put(List.of(record(0, named), record(1, "otherdb." + secret)));
        // Records are taken on the intake thread: the failure comes with the worker's next put().
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(List.of()));

        String message = failure.getMessage();
        assertTrue(message.contains("otherdb." + secret) && message.contains("table.field.allowed (db.*)"), message);
        assertTrue(message.contains("topic " + TOPIC + ", partition 0, offset 1"), message);
        task.preCommit(Map.of());
        assertEquals(0, emulator.rowCount("otherdb", secret));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theAllowlistTakesPatternsAndStarAllowsAnyTable(Dialect dialect) {
        createTables(dialect);
        start(Map.of("table.field.allowed", "named_*,otherdb." + secret.substring(0, 7) + "*",
                "errors.tolerance", "all"));
        task.put(List.of(record(0, named), record(1, "db." + named), record(2, "otherdb." + secret),
                record(3, "otherdb.else")));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(4)), task.preCommit(Map.of()));
        assertEquals(Set.of(0L, 1L), ids(DB, named), "an entry without a database is a table of load.database");
        assertEquals(Set.of(2L), ids("otherdb", secret));
        assertEquals(Set.of(3L), offsets(reported.keySet()));
        task.stop();
        task = null;

        start(Map.of("table.field.allowed", "*"));
        task.put(List.of(record(10, "otherdb." + secret)));
        task.preCommit(Map.of());
        assertEquals(Set.of(2L, 10L), ids("otherdb", secret), "* lets records name any table");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anUnknownTableOfTheConfigurationStillFailsTheTaskWithTolerance(Dialect dialect) {
        createTables(dialect);
        start(Map.of("errors.tolerance", "all", "topic2table.map", TOPIC + ":missing_" + byTopic));
        ConnectException failure = assertThrows(ConnectException.class, () -> {
            task.put(List.of(record(0, null), record(1, named)));
            task.preCommit(Map.of());
            task.put(List.of());
        });
        assertTrue(failure.getMessage().contains("missing_" + byTopic)
                && failure.getMessage().contains("create the table"), failure.getMessage());
        assertFalse(offsets(reported.keySet()).contains(0L), "a table the configuration names is not a bad record");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withToleranceAndExactlyOnceARecordNamingAnUnknownTableIsReportedAndTheOthersLoad(Dialect dialect) {
        createTables(dialect);
        start(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq",
                "delivery.guarantee", "exactly_once", "exactly.once.log.bootstrap.servers", kafka.bootstrapServers()));
        task.put(List.of(record(0, null), record(1, named), record(2, "nope"), record(3, named)));

        assertEquals(Map.of(tp(), new OffsetAndMetadata(4)), task.preCommit(Map.of()),
                "offsets move past the reported record");
        assertEquals(Set.of(0L), ids(DB, byTopic));
        assertEquals(Set.of(1L, 3L), ids(DB, named));
        assertEquals(Set.of(2L), offsets(reported.keySet()));
        assertTrue(reported.values().iterator().next().toLowerCase(java.util.Locale.ROOT).contains("nope"),
                reported.toString());
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "named-" + byTopic);
        props.put("topics", TOPIC);
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", TOPIC + ":" + byTopic);
        props.put("table.field", "target");
        props.put("table.field.allowed", "db.*");
        props.put("target", emulator.dialect() == Dialect.DORIS ? "doris" : "starrocks");
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter(new CollectingReporter());
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
    }

    /** A record whose value is a Map, naming {@code table} in its field (none when null). */
    private static SinkRecord record(long offset, String table) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", offset);
        if (table != null) {
            value.put("target", table);
        }
        return new SinkRecord(TOPIC, 0, null, null, null, value, offset);
    }

    private Set<Long> ids(String db, String table) {
        Set<Long> ids = new TreeSet<>();
        for (Map<String, Object> row : emulator.rows(db, table)) {
            ids.add(((Number) row.get("id")).longValue());
        }
        return ids;
    }

    private static Set<Long> offsets(Set<SinkRecord> records) {
        Set<Long> offsets = new TreeSet<>();
        new ArrayList<>(records).forEach(record -> offsets.add(record.kafkaOffset()));
        return offsets;
    }

    private static TopicPartition tp() {
        return new TopicPartition(TOPIC, 0);
    }

    /** Stands in for the worker's reporter, which writes to the dead letter queue. */
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
