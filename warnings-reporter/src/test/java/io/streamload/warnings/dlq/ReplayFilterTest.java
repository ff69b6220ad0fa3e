package io.streamload.warnings.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.warnings.cli.WarningsReporterMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {

    private static DlqRecord rejected(String reason) {
        return new DlqRecord("orders-dlq", 0, 7, 0L, null, null, Map.of(DlqRecord.EXCEPTION_MESSAGE, reason,
                DlqRecord.ORIGINAL_TOPIC, "orders", DlqRecord.ORIGINAL_PARTITION, "1", DlqRecord.ORIGINAL_OFFSET, "42"));
    }

    @Test
    void aFilterSelectsByReasonTopicPartitionOrOffset() {
        DlqRecord record = rejected("String 'x' is TOO LONG");
        assertTrue(ReplayFilter.parse("reason=too long").test(record));
        assertFalse(ReplayFilter.parse("reason=NULL value").test(record));
        assertTrue(ReplayFilter.parse("topic=orders").test(record));
        assertTrue(ReplayFilter.parse("partition=1").test(record));
        assertTrue(ReplayFilter.parse("offset=40-42").test(record));
        assertFalse(ReplayFilter.parse("offset=43").test(record));
        assertTrue(ReplayFilter.parse(null).test(record), "no filter: everything");
    }

    @Test
    void severalFiltersSelectWhatMatchesEveryOne() {
        DlqRecord record = rejected("StarRocks rejected the row: too long; label=orders-9, txn_id=17, table=shop.orders;"
                + " record orders-1@42");
        assertTrue(ReplayFilter.parseAll(List.of("topic=orders", "reason=label=orders-9, txn_id=17,")).test(record));
        assertTrue(ReplayFilter.parseAll(List.of("topic=orders", "partition=1", "offset=42")).test(record));
        assertFalse(ReplayFilter.parseAll(List.of("topic=orders", "reason=label=orders-9, txn_id=18,")).test(record));
        assertFalse(ReplayFilter.parseAll(List.of("topic=customers", "reason=too long")).test(record));
        assertTrue(ReplayFilter.parseAll(List.of()).test(record), "no filter: everything");
    }

    @Test
    void anEmptyValueIsRefusedInsteadOfMatchingEverything() {
        for (String filter : List.of("reason=", "reason=   ", "topic=", "partition=", "offset=")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayFilter.parse(filter),
                    filter);
            assertTrue(e.getMessage().contains("--filter '" + filter + "' has no value after '='"), e.getMessage());
        }
    }

    @Test
    void theCliSaysSoAsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WarningsReporterMain.run(new String[] {"dlq", "replay", "--bootstrap-servers", "127.0.0.1:1",
                "--from-topic", "orders-dlq", "--to-topic", "orders", "--filter", "reason="},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new CountDownLatch(0));
        assertEquals(2, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no value after '='; say what to match"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCliReadsEveryFilterNotJustTheLast() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WarningsReporterMain.run(new String[] {"dlq", "replay", "--bootstrap-servers", "127.0.0.1:1",
                "--from-topic", "orders-dlq", "--to-topic", "orders", "--timeout", "1s", "--filter", "color=red",
                "--filter", "topic=orders"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new CountDownLatch(0));
        assertEquals(2, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--filter: unknown key 'color'"),
                err.toString(StandardCharsets.UTF_8));
    }
}
