package io.streamload.connect.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.streamload.connect.buffer.PartitionRange;

/** The header naming an intent's source partitions: written in order, read without surprises. */
class SourcePartitionsTest {

    private static final SourcePartitions.Selection OPENED = new SourcePartitions.Selection(List.of(
            new TopicPartition("orders", 1), new TopicPartition("orders", 12), new TopicPartition("refunds.v2", 0)));

    @Test
    void topicsAndPartitionsAreWrittenInOrder() {
        byte[] header = SourcePartitions.encode(List.of(range("refunds.v2", 0), range("orders", 12),
                range("orders", 1), range("orders", 3)));
        assertEquals("orders:1,3,12;refunds.v2:0", new String(header, StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheOpenedPartitionsItNamesAreReturned() {
        assertEquals(List.of(new TopicPartition("orders", 1), new TopicPartition("orders", 12),
                new TopicPartition("refunds.v2", 0)), named("orders:1,3,12;refunds.v2:0"));
        assertEquals(List.of(), named("orders:0,2,11,121;refunds:0;refunds.v2:1"));
        assertEquals(List.of(), named(""), "an entry without ranges names nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", ":1", "orders:", "orders:1,", "orders:1;", "orders:x", "orders:1 ",
        "orders:12345678901", "orders:-1"})
    void aValueItCannotReadMakesTheEntryBeParsed(String value) {
        assertNull(named(value));
    }

    private static List<TopicPartition> named(String value) {
        return OPENED.named(value.getBytes(StandardCharsets.UTF_8));
    }

    private static PartitionRange range(String topic, int partition) {
        return new PartitionRange(new TopicPartition(topic, partition), 0, 9);
    }
}
