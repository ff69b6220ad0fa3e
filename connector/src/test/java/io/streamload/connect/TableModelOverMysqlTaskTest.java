package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table's key model read through {@code SHOW CREATE TABLE} on the FE's MySQL port when the HTTP
 * API does not tell (the emulator's FE here serves neither {@code _schema} nor {@code _get_ddl}):
 * change events are refused for a duplicate key table and applied to a keyed one, and a task that
 * names no MySQL port is never made to reach one.
 */
class TableModelOverMysqlTaskTest {
    private static final String DB = "db";
    private static final String TOPIC = "orders";

    private final List<StreamLoadSinkTask> tasks = new ArrayList<>();
    private StreamLoadEmulator emulator;

    @AfterEach
    void stop() {
        tasks.forEach(StreamLoadSinkTask::stop);
        if (emulator != null) {
            emulator.close();
        }
    }

    private void startEmulator(Dialect dialect, boolean keyed) {
        emulator = StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret").mysqlPort(0)
                .tableMetadataOverHttp(false).start();
        TableDefinition.Builder table = TableDefinition.builder(DB, TOPIC).column("id", "BIGINT", false)
                .column("name", "VARCHAR(32)", true);
        emulator.createTable(keyed ? table.primaryKey("id").build() : table.duplicateKey("id").build());
    }

    private StreamLoadSinkTask start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "models");
        props.put("topics", TOPIC);
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("target", emulator.dialect() == Dialect.DORIS ? "doris" : "starrocks");
        props.put("cdc.mode", "debezium");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        StreamLoadSinkTask task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        tasks.add(task);
        task.start(props);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        context.assign(List.of(tp));
        task.open(List.of(tp));
        return task;
    }

    private Map<String, String> withMysqlPort() {
        return Map.of("ddl.port", Integer.toString(emulator.mysqlPort()));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aDuplicateKeyTableIsRefusedFromItsShowCreateTable(Dialect dialect) {
        startEmulator(dialect, false);
        ConnectException e = assertThrows(ConnectException.class, () -> start(withMysqlPort()));
        String keyed = dialect == Dialect.DORIS ? "unique key" : "primary key";
        assertTrue(e.getMessage().contains("cdc.mode=debezium needs " + keyed + " tables, but " + TOPIC + " is not one"),
                e.getMessage());
        assertTrue(emulator.sql().statementCount() > 0, "asked on the MySQL port");
        assertEquals(0, emulator.loads().size(), "nothing loaded");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aKeyedTableTakesChangeEventsDeletesIncluded(Dialect dialect) {
        startEmulator(dialect, true);
        StreamLoadSinkTask task = start(withMysqlPort());
        task.put(List.of(change(0, 1, "c"), change(1, 2, "c"), change(2, 1, "d")));
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        List<Map<String, Object>> rows = emulator.rows(DB, TOPIC);
        assertEquals(1, rows.size(), "the delete applied: " + rows);
        assertEquals(2L, ((Number) rows.get(0).get("id")).longValue());
    }

    /** Without auto tables or a named MySQL port the check is skipped, as before, and the port is never asked. */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTaskThatNamesNoMysqlPortNeverReachesOne(Dialect dialect) {
        startEmulator(dialect, false);
        start(Map.of());
        assertEquals(0, emulator.sql().statementCount(), "no statement on the MySQL port");
    }

    private static final Schema KEY = SchemaBuilder.struct().name("src.orders.Key")
            .field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("src.orders.Value").optional()
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("src.orders.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA).build();

    private static SinkRecord change(long offset, long id, String op) {
        Struct row = new Struct(ROW).put("id", id).put("name", "n" + id);
        Struct value = new Struct(ENVELOPE).put("op", op);
        value.put(op.equals("d") ? "before" : "after", row);
        return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), ENVELOPE, value, offset);
    }
}
