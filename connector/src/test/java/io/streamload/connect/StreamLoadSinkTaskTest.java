package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.assertNeverWithin;
import static io.streamload.connect.testing.Conditions.liveThreads;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.StoreLocation;
import io.streamload.warnings.StoreSchema;
import io.streamload.warnings.WarningsStoreUrl;
import io.streamload.warnings.testing.TestMysql;

/**
 * The task against the emulator, driven the way a worker drives it (open, put, preCommit, close,
 * stop) but without Kafka, so each outcome and lifecycle rule gets a quick, exact test.
 */
class StreamLoadSinkTaskTest {

    private static final String DB = "db";
    private static final MBeanServer PLATFORM_MBEANS = ManagementFactory.getPlatformMBeanServer();
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static StreamLoadEmulator emulator;

    private String table;
    private String connector;
    private StreamLoadSinkTask task;
    private FakeSinkTaskContext context;

    @BeforeAll
    static void startEmulator() {
        emulator = StreamLoadEmulator.builder().dialect(Dialect.STARROCKS).credentials("root", "secret").start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void createTable() {
        table = "t" + TABLES.incrementAndGet();
        connector = "task-test-" + table;
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .duplicateKey("id")
                .build());
    }

    @AfterEach
    void stopTask() {
        emulator.clearFaults();
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void loadsEveryRecordAndCommitsOnlyConfirmedOffsets() {
        start(Map.of("buffer.max.records", "100"));
        put(records(0, 0, 250));
        put(records(1, 0, 150));

        Map<TopicPartition, OffsetAndMetadata> offsets = task.preCommit(Map.of());
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(250), tp(1), new OffsetAndMetadata(150)), offsets);
        assertEquals(400, emulator.rowCount(DB, table));
        assertEquals(offsets, task.preCommit(Map.of()),
                "nothing new: the same offsets again, in case the worker could not commit them");
    }

    @Test
    void otherRecordsAtOffsetsAnEarlierRunLoadedAreLoadedToo() {
        // A topic deleted and created again (or a same-named topic of another cluster): the
        // offsets an earlier run loaded now hold other records, under the same connector name.
        start(Map.of("buffer.max.records", "100"));
        put(records(0, 0, 100));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
        task.stop();

        start(Map.of("buffer.max.records", "100"));
        List<SinkRecord> secondGeneration = new ArrayList<>();
        for (long offset = 0; offset < 100; offset++) {
            secondGeneration.add(new SinkRecord("topic", 0, null, null, null,
                    "{\"id\":" + (500_000 + offset) + ",\"name\":\"gen2\"}", offset));
        }
        put(secondGeneration);
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));

        List<Map<String, Object>> rows = emulator.rows(DB, table);
        assertEquals(200, rows.size(), "both generations stored");
        assertEquals(100, rows.stream().filter(row -> "gen2".equals(row.get("name"))).count());
    }

    @Test
    void theSameRecordsSentAgainByANewRunAreNotLoadedTwice() {
        start(Map.of("buffer.max.records", "100"));
        put(records(0, 0, 100));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
        task.stop();

        // A new run reads the same records again (its offsets were not committed to Kafka).
        start(Map.of("buffer.max.records", "100"));
        put(records(0, 0, 100));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
        assertExactlyOnce(0, 100);
    }

    @Test
    void bodiesBuiltInReusedChunksLoadExactlyTheirRecords() {
        // Batches of about 1.5 MiB: the later ones are written into the chunks of the earlier
        // ones, which held other records' bytes; every row must still arrive exactly once.
        start(Map.of("buffer.max.bytes", Integer.toString(1_500_000)));
        put(records(0, 0, 120_000));
        put(records(1, 0, 120_000));

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(120_000), tp(1), new OffsetAndMetadata(120_000)),
                task.preCommit(Map.of()));
        assertExactlyOnce(0, 240_000);
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            assertEquals("n" + ((Number) row.get("id")).longValue() % 1000, row.get("name"), row::toString);
        }
        assertTrue(emulator.loads().size() > 3, "several batches: " + emulator.loads().size());
    }

    @Test
    void loadsOfADuplicateKeyTableRunSideBySideAndEveryOffsetIsCommittedOnce() throws Exception {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(1_500)).table(table).times(3));
        start(Map.of("buffer.max.records", "100", "max.in.flight.loads", "3", "max.in.flight.loads.per.table", "3"));
        put(records(0, 0, 150));
        put(records(1, 0, 150));

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(150), tp(1), new OffsetAndMetadata(150)),
                task.preCommit(Map.of()));
        assertExactlyOnce(0, 300);
        List<LoadRecord> loads = loadsOf(table);
        assertEquals(3, loads.size());
        for (int i = 0; i < loads.size(); i++) {
            for (int j = i + 1; j < loads.size(); j++) {
                assertTrue(overlap(loads.get(i), loads.get(j)), "loads " + i + " and " + j + " ran side by side");
            }
        }
    }

    @Test
    void loadsOfAPrimaryKeyTableStayInOrderWhateverThePerTableLimit() throws Exception {
        String keyed = table + "_pk";
        emulator.createTable(TableDefinition.builder(DB, keyed)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .primaryKey("id")
                .build());
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(300)).table(keyed).times(3));
        start(Map.of("topic2table.map", "topic:" + keyed, "buffer.max.records", "100", "max.in.flight.loads", "3",
                "max.in.flight.loads.per.table", "3"));
        put(records(0, 0, 300));

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(300)), task.preCommit(Map.of()));
        assertEquals(300, emulator.rowCount(DB, keyed));
        List<LoadRecord> loads = loadsOf(keyed);
        assertEquals(3, loads.size());
        for (int i = 1; i < loads.size(); i++) {
            assertFalse(overlap(loads.get(i - 1), loads.get(i)), "load " + i + " started after the one before ended");
        }
    }

    private static List<LoadRecord> loadsOf(String table) {
        return emulator.loads().stream().filter(load -> load.table().equals(table))
                .sorted(Comparator.comparingLong(LoadRecord::createdMillis)).toList();
    }

    private static boolean overlap(LoadRecord a, LoadRecord b) {
        return a.createdMillis() < b.finishedMillis() && b.createdMillis() < a.finishedMillis();
    }

    @Test
    void theIntervalFlushesWithoutPut() throws Exception {
        start(Map.of("buffer.flush.interval.ms", "50"));
        put(records(0, 0, 10));
        waitFor(() -> emulator.rowCount(DB, table) == 10, Duration.ofSeconds(10), "rows loaded by the timer");
    }

    @Test
    void a502AfterCommitIsResolvedByTheLabel() {
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(2));
        start(Map.of("buffer.max.records", "50"));
        put(records(0, 0, 200));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(200)), task.preCommit(Map.of()));
        assertExactlyOnce(0, 200);
    }

    @Test
    void resetsBeforeAndAfterCommitAreResolvedByTheLabel() {
        emulator.inject(Fault.of(FaultKind.RESET_AFTER_COMMIT).table(table).times(1));
        emulator.inject(Fault.of(FaultKind.RESET_WHILE_READING_BODY).table(table).times(1));
        emulator.inject(Fault.of(FaultKind.HTTP_503_BEFORE_LOAD).table(table).times(1));
        start(Map.of("buffer.max.records", "50"));
        put(records(0, 0, 200));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(200)), task.preCommit(Map.of()));
        assertExactlyOnce(0, 200);
    }

    @Test
    void publishTimeoutAndBusyTargetEndLoaded() throws Exception {
        emulator.inject(Fault.of(FaultKind.PUBLISH_TIMEOUT).table(table).times(1));
        emulator.inject(Fault.of(FaultKind.THROTTLE_CONCURRENT_LIMIT).table(table).times(1));
        emulator.inject(Fault.of(FaultKind.SERVICE_SHUTTING_DOWN).table(table).times(1));
        start(Map.of("buffer.max.records", "50"));
        put(records(0, 0, 100));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
        waitFor(() -> emulator.rowCount(DB, table) == 100, Duration.ofSeconds(10), "published rows to be visible");
        assertExactlyOnce(0, 100);
    }

    @Test
    void aRunningLoadIntoAnotherDatabaseIsWatchedInThatDatabase() {
        // Labels belong to a database: the state of a load into other_db.<table> is asked there.
        emulator.createTable(TableDefinition.builder("other_db", table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .duplicateKey("id")
                .build());
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(2_500)).table(table).times(1));
        start(Map.of("load.timeout.ms", "1000", "topic2table.map", "topic:other_db." + table));
        put(records(0, 0, 20));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(20)), task.preCommit(Map.of()));
        assertEquals(20, emulator.rowCount("other_db", table));
        assertEquals(0, emulator.rowCount(DB, table));
    }

    @Test
    void aLoadStillRunningWhenTheRequestTimesOutIsWatchedNotDuplicated() {
        // The first attempt times out while the target still loads; the resend with the same
        // label finds it running and waits for its state instead of loading again.
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(2_500)).table(table).times(1));
        start(Map.of("load.timeout.ms", "1000"));
        put(records(0, 0, 20));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(20)), task.preCommit(Map.of()));
        assertExactlyOnce(0, 20);
    }

    @Test
    void anUnknownTableFailsTheTaskWithTheTargetsMessage() {
        start(Map.of("topic2table.map", "topic:missing_table"));
        put(records(0, 0, 5));
        assertEquals(Map.of(), task.preCommit(Map.of()));
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of()));
        assertTrue(e.getMessage().contains("missing_table") && e.getMessage().contains("create the table"),
                e.getMessage());
    }

    @Test
    void aWrongPasswordFailsTheTaskAtOnce() {
        start(Map.of("load.password", "wrong", "max.retries", "100"));
        put(records(0, 0, 5));
        assertEquals(Map.of(), task.preCommit(Map.of()));
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of()));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), "never the password: " + e.getMessage());
    }

    @Test
    void tooManyFilteredRowsFailsWithTheRejectedRows() {
        start(Map.of());
        List<SinkRecord> records = new ArrayList<>(records(0, 0, 3));
        records.add(new SinkRecord("topic", 0, null, null, null, "{\"id\":null,\"name\":\"no id\"}", 3));
        put(records);
        assertEquals(Map.of(), task.preCommit(Map.of()));
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of()));
        assertTrue(e.getMessage().contains("too many filtered rows"), e.getMessage());
        assertTrue(e.getMessage().contains("First rejected rows"), e.getMessage());
        assertEquals(0, emulator.rowCount(DB, table));
    }

    @Test
    void aRecordThatIsNotJsonFailsTheTaskNamingItsCoordinates() {
        start(Map.of());
        task.put(List.of(
                new SinkRecord("topic", 0, null, null, null, "{\"id\":1}", 41),
                new SinkRecord("topic", 0, null, null, null, "not json", 42)));
        // Records are taken on the intake thread: the failure comes with the worker's next put().
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of()));
        assertTrue(e.getMessage().contains("topic topic, partition 0, offset 42"), e.getMessage());
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(42)), task.preCommit(Map.of()),
                "records before the bad one load and commit; nothing past it");
    }

    @Test
    void whileLoadsStallNoOffsetIsCommitted() throws Exception {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(3)).table(table).times(1));
        start(Map.of("commit.max.wait.ms", "100"));
        put(records(0, 0, 30));
        assertEquals(Map.of(), task.preCommit(Map.of()));
        assertEquals(0, emulator.rowCount(DB, table));
        waitFor(() -> emulator.rowCount(DB, table) == 30, Duration.ofSeconds(20), "the stalled load to land");
        waitFor(() -> task.preCommit(Map.of()).equals(Map.of(tp(0), new OffsetAndMetadata(30))), Duration.ofSeconds(10),
                "offsets once the load is confirmed");
    }

    @Test
    void memoryIsBoundedByPausingWhenLoadsStall() throws Exception {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(2)).table(table).times(1));
        start(Map.of("buffer.total.max.bytes", "1000", "buffer.max.bytes", "500", "buffer.full.max.wait.ms", "100",
                "max.in.flight.loads", "1"));
        put(records(0, 0, 100)); // far more than 1000 bytes
        task.put(List.of()); // the worker's next poll: the bound is checked with those records buffered
        assertEquals(context.assignment(), context.paused(), "partitions paused while loads are stuck");
        assertEquals(2L, taskMetric("partitions-paused"), "the pause, as the metric shows it");
        waitFor(() -> {
            task.put(List.of());
            return context.paused().isEmpty();
        }, Duration.ofSeconds(20), "partitions resumed once the load completed");
        assertEquals(0L, taskMetric("partitions-paused"), "the resume, as the metric shows it");
        // Resumed once there is room: the last loads may still be running.
        waitFor(() -> task.preCommit(Map.of()).equals(Map.of(tp(0), new OffsetAndMetadata(100))),
                Duration.ofSeconds(20), "every offset committed");
        assertEquals(100, emulator.rowCount(DB, table));
    }

    @Test
    void partitionMetricsShowWhatWasReceivedAndCommittedAndLeaveWithThePartition() throws Exception {
        start(Map.of("buffer.max.records", "100", "commit.max.wait.ms", "100"));
        put(records(0, 0, 250));
        put(records(1, 0, 150));
        assertEquals(250L, partitionMetric(0, "received-offset"));
        assertEquals(150L, partitionMetric(1, "received-offset"));
        assertFalse(hasAttribute(0, "last-committed-offset"), "no committed offset shown before the first commit");
        waitFor(() -> {
            task.preCommit(Map.of());
            return hasAttribute(0, "last-committed-offset") && hasAttribute(1, "last-committed-offset")
                    && partitionMetric(0, "last-committed-offset") == 250
                    && partitionMetric(1, "last-committed-offset") == 150;
        }, Duration.ofSeconds(20), "the first commit");

        // A stalled load: records are received, their offsets are not committed.
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(2)).table(table).times(1));
        put(records(0, 250, 100));
        task.preCommit(Map.of());
        assertEquals(350L, partitionMetric(0, "received-offset"));
        assertEquals(250L, partitionMetric(0, "last-committed-offset"), "the stalled records are not committed");
        waitFor(() -> {
            task.preCommit(Map.of());
            return partitionMetric(0, "last-committed-offset") == 350;
        }, Duration.ofSeconds(20), "committed once the load landed");

        task.close(List.of(tp(1)));
        assertFalse(PLATFORM_MBEANS.isRegistered(partitionMBean(1)), "a revoked partition's metrics are removed");
        assertTrue(PLATFORM_MBEANS.isRegistered(partitionMBean(0)), "a kept partition's stay");
    }

    @Test
    void whilePausedEveryPutAsksTheWorkerToPollAgainSoon() throws Exception {
        // A worker whose partitions are all paused polls until its next offset commit (60 s by
        // default) unless the task asks for a shorter poll, and it takes that request for one
        // poll only: so every put() that leaves partitions paused must ask again.
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(2)).table(table).times(1));
        start(Map.of("buffer.total.max.bytes", "1000", "buffer.max.bytes", "500", "buffer.full.max.wait.ms", "100",
                "max.in.flight.loads", "1"));
        put(records(0, 0, 100));
        task.put(List.of()); // the worker's next poll: the bound is checked with those records buffered
        assertEquals(context.assignment(), context.paused(), "partitions paused while loads are stuck");
        assertShortPoll(context.takeTimeout(), "the put() that paused");

        task.put(List.of());
        assertEquals(context.assignment(), context.paused(), "still paused: the stalled load takes 2 s");
        assertShortPoll(context.takeTimeout(), "a put() while paused");

        waitFor(() -> {
            task.put(List.of());
            long timeout = context.takeTimeout();
            if (context.paused().isEmpty()) {
                return true;
            }
            assertShortPoll(timeout, "a put() that left the partitions paused");
            return false;
        }, Duration.ofSeconds(20), "partitions resumed once the load completed");
        // Resumed once there is room; let the last loads end so that ten more records fit.
        waitFor(() -> task.preCommit(Map.of()).equals(Map.of(tp(0), new OffsetAndMetadata(100))),
                Duration.ofSeconds(20), "the first hundred offsets committed");

        put(records(0, 100, 10));
        assertEquals(-1, context.takeTimeout(), "not paused: the worker's own poll timeout applies");
        waitFor(() -> task.preCommit(Map.of()).equals(Map.of(tp(0), new OffsetAndMetadata(110))),
                Duration.ofSeconds(20), "every offset committed");
        assertEquals(110, emulator.rowCount(DB, table));
    }

    @Test
    void closedPartitionsAreFinishedThenForgotten() {
        start(Map.of());
        put(records(0, 0, 10));
        put(records(1, 0, 10));
        task.close(List.of(tp(1)));
        context.revoke(List.of(tp(1)));
        assertEquals(20, emulator.rowCount(DB, table), "loads of closing partitions finish first");
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(10)), task.preCommit(Map.of()),
                "a closed partition's offsets are never reported");
    }

    @Test
    void stopLeavesNoThreadNoConnectionAndNoRequest() throws Exception {
        start(Map.of("buffer.flush.interval.ms", "20"));
        put(records(0, 0, 50));
        task.preCommit(Map.of());
        assertTrue(task.openConnections() > 0, "connections are kept alive between loads");
        assertFalse(liveThreads(TaskThreads.PREFIX + connector + "-").isEmpty());

        task.stop();
        assertEquals(Set.of(), liveThreads(TaskThreads.PREFIX + connector + "-"));
        assertEquals(0, task.openConnections());
        long requests = emulator.requestCount();
        task = null;
        assertNeverWithin(Duration.ofSeconds(1), () -> emulator.requestCount() != requests,
                "a request reached the target after stop() returned");
    }

    @Test
    void stopAbandonsAStalledLoadWithinItsBound() {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(30)).table(table).times(1));
        start(Map.of("close.max.wait.ms", "200", "commit.max.wait.ms", "0"));
        put(records(0, 0, 10));
        assertEquals(Map.of(), task.preCommit(Map.of()));
        task.close(List.of(tp(0)));

        long started = System.nanoTime();
        task.stop();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 5_000, "stop() took " + tookMs + " ms");
        assertEquals(Set.of(), liveThreads(TaskThreads.PREFIX + connector + "-"));
        assertEquals(0, task.openConnections());
        task = null;
    }

    @Test
    void stopDuringARetryStormEndsWithinItsBoundAndSendsNothingAfter() throws Exception {
        emulator.inject(Fault.of(FaultKind.HTTP_503_BEFORE_LOAD).table(table).times(100_000));
        start(Map.of("close.max.wait.ms", "300", "retry.backoff.ms", "5", "retry.backoff.max.ms", "20",
                "max.retries", "100000", "commit.max.wait.ms", "0"));
        put(records(0, 0, 20));
        task.preCommit(Map.of());
        long stormStart = emulator.requestCount();
        waitFor(() -> emulator.requestCount() > stormStart + 10, Duration.ofSeconds(10), "a retry storm");

        long started = System.nanoTime();
        task.stop();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 5_000, "stop() took " + tookMs + " ms");
        assertEquals(Set.of(), liveThreads(TaskThreads.PREFIX + connector + "-"));
        long requests = emulator.requestCount();
        task = null;
        assertNeverWithin(Duration.ofSeconds(1), () -> emulator.requestCount() != requests,
                "a request reached the target after stop() returned");
        assertEquals(0, emulator.rowCount(DB, table));
    }

    @Test
    void stopWithAWarningsStoreLeavesNoThreadOfIt() throws Exception {
        TestMysql mysql = TestMysql.shared();
        String database = mysql.newDatabaseName("task_store");
        try {
            start(Map.of("load.errors.url", mysql.url(database).toString(), "buffer.max.records", "10"));
            put(records(0, 0, 10));
            task.preCommit(Map.of());
            waitFor(() -> mysql.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                    + database + "' AND TABLE_NAME = 'load_jobs'") == 1
                    && mysql.count("SELECT COUNT(*) FROM `" + database + "`.load_jobs") == 1,
                    Duration.ofSeconds(20), "the load summary written to the store");
            String prefix = TaskThreads.PREFIX + connector + "-0-";
            Set<String> storeThreads = liveThreads(prefix + "warnings-");
            assertEquals(1, storeThreads.stream().filter(name -> name.matches(".*-warnings-\\d+")).count(),
                    "the writer's thread is the task's: " + storeThreads);
            assertEquals(1, storeThreads.stream().filter(name -> name.matches(".*-warnings-ttl-\\d+")).count(),
                    "the TTL thread is the task's: " + storeThreads);

            task.stop();
            task = null;
            assertEquals(Set.of(), liveThreads(prefix));
        } finally {
            mysql.dropDatabase(database);
        }
    }

    /**
     * A warnings store's threads (the writer, and the first task's TTL schedule) are the task's:
     * named for it, and ended by {@code stop()} even while their statements wait on tables another
     * session has locked (a busy or stuck MySQL).
     */
    @Test
    void stopEndsTheWarningsStoreThreadsEvenWhileTheirStatementsWait() throws Exception {
        TestMysql mysql = TestMysql.shared();
        String database = mysql.newDatabaseName("task_threads");
        WarningsStoreUrl url = mysql.url(database);
        StoreLocation location = StoreLocation.resolve(url, null);
        long watermark = new Thread(() -> { }).getId();
        try (Connection locker = mysql.connect(); Statement lock = locker.createStatement()) {
            new StoreSchema(location).createIfMissing(locker);
            lock.execute("LOCK TABLES " + location.qualifiedErrorsTable() + " WRITE, " + location.qualifiedJobsTable()
                    + " WRITE");

            // The TTL pass starts with the task, the writer with the first load summary: both wait.
            start(Map.of("load.errors.url", url.toString(), "buffer.max.records", "10"));
            put(records(0, 0, 10));
            task.preCommit(Map.of());
            waitFor(() -> mysql.count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE '%lock%'"
                    + " AND INFO LIKE '%" + database + "%'") >= 2, Duration.ofSeconds(20),
                    "the writer's and the TTL pass's statements waiting on the locked tables");
            Thread writer = threadRunning(watermark, "io.streamload.warnings.LoadErrorsWriter");
            Thread ttl = threadRunning(watermark, "io.streamload.warnings.ExpiredRowsCleaner");
            String prefix = TaskThreads.PREFIX + connector + "-0-";
            Set<String> unnamed = new TreeSet<>();
            for (Thread thread : threadsOfThisCode(watermark)) {
                if (!thread.getName().startsWith(prefix)) {
                    unnamed.add(thread.getName());
                }
            }

            long started = System.nanoTime();
            task.stop();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            task = null;
            assertAll(
                    () -> assertTrue(writer.getName().startsWith(prefix + "warnings-"), writer.getName()),
                    () -> assertTrue(ttl.getName().startsWith(prefix + "warnings-ttl-"), ttl.getName()),
                    () -> assertEquals(Set.of(), unnamed, "threads of the task not named for it"),
                    () -> assertFalse(writer.isAlive(), "the writer thread outlived stop()"),
                    () -> assertFalse(ttl.isAlive(), "the TTL thread outlived stop()"),
                    () -> assertEquals(Set.of(), liveThreads(prefix)),
                    () -> assertTrue(tookMs < 15_000, "stop() took " + tookMs + " ms"));
        } finally {
            mysql.dropDatabase(database);
        }
    }

    /** The thread, started after {@code watermark}, running code of {@code className}; fails if there is none. */
    private static Thread threadRunning(long watermark, String className) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getId() > watermark)
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(frame -> frame.getClassName().equals(className)))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no thread runs " + className));
    }

    /** Live threads started after {@code watermark} that run the connector's or the store's code. */
    private static List<Thread> threadsOfThisCode(long watermark) {
        Thread self = Thread.currentThread();
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey() != self && e.getKey().getId() > watermark)
                .filter(e -> Arrays.stream(e.getValue()).map(StackTraceElement::getClassName)
                        .anyMatch(name -> (name.startsWith("io.streamload.connect.")
                                || name.startsWith("io.streamload.warnings.")) && !name.contains(".testing.")))
                .map(Map.Entry::getKey).toList();
    }

    @Test
    void aRebalanceWhileIntakeWaitsOnBackpressureReleasesThePartitionsInTime() throws Exception {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(3)).table(table).times(1));
        start(Map.of("buffer.total.max.bytes", "1000", "buffer.max.bytes", "500", "buffer.full.max.wait.ms", "100",
                "max.in.flight.loads", "1", "close.max.wait.ms", "200", "commit.max.wait.ms", "0"));
        put(records(0, 0, 100));
        task.put(List.of()); // the worker's next poll: the bound is checked with those records buffered
        assertEquals(context.assignment(), context.paused(), "paused: loads are stuck and memory is full");

        long started = System.nanoTime();
        task.close(List.of(tp(0), tp(1)));
        context.revoke(List.of(tp(0), tp(1)));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 3_000, "close() took " + tookMs + " ms");
        assertEquals(Map.of(), task.preCommit(Map.of()), "nothing reported for revoked partitions");

        // The partitions come back (same task): loading resumes from scratch, nothing is lost.
        context.assign(List.of(tp(0)));
        task.open(List.of(tp(0)));
        put(records(0, 0, 100));
        waitFor(() -> task.preCommit(Map.of()).equals(Map.of(tp(0), new OffsetAndMetadata(100))),
                Duration.ofSeconds(20), "every offset committed after the partitions came back");
        assertTrue(emulator.rowCount(DB, table) >= 100, "nothing lost");
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", connector);
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp(0), tp(1)));
        task.open(List.of(tp(0), tp(1)));
    }

    private void put(List<SinkRecord> records) {
        task.put(records);
    }

    private void assertExactlyOnce(long firstId, int count) {
        List<Map<String, Object>> rows = emulator.rows(DB, table);
        Set<Long> ids = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            ids.add(((Number) row.get("id")).longValue());
        }
        assertEquals(count, rows.size(), "rows stored");
        assertEquals(count, ids.size(), "distinct ids");
        assertEquals(firstId, ids.iterator().next());
    }

    private static List<SinkRecord> records(int partition, long firstOffset, int count) {
        List<SinkRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = firstOffset + i;
            long id = partition * 1_000_000L + offset;
            records.add(new SinkRecord("topic", partition, null, null, null,
                    "{\"id\":" + id + ",\"name\":\"n" + (id % 1000) + "\"}", offset));
        }
        return records;
    }

    private long taskMetric(String name) throws Exception {
        return (Long) PLATFORM_MBEANS.getAttribute(new ObjectName(
                "kafka.connect:type=streamload-sink-task-metrics,connector=" + connector + ",task=0"), name);
    }

    private long partitionMetric(int partition, String name) throws Exception {
        return (Long) PLATFORM_MBEANS.getAttribute(partitionMBean(partition), name);
    }

    private boolean hasAttribute(int partition, String name) throws Exception {
        return Arrays.stream(PLATFORM_MBEANS.getMBeanInfo(partitionMBean(partition)).getAttributes())
                .anyMatch(a -> a.getName().equals(name));
    }

    private ObjectName partitionMBean(int partition) throws Exception {
        return new ObjectName("kafka.connect:type=streamload-sink-partition-metrics,connector=" + connector
                + ",task=0,topic=topic,partition=" + partition);
    }

    private static void assertShortPoll(long timeoutMs, String when) {
        assertTrue(timeoutMs > 0 && timeoutMs <= 250,
                when + " asked the worker to poll for " + timeoutMs + " ms, not for at most 250 ms");
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("topic", partition);
    }
}
