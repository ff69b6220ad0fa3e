package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * What taking records on the intake thread must not change: a record reported to the dead letter
 * queue is in it before any offset past it is committed, although it is reported after the
 * {@code put()} that handed it over returned (and so after Connect's own wait for reports).
 */
class IntakeThreadTaskTest {

    private static final String DB = "db";
    private static final String TABLE = "intake";

    private final List<Long> reported = new CopyOnWriteArrayList<>();
    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;

    @BeforeEach
    void startEmulator() {
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").start();
        emulator.createTable(TableDefinition.builder(DB, TABLE).column("id", "BIGINT", false)
                .duplicateKey("id").build());
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        emulator.close();
    }

    @Test
    void aDeadLetterQueueThatCannotTakeARecordFailsTheTaskAndNoOffsetPastItIsCommitted() {
        start(offset -> CompletableFuture.failedFuture(new IllegalStateException("DLQ topic not writable")));
        task.put(List.of(record(0, "{\"id\":0}"), record(1, "not json"), record(2, "{\"id\":2}")));

        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertTrue(committed.getOrDefault(tp(), new OffsetAndMetadata(0)).offset() <= 1,
                "nothing committed past a record the dead letter queue does not hold: " + committed);
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(List.of()));
        assertTrue(failure.getMessage().contains("Could not write a rejected record to the dead letter queue"),
                failure.getMessage());
        assertEquals(List.of(1L), reported);
    }

    @Test
    void aRecordTheDeadLetterQueueTookIsCommittedPastWithTheRecordsAroundIt() {
        start(offset -> CompletableFuture.completedFuture(null));
        task.put(List.of(record(0, "{\"id\":0}"), record(1, "not json"), record(2, "{\"id\":2}")));

        assertEquals(Map.of(tp(), new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(List.of(1L), reported);
        assertEquals(Set.of(0L, 2L), Set.copyOf(emulator.rows(DB, TABLE).stream()
                .map(row -> ((Number) row.get("id")).longValue()).toList()));
    }

    private void start(Function<Long, Future<Void>> deadLetterQueue) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "intake-test");
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + TABLE);
        props.put("buffer.flush.interval.ms", "3600000");
        props.put("errors.tolerance", "all");
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter((record, error) -> {
            reported.add(record.kafkaOffset());
            return deadLetterQueue.apply(record.kafkaOffset());
        });
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
    }

    private static SinkRecord record(long offset, String value) {
        return new SinkRecord("topic", 0, null, null, null, value, offset);
    }

    private static TopicPartition tp() {
        return new TopicPartition("topic", 0);
    }
}
