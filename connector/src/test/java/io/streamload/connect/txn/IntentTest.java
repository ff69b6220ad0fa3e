package io.streamload.connect.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.PartitionRange;

/** The intent log's entries: what they carry, and that entries of earlier versions still read. */
class IntentTest {

    private static final List<PartitionRange> RANGES = List.of(
            new PartitionRange(new TopicPartition("orders", 0), 0, 99),
            new PartitionRange(new TopicPartition("refunds", 3), 10, 19));

    @Test
    void topicIdsSurviveTheLogAndEveryStateChange() throws Exception {
        Intent begun = new Intent("c", "label-1", "db.t", -1, Intent.State.BEGUN, RANGES,
                Map.of("orders", "AAAAAAAAAAAAAAAAAAAAAQ", "refunds", "AAAAAAAAAAAAAAAAAAAAAg"));
        Intent prepared = begun.with(Intent.State.PREPARED, 42);
        assertEquals(begun.topicIds(), prepared.topicIds(), "a state change keeps the ids");
        assertEquals(prepared, Intent.fromJson(prepared.toJson()));
    }

    @Test
    void anEntryOfAnEarlierVersionReadsWithoutTopicIds() throws Exception {
        String earlier = "{\"connector\":\"c\",\"label\":\"label-1\",\"table\":\"t\",\"txnId\":7,\"state\":\"COMMITTED\","
                + "\"ranges\":[{\"topic\":\"orders\",\"partition\":0,\"first\":0,\"last\":99}]}";
        Intent intent = Intent.fromJson(earlier.getBytes(StandardCharsets.UTF_8));
        assertEquals(new Intent("c", "label-1", "t", 7, Intent.State.COMMITTED, RANGES.subList(0, 1), Map.of()),
                intent);
    }

    @Test
    void anIntentWithoutTopicIdsIsWrittenAsEarlierVersionsWroteIt() throws Exception {
        Intent intent = new Intent("c", "label-1", "t", -1, Intent.State.BEGUN, RANGES, Map.of());
        assertFalse(new String(intent.toJson(), StandardCharsets.UTF_8).contains("topicIds"),
                "no new field an earlier version would have to skip");
    }
}
