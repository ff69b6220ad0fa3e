package io.streamload.connect.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.streamload.connect.encode.JsonRowEncoder;
import io.streamload.connect.load.LabelFormat;

/** The part of a batch without some of its records: its body, its records, and ranges that leave them out. */
class BatchWithoutTest {

    private static final BodyFraming JSON_ARRAY = BodyFraming.of("[", ",", "]");
    private static final LabelFormat LABELS = new LabelFormat("test", "without");

    @Test
    void theRestCarriesEveryOtherRowAndItsRangesSkipTheRowsLeftOut() throws Exception {
        // Offsets 0..9 of partitions 0 and 1, interleaved: row 2k is p0@k, row 2k+1 is p1@k.
        Batch batch = batch(10);

        Batch rest = batch.without(Set.of(4, 5, 6, 19), JSON_ARRAY, LABELS);

        assertEquals(16, rest.recordCount());
        StringBuilder expected = new StringBuilder("[");
        for (int row = 0; row < 20; row++) {
            if (!Set.of(4, 5, 6, 19).contains(row)) {
                expected.append(expected.length() > 1 ? "," : "").append("{\"id\":").append(row).append('}');
            }
        }
        assertEquals(expected.append(']').toString(), text(rest));
        assertEquals(List.of(
                new PartitionRange(tp(0), 0, 1), new PartitionRange(tp(0), 4, 9),
                new PartitionRange(tp(1), 0, 1), new PartitionRange(tp(1), 3, 8)), rest.ranges(),
                "p0@2 and p0@3 (rows 4, 6), p1@2 and p1@9 (rows 5, 19) are in no range");
        assertEquals(batch.rows().offset(7), rest.rows().offset(4));
        assertSame(batch.rows().record(7), rest.rows().record(4), "the records themselves, for reports");
        assertEquals(List.of(), rest.ledgerEntries(), "a part is confirmed through its batch");
    }

    @Test
    void theSameRowsLeftOutGiveTheSameLabelAndOthersAnother() throws Exception {
        Batch batch = batch(10);

        String label = batch.without(Set.of(3), JSON_ARRAY, LABELS).label();

        assertEquals(label, batch(10).without(Set.of(3), JSON_ARRAY, LABELS).label());
        assertNotEquals(label, batch.without(Set.of(5), JSON_ARRAY, LABELS).label());
        assertNotEquals(label, batch.label());
    }

    @Test
    void leavingEveryRowOutIsRefused() throws Exception {
        Batch batch = batch(1);
        assertThrows(IllegalArgumentException.class, () -> batch.without(Set.of(0, 1), JSON_ARRAY, LABELS));
    }

    private static Batch batch(int perPartition) throws Exception {
        TableBuffer buffer = new TableBuffer("t", JSON_ARRAY, Long.MAX_VALUE, Long.MAX_VALUE, true);
        int id = 0;
        for (long offset = 0; offset < perPartition; offset++) {
            for (int partition = 0; partition < 2; partition++) {
                buffer.append(new SinkRecord("topic", partition, null, null, null, Map.of("id", id++), offset),
                        new JsonRowEncoder(), System.nanoTime());
            }
        }
        TableBuffer.Sealed sealed = buffer.seal();
        return new Batch("t", LABELS.labelFor("t", sealed.ranges(), sealed.body(), Map.of()), sealed.body(),
                sealed.rows().size(), sealed.ranges(), List.of(), sealed.rows());
    }

    private static String text(Batch batch) {
        return new String(batch.body().copyRange(0, batch.body().size()), StandardCharsets.UTF_8);
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("topic", partition);
    }
}
