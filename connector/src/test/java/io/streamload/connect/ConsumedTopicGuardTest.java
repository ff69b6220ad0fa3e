package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ConsumedTopicGuardTest {

    private static final Set<TopicPartition> ASSIGNED = Set.of(new TopicPartition("orders", 0),
            new TopicPartition("orders", 1));

    @Test
    void onAWorkerBefore36ARenamedTopicFailsTheTaskSayingWhatToChange() {
        ConsumedTopicGuard guard = new ConsumedTopicGuard(false, () -> ASSIGNED, "sink-0");
        assertDoesNotThrow(() -> guard.check(record("orders")));
        ConnectException e = assertThrows(ConnectException.class, () -> guard.check(record("db_orders")));
        assertTrue(e.getMessage().contains("'db_orders'"), e.getMessage());
        assertTrue(e.getMessage().contains("topic2table.map"), e.getMessage());
        assertTrue(e.getMessage().contains("3.6"), e.getMessage());
    }

    @Test
    void theAssignmentIsAskedOnlyWhenTheTopicChanges() {
        AtomicInteger asked = new AtomicInteger();
        ConsumedTopicGuard guard = new ConsumedTopicGuard(false, () -> {
            asked.incrementAndGet();
            return ASSIGNED;
        }, "sink-0");
        for (int i = 0; i < 100; i++) {
            guard.check(record("orders"));
        }
        assertEquals(1, asked.get());
        guard.assignmentChanged();
        guard.check(record("orders"));
        assertEquals(2, asked.get());
    }

    @Test
    void aWorkerThatKeepsTheOriginalTopicIsNotChecked() {
        ConsumedTopicGuard guard = new ConsumedTopicGuard(true, () -> {
            throw new AssertionError("the assignment is not needed");
        }, "sink-0");
        assertDoesNotThrow(() -> guard.check(record("db_orders")));
    }

    private static SinkRecord record(String topic) {
        return new SinkRecord(topic, 0, null, null, null, Map.of("id", 1), 7);
    }
}
