package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Everything a task asks the target travels through its one HTTP client: every connection the
 * emulator sees open, table-model queries' included, is one the task's connection pool holds, and
 * none is left once the task stopped.
 */
class OneClientTaskTest {

    private static final String DB = "db";

    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;

    @BeforeEach
    void startEmulator() {
        emulator = StreamLoadEmulator.builder().dialect(Dialect.STARROCKS).credentials("root", "secret").start();
        emulator.createTable(TableDefinition.builder(DB, "keyed").column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true).primaryKey("id").build());
        emulator.createTable(TableDefinition.builder(DB, "events").column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true).duplicateKey("id").build());
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        emulator.close();
    }

    @Test
    void theKeyedTableCheckAtStartAsksOverTheTasksOwnConnection() throws Exception {
        // A partial update needs a keyed table: start() asks the FE for the table's model.
        start(Map.of("topic2table.map", "topic:keyed", "partial.update", "true"));
        assertEquals(1, emulator.openConnections(), "the model query's connection, kept alive");
        assertEquals(1, task.openConnections(), "held by the task's one pool");

        task.stop();
        task = null;
        waitFor(() -> emulator.openConnections() == 0, Duration.ofSeconds(10), "no connection left after stop");
    }

    @Test
    void modelQueriesAndLoadsShareOnePool() throws Exception {
        // More than one load per table at once: the first batch of a table asks the table's model.
        start(Map.of("topic2table.map", "topic:events", "max.in.flight.loads.per.table", "2",
                "buffer.max.records", "10"));
        long before = emulator.requestCount();
        task.put(records(40));
        assertEquals(Map.of(new TopicPartition("topic", 0), new OffsetAndMetadata(40)), task.preCommit(Map.of()));
        assertEquals(40, emulator.rowCount(DB, "events"));
        assertTrue(emulator.requestCount() - before >= 9, "four batches at an FE and a BE, and the model query");
        // A connection the FE closed after its 307 may take a moment to end on the target's side.
        waitFor(() -> emulator.openConnections() == task.openConnections(), Duration.ofSeconds(10),
                "the connections the target sees to be those the task's pool holds");
        assertEquals(emulator.openConnections(), task.openConnections(),
                "every connection open at the target is one the task's pool holds");
        assertTrue(task.openConnections() > 0, "connections are kept alive");

        task.stop();
        task = null;
        waitFor(() -> emulator.openConnections() == 0, Duration.ofSeconds(10), "no connection left after stop");
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "one-client");
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(new TopicPartition("topic", 0)));
        task.open(List.of(new TopicPartition("topic", 0)));
    }

    private static List<SinkRecord> records(int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new SinkRecord("topic", 0, null, null, null, "{\"id\":" + i + ",\"name\":\"n" + i + "\"}", i));
        }
        return records;
    }
}
