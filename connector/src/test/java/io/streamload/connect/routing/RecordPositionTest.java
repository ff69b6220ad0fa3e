package io.streamload.connect.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordPositionTest {

    @Test
    void aRenamedRecordIsTrackedUnderThePartitionItWasReadFrom() {
        SinkRecord read = new SinkRecord("orders", 3, null, null, null, Map.of("id", 1), 41);
        SinkRecord renamed = read.newRecord("renamed", 0, null, null, null, Map.of("id", 1), null);
        assertEquals(new TopicPartition("orders", 3), RecordPosition.partition(renamed));
        assertEquals(41, RecordPosition.offset(renamed));
    }

    @Test
    void theOriginalCoordinatesAreUsedOnlyWhereTheWorkersRecordsHaveThem() {
        // This build compiles against Kafka 3.6+; a 3.4 or 3.5 worker's SinkRecord lacks them, as
        // any ConnectRecord without the methods does.
        assertTrue(RecordPosition.WORKER_KEEPS_ORIGINAL);
        assertTrue(RecordPosition.hasOriginalCoordinates(SinkRecord.class));
        assertFalse(RecordPosition.hasOriginalCoordinates(SourceRecord.class));
    }
}
