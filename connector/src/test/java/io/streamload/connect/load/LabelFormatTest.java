package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.buffer.PartitionRange;

class LabelFormatTest {

    private static final String ROWS = "[{\"id\":1},{\"id\":2}]";

    private final LabelFormat labels = new LabelFormat("kafka", "orders_sink");

    @Test
    void readableLabelNamesEverythingTheBatchIsThenItsIdentity() {
        String label = label("orders", ROWS, range("orders", 3, 100, 199));
        assertTrue(label.matches("kafka-orders_sink-orders-orders-3-100-199-[0-9a-f]{16}"), label);
    }

    @Test
    void sameRecordsSameLabel() {
        List<PartitionRange> ranges = List.of(range("orders", 0, 5, 9), range("orders", 1, 7, 8));
        assertEquals(labels.labelFor("orders", ranges, body(ROWS), Map.of()),
                labels.labelFor("orders", List.copyOf(ranges), body(ROWS), Map.of()));
    }

    @Test
    void otherRecordsAtTheSameOffsetsGetAnotherLabel() {
        // A topic deleted and created again, or a same-named topic of another cluster: the
        // offsets are the same, the records are not.
        assertNotEquals(label("t", "[{\"id\":1}]", range("t", 0, 0, 9)),
                label("t", "[{\"id\":2}]", range("t", 0, 0, 9)));
        assertNotEquals(label("t", "[{\"id\":1}]", range("t", 0, 0, 9)),
                label("t", "[{\"id\":1}] ", range("t", 0, 0, 9)), "one more byte");
    }

    @Test
    void theBatchsOwnHeadersArePartOfItsIdentity() {
        List<PartitionRange> ranges = List.of(range("t", 0, 0, 9));
        assertNotEquals(labels.labelFor("t", ranges, body(ROWS), Map.of("columns", "id")),
                labels.labelFor("t", ranges, body(ROWS), Map.of("columns", "id,name")));
        assertEquals(labels.labelFor("t", ranges, body(ROWS), Map.of("a", "1", "b", "2")),
                labels.labelFor("t", ranges, body(ROWS), new java.util.TreeMap<>(Map.of("b", "2", "a", "1"))));
    }

    @Test
    void differentOffsetsDifferentLabel() {
        assertNotEquals(label("t", ROWS, range("t", 0, 0, 9)), label("t", ROWS, range("t", 0, 0, 10)));
    }

    @Test
    void batchSpanningPartitionsListsEachInOrder() {
        String label = label("t", ROWS, range("a", 0, 1, 2), range("a", 1, 3, 4), range("b", 0, 5, 6));
        assertTrue(label.startsWith("kafka-orders_sink-t-a-0-1-2-a-1-3-4-b-0-5-6-"), label);
    }

    @Test
    void sanitisedNamesCannotCollide() {
        String dotted = label("t", ROWS, range("orders.v1", 0, 1, 2));
        String underscored = label("t", ROWS, range("orders_v1", 0, 1, 2));
        assertTrue(dotted.matches("[-_A-Za-z0-9]+"), dotted);
        assertTrue(dotted.startsWith("kafka-orders_sink-t-orders_v1-0-1-2-"), dotted);
        assertNotEquals(dotted, underscored);
    }

    @Test
    void separatorInANameCannotCollide() {
        // "x-1" partition 2 and "x" partition 1 would otherwise both read "x-1-2-...".
        String a = label("t", ROWS, range("x-1", 2, 5, 9));
        String b = label("t", ROWS, range("x", 1, 2, 5));
        assertNotEquals(a, b);
        assertEquals(LabelFormat.HASH_LENGTH, a.substring(a.lastIndexOf('-') + 1).length());
    }

    @Test
    void longLabelsAreCutTo128WithTheIdentityKept() {
        List<PartitionRange> ranges = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            ranges.add(range("events", p, 1_000_000L * p, 1_000_000L * p + 999));
        }
        String label = labels.labelFor("events", ranges, body(ROWS), Map.of());
        assertEquals(LabelFormat.MAX_LENGTH, label.length());
        assertTrue(label.matches("[-_A-Za-z0-9]+"), label);
        assertTrue(label.startsWith("kafka-orders_sink-events-events-0-0-999-events-1-"), label);

        List<PartitionRange> other = new ArrayList<>(ranges);
        other.set(39, range("events", 39, 39_000_000L, 39_000_998L));
        assertNotEquals(label, labels.labelFor("events", other, body(ROWS), Map.of()), "ranges past the cut still count");
    }

    @Test
    void aBodyOfManyChunksIsReadWhole() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            big.append("{\"id\":").append(i).append("},");
        }
        String changedAtTheEnd = big.substring(0, big.length() - 2) + "9,";
        assertNotEquals(label("t", big.toString(), range("t", 0, 0, 99_999)),
                label("t", changedAtTheEnd, range("t", 0, 0, 99_999)));
    }

    private String label(String table, String rows, PartitionRange... ranges) {
        return labels.labelFor(table, List.of(ranges), body(rows), Map.of());
    }

    private static ChunkedBytes body(String rows) {
        ChunkedBytes body = new ChunkedBytes();
        byte[] bytes = rows.getBytes(StandardCharsets.UTF_8);
        body.write(bytes, 0, bytes.length);
        return body;
    }

    private static PartitionRange range(String topic, int partition, long first, long last) {
        return new PartitionRange(new TopicPartition(topic, partition), first, last);
    }
}
