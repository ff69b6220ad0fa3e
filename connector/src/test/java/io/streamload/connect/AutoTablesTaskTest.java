package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * auto.create and auto.evolve through real tasks against the emulator, whose FE takes the DDL on
 * its MySQL port: tables made from Debezium events and Struct rows, a column added mid-stream, four
 * tasks racing to add the same column, a busy table waited for, an integer widened, a record that
 * cannot fit reported, a missing privilege named.
 */
class AutoTablesTaskTest {
    private static final String DB = "db";
    private static final String TOPIC = "orders";

    private final Map<SinkRecord, String> reported = new LinkedHashMap<>();
    private final List<StreamLoadSinkTask> tasks = new ArrayList<>();
    private StreamLoadEmulator emulator;

    @AfterEach
    void stop() {
        tasks.forEach(StreamLoadSinkTask::stop);
        if (emulator != null) {
            emulator.close();
        }
    }

    private void startEmulator(Dialect dialect) {
        emulator = StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret").mysqlPort(0)
                .modifyColumnTime(Duration.ofMillis(300)).start();
        emulator.createDatabase(DB);
    }

    private static final Schema KEY = SchemaBuilder.struct().name("dbserver.inventory.orders.Key")
            .field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW_V1 = SchemaBuilder.struct().name("dbserver.inventory.orders.Value").optional()
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ROW_V2 = SchemaBuilder.struct().name("dbserver.inventory.orders.Value").optional()
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA).build();

    private static Schema envelope(Schema row) {
        return SchemaBuilder.struct().name("dbserver.inventory.orders.Envelope")
                .field("before", row).field("after", row).field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    }

    /** A Debezium change event (op c or u) of the source table's row, v1 without email, v2 with it. */
    private static SinkRecord change(int partition, long offset, long id, String op, String email, boolean v2) {
        Schema row = v2 ? ROW_V2 : ROW_V1;
        Struct after = new Struct(row).put("id", id).put("name", "n" + id);
        if (v2) {
            after.put("email", email);
        }
        Schema env = envelope(row);
        Struct value = new Struct(env).put("after", after).put("op", op).put("ts_ms", 1L);
        return new SinkRecord(TOPIC, partition, KEY, new Struct(KEY).put("id", id), env, value, offset);
    }

    private StreamLoadSinkTask start(int partition, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "auto-tables");
        props.put("topics", TOPIC);
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("target", emulator.dialect() == Dialect.DORIS ? "doris" : "starrocks");
        props.put("auto.create", "true");
        props.put("auto.evolve", "true");
        props.put("ddl.port", Integer.toString(emulator.mysqlPort()));
        props.put("auto.create.properties", "replication_num=1");
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        StreamLoadSinkTask task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter(new CollectingReporter());
        task.initialize(context);
        task.start(props);
        TopicPartition tp = new TopicPartition(TOPIC, partition);
        context.assign(List.of(tp));
        task.open(List.of(tp));
        tasks.add(task);
        return task;
    }

    private Map<Long, Map<String, Object>> rowsById(String table) {
        Map<Long, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            out.put(((Number) row.get("id")).longValue(), row);
        }
        return out;
    }

    private long ddlCount(String prefix) {
        return emulator.ddlStatements().stream().filter(s -> s.startsWith(prefix)).count();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aDebeziumTableThatGainsAColumnMidStreamLoadsEveryRecordAndTheColumnFromItsFirstRecord(Dialect dialect) {
        startEmulator(dialect);
        StreamLoadSinkTask task = start(0, Map.of("cdc.mode", "debezium"));
        List<SinkRecord> records = new ArrayList<>();
        for (long i = 0; i < 5; i++) {
            records.add(change(0, i, i, "c", null, false));
        }
        for (long i = 5; i < 10; i++) {
            records.add(change(0, i, i, "c", "e" + i + "@example.com", true));
        }
        records.add(change(0, 10, 2, "u", "e2@example.com", true)); // an update of an earlier row
        task.put(records);
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(11)), task.preCommit(Map.of()));

        Map<Long, Map<String, Object>> rows = rowsById(TOPIC);
        assertEquals(10, rows.size(), "one row per key: " + rows);
        for (long i = 0; i < 10; i++) {
            Object email = rows.get(i).get("email");
            if (i >= 5) {
                assertEquals("e" + i + "@example.com", email, "from the first record that carries it");
            } else if (i == 2) {
                assertEquals("e2@example.com", email, "the update set it");
            } else {
                assertNull(email, "rows loaded before the column existed");
            }
        }
        TableDefinition def = definition(TOPIC);
        assertEquals(List.of("id"), def.keys(), "keyed on Debezium's key");
        assertEquals("PRIMARY_KEY", def.model().name());
        assertEquals(1, ddlCount("CREATE TABLE"), emulator.ddlStatements().toString());
        assertEquals(1, ddlCount("ALTER TABLE"), emulator.ddlStatements().toString());
        assertTrue(emulator.ddlStatements().get(0).contains(dialect == Dialect.DORIS
                ? "UNIQUE KEY(`id`)" : "PRIMARY KEY(`id`)"), emulator.ddlStatements().get(0));
        assertTrue(reported.isEmpty(), reported.toString());
    }

    private TableDefinition definition(String table) {
        return emulator.definition(DB, table);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void fourTasksRacingToCreateTheTableAndAddTheSameColumnApplyEachChangeOnce(Dialect dialect) throws Exception {
        startEmulator(dialect);
        int n = 4;
        List<StreamLoadSinkTask> racing = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            racing.add(start(p, Map.of("cdc.mode", "debezium")));
        }
        CyclicBarrier together = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Map<TopicPartition, OffsetAndMetadata>>> done = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                int partition = p;
                StreamLoadSinkTask task = racing.get(p);
                done.add(pool.submit(() -> {
                    long base = partition * 1000L;
                    together.await();
                    task.put(List.of(change(partition, 0, base, "c", null, false)));
                    together.await();
                    task.put(List.of(change(partition, 1, base + 1, "c", "x" + partition, true)));
                    return task.preCommit(Map.of());
                }));
            }
            for (int p = 0; p < n; p++) {
                assertEquals(Map.of(new TopicPartition(TOPIC, p), new OffsetAndMetadata(2)),
                        done.get(p).get(60, TimeUnit.SECONDS), "task " + p + " loaded both records");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ddlCount("CREATE TABLE"), emulator.ddlStatements().toString());
        assertEquals(1, ddlCount("ALTER TABLE"), emulator.ddlStatements().toString());
        Map<Long, Map<String, Object>> rows = rowsById(TOPIC);
        assertEquals(2 * n, rows.size());
        for (int p = 0; p < n; p++) {
            assertEquals("x" + p, rows.get(p * 1000L + 1).get("email"));
        }
    }

    private static final Schema PLAIN_V1 = SchemaBuilder.struct().name("plain.Value")
            .field("id", Schema.INT64_SCHEMA).field("qty", Schema.OPTIONAL_INT32_SCHEMA).build();

    private static SinkRecord plain(long offset, Schema schema, Struct value) {
        return new SinkRecord("plain", 0, null, null, schema, value, offset);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aPlainStructTopicGetsADuplicateKeyTableAndAnIntegerColumnIsWidened(Dialect dialect) {
        startEmulator(dialect);
        StreamLoadSinkTask task = start(0, Map.of("topics", "plain"));
        task.open(List.of(new TopicPartition("plain", 0)));
        Schema wider = SchemaBuilder.struct().name("plain.Value")
                .field("id", Schema.INT64_SCHEMA).field("qty", Schema.OPTIONAL_INT64_SCHEMA).build();
        task.put(List.of(plain(0, PLAIN_V1, new Struct(PLAIN_V1).put("id", 1L).put("qty", 7)),
                plain(1, wider, new Struct(wider).put("id", 2L).put("qty", 5_000_000_000L))));
        task.preCommit(Map.of());

        TableDefinition def = definition("plain");
        assertEquals("DUPLICATE_KEY", def.model().name(), "no record key names key columns");
        assertEquals("BIGINT", def.column("qty").type().declared(), "INT widened to BIGINT");
        assertEquals(List.of(7L, 5_000_000_000L), emulator.rows(DB, "plain").stream().map(r -> r.get("qty")).toList());
        assertTrue(emulator.ddlStatements().get(1).contains("MODIFY COLUMN `qty` BIGINT NULL"),
                emulator.ddlStatements().toString());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aRecordNoWideningFitsGoesToTheDeadLetterQueueWithTheReason(Dialect dialect) {
        startEmulator(dialect);
        emulator.createTable(TableDefinition.builder(DB, "plain").column("id", "BIGINT", false)
                .column("qty", "INT", true).duplicateKey("id").build());
        StreamLoadSinkTask task = start(0, Map.of("topics", "plain", "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "dlq"));
        task.open(List.of(new TopicPartition("plain", 0)));
        Schema text = SchemaBuilder.struct().name("plain.Text")
                .field("id", Schema.INT64_SCHEMA).field("qty", Schema.OPTIONAL_STRING_SCHEMA).build();
        task.put(List.of(plain(0, PLAIN_V1, new Struct(PLAIN_V1).put("id", 1L).put("qty", 7)),
                plain(1, text, new Struct(text).put("id", 2L).put("qty", "seven")),
                plain(2, PLAIN_V1, new Struct(PLAIN_V1).put("id", 3L).put("qty", 9))));
        assertEquals(Map.of(new TopicPartition("plain", 0), new OffsetAndMetadata(3)), task.preCommit(Map.of()));

        assertEquals(List.of(1L, 3L), emulator.rows(DB, "plain").stream().map(r -> r.get("id")).toList());
        assertEquals(1, reported.size());
        String reason = reported.values().iterator().next();
        assertTrue(reason.contains("field 'qty'") && reason.contains("db.plain.qty is INT")
                && reason.contains("auto.evolve"), reason);
        assertEquals(0, emulator.ddlStatements().size(), "nothing narrowed or retyped");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTableBusyWithAnotherSchemaChangeMakesTheRecordWaitNotFail(Dialect dialect) {
        startEmulator(dialect);
        emulator.createTable(TableDefinition.builder(DB, "plain").column("id", "BIGINT", false)
                .column("qty", "INT", true).duplicateKey("id").build());
        StreamLoadSinkTask task = start(0, Map.of("topics", "plain"));
        task.open(List.of(new TopicPartition("plain", 0)));
        Schema more = SchemaBuilder.struct().name("plain.More").field("id", Schema.INT64_SCHEMA)
                .field("qty", Schema.OPTIONAL_INT32_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        emulator.sql().holdSchemaChange(DB, "plain", Duration.ofMillis(1500));
        long started = System.nanoTime();
        task.put(List.of(plain(0, more, new Struct(more).put("id", 1L).put("qty", 1).put("note", "waited"))));
        task.preCommit(Map.of());
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertTrue(waitedMs >= 1000, "the record waited for the other schema change (" + waitedMs + " ms)");
        assertEquals("waited", emulator.rows(DB, "plain").get(0).get("note"));
        assertEquals(1, ddlCount("ALTER TABLE"));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMissingAlterPrivilegeFailsTheTaskNamingIt(Dialect dialect) {
        startEmulator(dialect);
        emulator.createTable(TableDefinition.builder(DB, "plain").column("id", "BIGINT", false)
                .column("qty", "INT", true).duplicateKey("id").build());
        emulator.sql().privilege("ALTER", false);
        StreamLoadSinkTask task = start(0, Map.of("topics", "plain", "errors.tolerance", "all"));
        task.open(List.of(new TopicPartition("plain", 0)));
        Schema more = SchemaBuilder.struct().name("plain.More").field("id", Schema.INT64_SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA).build();

        task.put(List.of(plain(0, more, new Struct(more).put("id", 1L).put("note", "x"))));
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(List.of()));
        String message = failure.getMessage();
        assertTrue(message.contains("user 'root' lacks the privilege") && message.contains(dialect == Dialect.DORIS
                ? "ALTER TABLE command denied to user 'root'" : "the ALTER privilege(s) on TABLE plain"), message);
        assertTrue(message.contains(dialect == Dialect.DORIS ? "GRANT ALTER_PRIV ON db.plain" : "GRANT ALTER ON TABLE db.plain"),
                message);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void whenAnotherTaskAddedPartOfTheColumnsTheRestAreStillAdded(Dialect dialect) throws Exception {
        startEmulator(dialect);
        StreamLoadSinkTask task = start(0, Map.of("topics", "plain"));
        task.open(List.of(new TopicPartition("plain", 0)));
        task.put(List.of(plain(0, PLAIN_V1, new Struct(PLAIN_V1).put("id", 1L).put("qty", 1))));
        task.preCommit(Map.of());
        // Another task adds x after this one read the table.
        try (var c = java.sql.DriverManager.getConnection(emulator.jdbcUrl(), "root", "secret");
             var s = c.createStatement()) {
            s.execute("ALTER TABLE db.plain ADD COLUMN x VARCHAR(20) NULL");
        }
        Schema both = SchemaBuilder.struct().name("plain.Both").field("id", Schema.INT64_SCHEMA)
                .field("qty", Schema.OPTIONAL_INT32_SCHEMA).field("x", Schema.OPTIONAL_STRING_SCHEMA)
                .field("y", Schema.OPTIONAL_STRING_SCHEMA).build();
        task.put(List.of(plain(1, both, new Struct(both).put("id", 2L).put("qty", 2).put("x", "ex").put("y", "why"))));
        task.preCommit(Map.of());

        Map<String, Object> row = rowsById("plain").get(2L);
        assertEquals("ex", row.get("x"));
        assertEquals("why", row.get("y"));
        List<String> ddl = emulator.ddlStatements();
        assertEquals(3, ddl.size(), ddl.toString());
        assertEquals("ALTER TABLE `db`.`plain` ADD COLUMN `y` VARCHAR(65533) NULL", ddl.get(2),
                "after losing x to the other task, only y is sent");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void changeEventsWithoutAKeyNeverMakeADuplicateKeyTable(Dialect dialect) {
        startEmulator(dialect);
        StreamLoadSinkTask task = start(0, Map.of("cdc.mode", "debezium", "errors.tolerance", "all"));
        SinkRecord keyed = change(0, 0, 1, "c", null, false);
        SinkRecord keyless = new SinkRecord(TOPIC, 0, null, null, keyed.valueSchema(), keyed.value(), 0);
        task.put(List.of(keyless));
        task.preCommit(Map.of());
        assertEquals(0, emulator.ddlStatements().size(), "no table made");
        assertTrue(reported.values().iterator().next().contains("deletes apply only to a keyed table"),
                reported.toString());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMysqlPortOutOfReachFailsTheTaskNamingWhereDdlGoes(Dialect dialect) throws Exception {
        startEmulator(dialect);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        StreamLoadSinkTask task = start(0, Map.of("topics", "plain", "ddl.port", Integer.toString(closed),
                "ddl.timeout.ms", "1000", "load.connect.timeout.ms", "500"));
        task.open(List.of(new TopicPartition("plain", 0)));
        task.put(List.of(plain(0, PLAIN_V1, new Struct(PLAIN_V1).put("id", 1L).put("qty", 1))));
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(List.of()));
        assertTrue(failure.getMessage().contains("jdbc:mysql://127.0.0.1:" + closed + "/"), failure.getMessage());
        assertTrue(failure.getMessage().contains("db.plain"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("secret"), "no password in the message");
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
