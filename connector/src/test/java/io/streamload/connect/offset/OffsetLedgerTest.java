package io.streamload.connect.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);

    private final OffsetLedger ledger = new OffsetLedger();

    @Test
    void nothingConfirmedNothingReported() {
        ledger.open(List.of(P0));
        ledger.register(P0, 0, 9);
        assertEquals(Map.of(), ledger.committableOffsets());
    }

    @Test
    void reportsTheOffsetAfterTheConfirmedRange() {
        ledger.open(List.of(P0));
        ledger.confirm(ledger.register(P0, 0, 9));
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), ledger.committableOffsets());
    }

    @Test
    void onlyTheLongestConfirmedPrefixCounts() {
        ledger.open(List.of(P0));
        OffsetLedger.Entry first = ledger.register(P0, 0, 9);
        OffsetLedger.Entry second = ledger.register(P0, 10, 19);
        OffsetLedger.Entry third = ledger.register(P0, 20, 29);

        ledger.confirm(third);
        ledger.confirm(second);
        assertEquals(Map.of(), ledger.committableOffsets(), "the first range holds everything back");

        ledger.confirm(first);
        assertEquals(Map.of(P0, new OffsetAndMetadata(30)), ledger.committableOffsets());
    }

    @Test
    void offsetGapsBetweenRangesDoNotHoldBack() {
        ledger.open(List.of(P0));
        // Offsets 10..14 never reached the task (compaction, transaction markers).
        ledger.confirm(ledger.register(P0, 0, 9));
        ledger.confirm(ledger.register(P0, 15, 19));
        assertEquals(Map.of(P0, new OffsetAndMetadata(20)), ledger.committableOffsets());
    }

    @Test
    void aFailedRangeHoldsBackEverythingBehindIt() {
        ledger.open(List.of(P0));
        ledger.confirm(ledger.register(P0, 0, 9));
        ledger.register(P0, 10, 19); // never confirmed: its load failed
        ledger.confirm(ledger.register(P0, 20, 29));
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), ledger.committableOffsets());
    }

    @Test
    void everyConfirmedPartitionIsReportedAgainEvenWithNothingNew() {
        // The worker may have failed to commit what it was given: it gets it again.
        ledger.open(List.of(P0, P1, P2));
        ledger.confirm(ledger.register(P0, 0, 9));
        ledger.confirm(ledger.register(P1, 0, 4));
        assertEquals(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(5)), ledger.committableOffsets());

        ledger.confirm(ledger.register(P1, 5, 6));
        assertEquals(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(7)), ledger.committableOffsets());
        assertEquals(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(7)), ledger.committableOffsets(),
                "P2 has nothing confirmed: left out");
    }

    @Test
    void closedPartitionsAreNeverReported() {
        ledger.open(List.of(P0, P1));
        OffsetLedger.Entry p0 = ledger.register(P0, 0, 9);
        ledger.confirm(ledger.register(P1, 0, 9));
        ledger.close(List.of(P0, P1));

        ledger.confirm(p0); // a load that finished after the partition was revoked
        assertEquals(Map.of(), ledger.committableOffsets());
    }

    @Test
    void aReopenedPartitionIgnoresLoadsFromBeforeItsRevocation() {
        ledger.open(List.of(P0));
        OffsetLedger.Entry old = ledger.register(P0, 0, 9);
        ledger.close(List.of(P0));
        ledger.open(List.of(P0));
        OffsetLedger.Entry fresh = ledger.register(P0, 0, 4);

        ledger.confirm(old);
        assertEquals(Map.of(), ledger.committableOffsets());
        ledger.confirm(fresh);
        assertEquals(Map.of(P0, new OffsetAndMetadata(5)), ledger.committableOffsets());
    }

    @Test
    void keepsOneEntryPerRangeNotPerRecord() {
        ledger.open(List.of(P0));
        ledger.register(P0, 0, 99_999);
        ledger.register(P0, 100_000, 199_999);
        assertEquals(2, ledger.pendingRanges());
        assertTrue(ledger.committable(P0) < 0);
    }
}
