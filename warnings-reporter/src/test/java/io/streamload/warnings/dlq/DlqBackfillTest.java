package io.streamload.warnings.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.warnings.StoreLocation;
import io.streamload.warnings.query.ShowLoadWarnings;
import io.streamload.warnings.query.WarningRow;
import io.streamload.warnings.query.WarningsReader;
import io.streamload.warnings.testing.TestMysql;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DlqBackfillTest {
    private final TestMysql mysql = TestMysql.shared();
    private final String database = mysql.newDatabaseName("dlq");
    private final StoreLocation location = new StoreLocation(database, "load_errors", "load_jobs");

    @AfterEach
    void drop() throws Exception {
        mysql.dropDatabase(database);
    }

    static DlqRecord dlqRecord(long dlqOffset, String sourceTopic, int partition, long offset, String message, String value) {
        return new DlqRecord("orders-dlq", 0, dlqOffset, 1_700_000_000_000L, null,
                value.getBytes(StandardCharsets.UTF_8), Map.of(
                        DlqRecord.ORIGINAL_TOPIC, sourceTopic,
                        DlqRecord.ORIGINAL_PARTITION, Integer.toString(partition),
                        DlqRecord.ORIGINAL_OFFSET, Long.toString(offset),
                        DlqRecord.EXCEPTION_MESSAGE, message,
                        DlqRecord.CONNECTOR, "orders-sink"));
    }

    @Test
    void insertsOnlyMissingRowsAndIsIdempotent() throws Exception {
        List<DlqRecord> records = List.of(
                dlqRecord(0, "orders", 0, 10, "column 'name' is NULL; label=orders-5 txn_id=77 table=shop.orders", "{\"id\":10}"),
                dlqRecord(1, "orders", 1, 11, "too long; label=orders-5 txn_id=77 table=shop.orders", "{\"id\":11}"),
                dlqRecord(2, "orders", 0, 12, "no label in this one", "{\"id\":12}"),
                new DlqRecord("orders-dlq", 0, 3, 0L, null, null, Map.of()));
        try (Connection connection = mysql.connect()) {
            DlqBackfill backfill = new DlqBackfill(location);
            assertEquals(new DlqBackfill.Result(3, 0, 1), backfill.run(connection, records));
            assertEquals(new DlqBackfill.Result(0, 3, 1), backfill.run(connection, records));

            List<WarningRow> rows = new WarningsReader(location).show(connection, new ShowLoadWarnings(null, "orders-5", null, 100));
            assertEquals(2, rows.size());
            WarningRow first = rows.get(0);
            assertEquals(77, first.jobId());
            assertEquals("shop", first.database());
            assertEquals("orders", first.table());
            assertEquals(10L, first.kafkaOffset());
            assertEquals("{\"id\":10}", first.rowExcerpt());
        }
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + location.qualifiedErrorsTable()
                + " WHERE label = '" + DlqBackfill.UNKNOWN_LABEL + "' AND job_id = -1"));
    }

    @Test
    void showPrintsWhereARecordCameFromAndWhy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        io.streamload.warnings.cli.DlqPrinterAccess.print(
                dlqRecord(4, "orders", 2, 99, "unparsable date '2025-13-01'", "{\"d\":\"2025-13-01\"}"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("orders-dlq-0@4  from orders-2@99"), text);
        assertTrue(text.contains("reason: unparsable date '2025-13-01'"), text);
        assertTrue(text.contains("value:  {\"d\":\"2025-13-01\"}"), text);
        assertTrue(text.contains("connector.name: orders-sink"), text);
    }
}
