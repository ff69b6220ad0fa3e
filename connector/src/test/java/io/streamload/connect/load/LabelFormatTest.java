package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.PartitionRange;

class LabelFormatTest {

    private final LabelFormat labels = new LabelFormat("kafka", "orders_sink");

    @Test
    void readableLabelNamesEverythingTheBatchIs() {
        assertEquals("kafka-orders_sink-orders-orders-3-100-199",
                labels.labelFor("orders", List.of(range("orders", 3, 100, 199))));
    }

    @Test
    void sameBatchSameLabel() {
        List<PartitionRange> ranges = List.of(range("orders", 0, 5, 9), range("orders", 1, 7, 8));
        assertEquals(labels.labelFor("orders", ranges), labels.labelFor("orders", List.copyOf(ranges)));
    }

    @Test
    void differentOffsetsDifferentLabel() {
        assertNotEquals(labels.labelFor("t", List.of(range("t", 0, 0, 9))),
                labels.labelFor("t", List.of(range("t", 0, 0, 10))));
    }

    @Test
    void batchSpanningPartitionsListsEachInOrder() {
        assertEquals("kafka-orders_sink-t-a-0-1-2-a-1-3-4-b-0-5-6",
                labels.labelFor("t", List.of(range("a", 0, 1, 2), range("a", 1, 3, 4), range("b", 0, 5, 6))));
    }

    @Test
    void sanitisedNamesGetAHashSoTheyCannotCollide() {
        String dotted = labels.labelFor("t", List.of(range("orders.v1", 0, 1, 2)));
        String underscored = labels.labelFor("t", List.of(range("orders_v1", 0, 1, 2)));
        assertTrue(dotted.matches("[-_A-Za-z0-9]+"), dotted);
        assertTrue(dotted.startsWith("kafka-orders_sink-t-orders_v1-0-1-2-"), dotted);
        assertNotEquals(dotted, underscored);
    }

    @Test
    void separatorInANameGetsAHash() {
        // "x-1" partition 2 and "x" partition 1 would otherwise both read "x-1-2-...".
        String a = labels.labelFor("t", List.of(range("x-1", 2, 5, 9)));
        String b = labels.labelFor("t", List.of(range("x", 1, 2, 5)));
        assertNotEquals(a, b);
        assertEquals(LabelFormat.HASH_LENGTH, a.substring(a.lastIndexOf('-') + 1).length());
    }

    @Test
    void longLabelsAreCutTo128WithAHash() {
        List<PartitionRange> ranges = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            ranges.add(range("events", p, 1_000_000L * p, 1_000_000L * p + 999));
        }
        String label = labels.labelFor("events", ranges);
        assertEquals(LabelFormat.MAX_LENGTH, label.length());
        assertTrue(label.matches("[-_A-Za-z0-9]+"), label);
        assertTrue(label.startsWith("kafka-orders_sink-events-events-0-0-999-events-1-"), label);

        List<PartitionRange> other = new ArrayList<>(ranges);
        other.set(39, range("events", 39, 39_000_000L, 39_000_998L));
        assertNotEquals(label, labels.labelFor("events", other), "ranges past the cut still count");
    }

    private static PartitionRange range(String topic, int partition, long first, long last) {
        return new PartitionRange(new TopicPartition(topic, partition), first, last);
    }
}
