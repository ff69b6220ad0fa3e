package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamload.warnings.query.ShowLoadWarnings;
import io.streamload.warnings.query.WarningRow;
import io.streamload.warnings.query.WarningsReader;
import io.streamload.warnings.testing.Await;
import io.streamload.warnings.testing.TestMysql;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadErrorsWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final TestMysql mysql = TestMysql.shared();
    private final List<String> databases = new ArrayList<>();
    private final List<LoadErrorsWriter> writers = new ArrayList<>();
    /** Every thread the writers asked for. */
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        writers.forEach(LoadErrorsWriter::close);
        if (mysql.isEmbedded()) {
            // A failed outage test must not leave the shared server down for the next test.
            try (Connection ignored = mysql.connect()) {
                // up
            } catch (Exception down) {
                mysql.start();
            }
        }
        for (String database : databases) {
            mysql.dropDatabase(database);
        }
    }

    private LoadErrorsWriter startWriter(String clusterId, WarningsStoreConfig.Builder builder) {
        WarningsStoreConfig config = builder.clusterId(clusterId).build();
        databases.add(config.location().database());
        LoadErrorsWriter writer = LoadErrorsWriter.start(config, this::newThread);
        writers.add(writer);
        return writer;
    }

    private synchronized Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "writer-under-test-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /** load_errors as earlier versions created it, without entry_key. */
    private static final String LEGACY_ERRORS_DDL = "CREATE TABLE %s (id BIGINT NOT NULL AUTO_INCREMENT,"
            + " job_id BIGINT NOT NULL DEFAULT -1, label VARCHAR(128) NOT NULL, db VARCHAR(64) NOT NULL DEFAULT '',"
            + " tbl VARCHAR(64) NOT NULL DEFAULT '', topic VARCHAR(249) NULL, kafka_partition INT NULL,"
            + " kafka_offset BIGINT NULL, error_msg VARCHAR(1024) NOT NULL, row_excerpt VARCHAR(2048) NULL,"
            + " created_at DATETIME(3) NOT NULL, PRIMARY KEY (id))";

    private static LoadErrorEntry rejected(String label, long jobId, long offset, String reason) {
        return LoadErrorEntry.builder().jobId(jobId).label(label).database("shop").table("orders")
                .source("orders", 0, offset).errorMessage(reason).rowExcerpt("{\"id\":" + offset + "}").build();
    }

    @Test
    void createsTheTablesAndWritesRejectedRowsAndLoads() throws Exception {
        String cluster = mysql.newDatabaseName("writer");
        LoadErrorsWriter writer = startWriter(cluster, WarningsStoreConfig.builder(mysql.url()));
        for (int i = 0; i < 37; i++) {
            assertTrue(writer.recordRejectedRow(rejected("orders-1", 42, i, "column 'name' is NULL")));
        }
        String longReason = "x".repeat(5000);
        writer.recordRejectedRow(rejected("orders-1", 42, 99, longReason));
        writer.recordLoad(LoadJobEntry.builder().label("orders-1").transactionId(42).database("shop").table("orders")
                .status("Success").rows(1000, 962, 38, 0).loadBytes(123_456).loadTimeMs(87)
                .offsetRanges(List.of(new OffsetRange("orders", 0, 0, 999)))
                .errorUrl("http://be:8040/api/_load_error_log?file=abc").build());

        String errors = Identifiers.qualified(cluster, "load_errors");
        Await.until("39 rows written", WAIT, () -> writer.stats().written() == 39);
        assertEquals(38, mysql.count("SELECT COUNT(*) FROM " + errors + " WHERE label = 'orders-1'"));
        assertEquals(ColumnLimits.ERROR_MESSAGE,
                mysql.count("SELECT CHAR_LENGTH(error_msg) FROM " + errors + " WHERE kafka_offset = 99"));
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + Identifiers.qualified(cluster, "load_jobs")
                + " WHERE label = 'orders-1' AND txn_id = 42 AND filtered_rows = 38"
                + " AND offset_ranges LIKE '%\"lastOffset\":999%'"));
        assertEquals(new WriterStats(39, 39, 0, 0, true), writer.stats());
    }

    @Test
    void aRecordReportedAgainAfterARestartLandsOnceAndAnotherRecordStill() throws Exception {
        String cluster = mysql.newDatabaseName("restart");
        LoadErrorsWriter first = startWriter(cluster, WarningsStoreConfig.builder(mysql.url()));
        first.recordRejectedRow(rejected("orders-0-7-7-aaaa", 101, 7, "column 'name' is NULL"));
        Await.until("the first report written", WAIT, () -> first.stats().written() == 1);
        first.close();

        // The task restarts before its offset commit: the record is loaded again, in a new
        // transaction, and refused and reported again. A record at another offset is new.
        LoadErrorsWriter second = startWriter(cluster, WarningsStoreConfig.builder(mysql.url()));
        second.recordRejectedRow(rejected("orders-0-7-7-aaaa", 202, 7, "column 'name' is NULL"));
        second.recordRejectedRow(rejected("orders-0-8-8-bbbb", 203, 8, "column 'name' is NULL"));
        Await.until("both reports handled", WAIT, () -> second.stats().written() == 2);

        String errors = Identifiers.qualified(cluster, "load_errors");
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + errors + " WHERE kafka_offset = 7"));
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + errors + " WHERE kafka_offset = 8"));
    }

    @Test
    void aTableOfAnEarlierVersionGetsTheEntryKeyAndKeepsItsRows() throws Exception {
        String cluster = mysql.newDatabaseName("upgrade");
        String errors = Identifiers.qualified(cluster, "load_errors");
        mysql.execute("CREATE DATABASE " + Identifiers.quote(cluster));
        mysql.execute(LEGACY_ERRORS_DDL.formatted(errors));
        mysql.execute("INSERT INTO " + errors + " (label, error_msg, created_at) VALUES ('old', 'old reason', NOW(3))");

        LoadErrorsWriter writer = startWriter(cluster, WarningsStoreConfig.builder(mysql.url()));
        writer.recordRejectedRow(rejected("new", 1, 3, "bad"));
        writer.recordRejectedRow(rejected("new", 2, 3, "bad"));
        Await.until("both reports handled", WAIT, () -> writer.stats().written() == 2);

        assertEquals(2, mysql.count("SELECT COUNT(*) FROM " + errors));
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + errors + " WHERE label = 'old' AND entry_key IS NULL"));
    }

    @Test
    void withoutTableCreationATableOfAnEarlierVersionIsStillWritten() throws Exception {
        String cluster = mysql.newDatabaseName("legacy");
        String errors = Identifiers.qualified(cluster, "load_errors");
        mysql.execute("CREATE DATABASE " + Identifiers.quote(cluster));
        mysql.execute(LEGACY_ERRORS_DDL.formatted(errors));
        mysql.execute("CREATE TABLE " + Identifiers.qualified(cluster, "load_jobs") + " (id BIGINT NOT NULL"
                + " AUTO_INCREMENT, label VARCHAR(128) NOT NULL, txn_id BIGINT NOT NULL DEFAULT -1, db VARCHAR(64)"
                + " NOT NULL DEFAULT '', tbl VARCHAR(64) NOT NULL DEFAULT '', status VARCHAR(32) NOT NULL, message"
                + " VARCHAR(1024) NULL, total_rows BIGINT NOT NULL DEFAULT 0, loaded_rows BIGINT NOT NULL DEFAULT 0,"
                + " filtered_rows BIGINT NOT NULL DEFAULT 0, unselected_rows BIGINT NOT NULL DEFAULT 0, load_bytes"
                + " BIGINT NOT NULL DEFAULT 0, load_time_ms BIGINT NOT NULL DEFAULT 0, offset_ranges TEXT NULL,"
                + " error_url VARCHAR(1024) NULL, finished_at DATETIME(3) NOT NULL, PRIMARY KEY (id))");

        LoadErrorsWriter writer = startWriter(cluster,
                WarningsStoreConfig.builder(mysql.url()).createMissingTables(false));
        writer.recordRejectedRow(rejected("legacy", 1, 3, "bad"));
        Await.until("the report written", WAIT, () -> writer.stats().written() == 1);
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + errors + " WHERE label = 'legacy'"));
        assertEquals(0, writer.stats().dropped());
    }

    @Test
    void neverBlocksWhileMysqlIsDownCountsDropsAndReconnects() throws Exception {
        assumeTrue(mysql.isEmbedded(), "needs the embedded MariaDB, which the test can stop");
        String cluster = mysql.newDatabaseName("outage");
        LoadErrorsWriter writer = startWriter(cluster, WarningsStoreConfig.builder(mysql.url())
                .queueCapacity(50).maxBatchSize(10)
                .reconnectBackoff(Duration.ofMillis(50)).maxReconnectBackoff(Duration.ofMillis(200))
                .dropWarningInterval(Duration.ofMillis(100)));
        writer.recordRejectedRow(rejected("before", 1, 0, "bad"));
        Await.until("the first row written", WAIT, () -> writer.stats().written() == 1);

        mysql.stop();
        long started = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            if (writer.recordRejectedRow(rejected("during", 2, i, "bad"))) {
                accepted++;
            }
        }
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        // 5,000 offers to a full queue cost microseconds each; a blocked caller would take seconds.
        assertTrue(spent.compareTo(Duration.ofSeconds(2)) < 0, "offering took " + spent);
        WriterStats down = writer.stats();
        assertFalse(down.connected());
        assertTrue(accepted <= 50 + 10, "at most a queue and a batch are held, accepted " + accepted);
        assertEquals(5_000 - accepted, down.dropped());

        mysql.start();
        int held = accepted;
        Await.until("reconnected and wrote the held rows", WAIT,
                () -> writer.stats().connected() && writer.stats().queued() == 0
                        && writer.stats().written() == 1 + held);
        assertTrue(writer.recordRejectedRow(rejected("after", 3, 0, "bad")));
        Await.until("a row after the outage written", WAIT, () -> writer.stats().written() == 2 + held);
        assertEquals(1, mysql.count("SELECT COUNT(*) FROM " + Identifiers.qualified(cluster, "load_errors")
                + " WHERE label = 'after'"));
    }

    @Test
    void clustersAreIsolatedInTheirOwnDatabases() throws Exception {
        String clusterA = mysql.newDatabaseName("Cluster-A");
        String clusterB = mysql.newDatabaseName("cluster.b");
        LoadErrorsWriter writerA = startWriter(clusterA, WarningsStoreConfig.builder(mysql.url()));
        LoadErrorsWriter writerB = startWriter(clusterB, WarningsStoreConfig.builder(mysql.url()));
        assertEquals(Identifiers.databaseForCluster(clusterA), writerA.location().database());
        assertFalse(writerA.location().database().equals(writerB.location().database()));

        // The same label and job id in both clusters: each must see only its own rows.
        writerA.recordRejectedRow(rejected("shared-label", 7, 1, "from A"));
        writerA.recordRejectedRow(rejected("shared-label", 7, 2, "from A"));
        writerB.recordRejectedRow(rejected("shared-label", 7, 1, "from B"));
        Await.until("both written", WAIT, () -> writerA.stats().written() == 2 && writerB.stats().written() == 1);

        ShowLoadWarnings byLabel = new ShowLoadWarnings(null, "shared-label", null, 100);
        try (Connection connection = mysql.connect()) {
            List<WarningRow> rowsA = new WarningsReader(writerA.location()).show(connection, byLabel);
            List<WarningRow> rowsB = new WarningsReader(writerB.location()).show(connection, byLabel);
            assertEquals(List.of("from A", "from A"), rowsA.stream().map(WarningRow::errorMessage).toList());
            assertEquals(List.of("from B"), rowsB.stream().map(WarningRow::errorMessage).toList());
        }
    }

    @Test
    void withoutTableCreationMissingTablesCostDropsNotFailures() throws Exception {
        String cluster = mysql.newDatabaseName("nocreate");
        LoadErrorsWriter writer = startWriter(cluster, WarningsStoreConfig.builder(mysql.url())
                .createMissingTables(false));
        assertTrue(writer.recordRejectedRow(rejected("x", 1, 1, "bad")));
        Await.until("the entry dropped", WAIT, () -> writer.stats().dropped() == 1);
        assertEquals(0, mysql.count("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
                + Identifiers.databaseForCluster(cluster) + "'"));
    }

    @Test
    void closeWritesWhatIsQueuedAndLaterEntriesAreDropped() throws Exception {
        String cluster = mysql.newDatabaseName("close");
        LoadErrorsWriter writer = startWriter(cluster, WarningsStoreConfig.builder(mysql.url()));
        for (int i = 0; i < 200; i++) {
            writer.recordRejectedRow(rejected("closing", 5, i, "bad"));
        }
        writer.close();
        assertEquals(200, writer.stats().written());
        assertFalse(writer.recordRejectedRow(rejected("closing", 5, 999, "late")));
        assertEquals(1, writer.stats().dropped());
    }

    @Test
    void theWriterRunsOnOneThreadOfTheGivenFactoryAndCloseEndsIt() throws Exception {
        String cluster = mysql.newDatabaseName("factory");
        LoadErrorsWriter writer = startWriter(cluster, WarningsStoreConfig.builder(mysql.url()));
        writer.recordRejectedRow(rejected("factory", 1, 1, "bad"));
        Await.until("the entry written", WAIT, () -> writer.stats().written() == 1);
        assertEquals(1, threads.size());
        assertTrue(threads.get(0).isAlive());

        writer.close();
        assertFalse(threads.get(0).isAlive(), "the writer thread outlived close()");
    }

    /**
     * A statement MySQL does not answer (here: its table locked by another session) must not keep
     * the writer's thread past close(): after the close timeout its connection is aborted.
     */
    @Test
    void closeEndsTheThreadWhileItsStatementWaitsOnALockedTable() throws Exception {
        String cluster = mysql.newDatabaseName("locked");
        WarningsStoreConfig.Builder builder = WarningsStoreConfig.builder(mysql.url())
                .closeTimeout(Duration.ofMillis(500));
        StoreLocation location = builder.clusterId(cluster).build().location();
        try (Connection locker = mysql.connect(); Statement lock = locker.createStatement()) {
            new StoreSchema(location).createIfMissing(locker);
            lock.execute("LOCK TABLES " + location.qualifiedErrorsTable() + " WRITE");
            LoadErrorsWriter writer = startWriter(cluster, builder);
            writer.recordRejectedRow(rejected("locked", 1, 1, "bad"));
            Await.until("the writer's INSERT waiting on the lock", WAIT, () -> waitingOnALock(cluster) == 1);
            Thread thread = threads.get(0);

            long started = System.nanoTime();
            writer.close();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertAll(
                    () -> assertFalse(thread.isAlive(), "the writer thread outlived close(): "
                            + Arrays.toString(thread.getStackTrace())),
                    () -> assertTrue(tookMs < 5_000, "close() took " + tookMs + " ms"),
                    () -> assertEquals(0, writer.stats().written()),
                    () -> assertEquals(1, writer.stats().dropped(), "the entry it could not write is counted"));
        }
    }

    /** Statements of the store's connections that wait on a lock of {@code database}'s tables. */
    private long waitingOnALock(String database) throws Exception {
        return mysql.count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE '%lock%'"
                + " AND INFO LIKE '%`" + database + "`%'");
    }

    @Test
    void theDisabledWriterAcceptsNothing() {
        WarningsWriter disabled = WarningsWriter.disabled();
        assertFalse(disabled.recordRejectedRow(rejected("x", 1, 1, "bad")));
        assertFalse(disabled.recordLoad(LoadJobEntry.builder().label("x").status("Success").finishedAt(Instant.now()).build()));
        disabled.close();
    }
}
