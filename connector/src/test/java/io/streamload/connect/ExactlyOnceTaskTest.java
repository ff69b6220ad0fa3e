package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.connect.testing.ManualClock;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.testing.TestMysql;

/**
 * Exactly-once at each crash point, with a real intent log (a Kafka broker in the JVM) and the
 * emulator's transactions: a task gets as far as the crash point, then a new task (the next
 * owner, with the same connector name) opens the partitions and Kafka delivers the records again
 * from the last committed offset. Every record must end up in the duplicate-key table once.
 */
class ExactlyOnceTaskTest {

    private static final String DB = "db";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new EnumMap<>(Dialect.class);
    private static EmbeddedKafkaCluster kafka;

    private StreamLoadEmulator emulator;
    private Dialect dialect;
    private String table;
    /** The topic the task reads; one the log's cluster does not have unless a test creates it. */
    private String topic = "topic";

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        for (Dialect d : Dialect.values()) {
            EMULATORS.put(d, StreamLoadEmulator.builder().dialect(d).credentials("root", "secret").mysqlPort(0)
                    .modifyColumnTime(Duration.ofMillis(200)).start());
        }
    }

    @AfterAll
    static void stop() {
        EMULATORS.values().forEach(StreamLoadEmulator::close);
        kafka.stop();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyBatchGoesThroughATransaction(Dialect d) {
        setUp(d);
        StreamLoadSinkTask task = startTask(Map.of());
        task.put(records(0, 300));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(300)), task.preCommit(Map.of()));
        task.stop();
        assertExactlyOnce(300);
        assertTrue(emulator.loads().stream().filter(l -> l.table().equals(table)).allMatch(
                l -> d == Dialect.DORIS ? l.twoPhase() : l.kind().name().equals("TRANSACTION")),
                "every load was transactional");
    }

    /** Compressed bodies go into the transactions as into plain loads: StarRocks' load step and Doris' 2PC read the codec. */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void compressedBodiesGoThroughTransactions(Dialect d) {
        for (String codec : List.of("gzip", "lz4_frame")) {
            setUp(d);
            StreamLoadSinkTask task = startTask(Map.of("load.compression", codec, "buffer.max.records", "100"));
            task.put(records(0, 300));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(300)), task.preCommit(Map.of()), codec);
            task.stop();
            assertExactlyOnce(300);
            long wire = emulator.loads().stream().filter(l -> l.table().equals(table)).mapToLong(l -> l.loadBytes()).sum();
            assertTrue(wire * 2 < 300 * "{\"id\":100}".length(), codec + " sent " + wire + " bytes");
        }
    }

    /**
     * auto.create and auto.evolve under exactly-once: the table is made by the first record, a
     * column is added when the records start carrying it (between transactions of one put), and
     * when the next owner gets the same records again (their offsets never reached Kafka) with
     * more, each is stored once and the column holds the value from its first record on.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void autoTablesAreCreatedAndEvolvedAndEveryRecordStoredOnce(Dialect d) {
        dialect = d;
        emulator = EMULATORS.get(d);
        table = "eo_auto" + TABLES.incrementAndGet();
        emulator.createDatabase(DB);
        Map<String, String> auto = Map.of("auto.create", "true", "auto.evolve", "true",
                "ddl.port", Integer.toString(emulator.mysqlPort()), "auto.create.properties", "replication_num=1",
                "buffer.max.records", "40");

        StreamLoadSinkTask first = startTask(auto);
        first.put(structRecords(0, 100));
        first.preCommit(Map.of());
        first.stop();
        assertEquals(100, emulator.rowCount(DB, table), "the first task's transactions committed");

        StreamLoadSinkTask next = startTask(auto);
        next.put(structRecords(0, 150));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), next.preCommit(Map.of()));
        next.stop();

        assertExactlyOnce(150);
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            long id = ((Number) row.get("id")).longValue();
            assertEquals(id >= WITH_NOTE ? "note" + id : null, row.get("note"), "row " + id);
        }
        String qualified = "`" + DB + "`.`" + table + "`";
        List<String> ddl = emulator.ddlStatements().stream().filter(s -> s.contains(qualified)).toList();
        assertEquals(2, ddl.size(), "one CREATE, one ALTER: " + ddl);
        assertTrue(ddl.get(0).startsWith("CREATE TABLE") && ddl.get(1).startsWith("ALTER TABLE")
                && ddl.get(1).contains("note"), ddl.toString());
        assertTrue(emulator.loads().stream().filter(l -> l.table().equals(table)).allMatch(
                l -> d == Dialect.DORIS ? l.twoPhase() : l.kind().name().equals("TRANSACTION")),
                "every load was transactional");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyCommittedTransactionIsSummarisedInLoadJobs(Dialect d) throws Exception {
        setUp(d);
        TestMysql mysql = TestMysql.shared();
        String cluster = mysql.newDatabaseName("eo_jobs");
        StreamLoadSinkTask task = startTask(Map.of("buffer.max.records", "100",
                "load.errors.url", mysql.url().toString(), "load.errors.cluster.id", cluster));
        task.put(records(0, 300));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(300)), task.preCommit(Map.of()));
        task.stop();
        String jobs = "FROM `" + cluster + "`.load_jobs WHERE tbl = '" + table + "'";
        waitFor(() -> mysql.count("SELECT COUNT(*) " + jobs) == 3, Duration.ofSeconds(20),
                "a load_jobs row for each of the 3 transactions");
        assertEquals(3, mysql.count("SELECT COUNT(*) " + jobs + " AND status = 'COMMITTED' AND txn_id > 0"
                + " AND offset_ranges LIKE '%\"topic\":\"" + topic + "\"%'"), "committed, with txn id and offsets");
        assertEquals(300, mysql.count("SELECT SUM(loaded_rows) " + jobs), "the rows each transaction loaded");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void retriesOfATransactionStopAtRetryMaxTime(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(commitPath()).times(100_000));
        ManualClock clock = new ManualClock();
        StreamLoadSinkTask task = startTask(Map.of("max.retries", "1000000", "retry.max.time.ms", "120000",
                "retry.backoff.ms", "1000", "retry.backoff.max.ms", "10000"), clock);
        task.put(records(0, 100));
        task.preCommit(Map.of());
        AtomicReference<ConnectException> failure = new AtomicReference<>();
        waitFor(() -> {
            try {
                task.put(List.of());
                return false;
            } catch (ConnectException e) {
                failure.set(e);
                return true;
            }
        }, Duration.ofSeconds(30), "the task to fail");
        task.stop();
        emulator.clearFaults();
        String message = failure.get().getMessage();
        assertTrue(message.contains("retry.max.time.ms 120000"), message);
        assertTrue(message.contains("commit: HTTP 502"), message);
        assertTrue(message.contains("the intent log names it"), message);
        assertTrue(clock.sleptMillis() <= 120_000 && clock.sleptMillis() > 100_000,
                "waited the budget on the task's clock, not more: " + clock.sleptMillis() + " ms");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aLoadOfClosedPartitionsIsGivenUpSoTheNextOwnerAloneLoadsItsRecords(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(prepareOrLoadPath()).times(100_000));
        StreamLoadSinkTask old = startTask(Map.of("max.retries", "1000000", "close.max.wait.ms", "200",
                "commit.max.wait.ms", "0"));
        try {
            old.put(records(0, 100));
            old.preCommit(Map.of());
            // A rebalance moves the partition while its load is still being retried.
            old.close(List.of(tp()));
            waitFor(() -> old.pendingLoads() == 0, Duration.ofSeconds(10),
                    "the closed partition's load to be given up, not retried on");
            emulator.clearFaults();

            // The next owner cuts the same records into other batches, under other labels.
            StreamLoadSinkTask next = startTask(Map.of("buffer.max.records", "40"));
            next.put(records(0, 150));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), next.preCommit(Map.of()));
            next.stop();
        } finally {
            emulator.clearFaults();
            old.stop();
        }
        assertExactlyOnce(150);
    }

    /**
     * An eager rebalance closes every partition and opens the new assignment right after, which
     * may give the same task the same partition again. The load begun before the close belongs
     * to the earlier assignment: it stays given up. Were it retried, it would load records that
     * Kafka delivers again from the committed offset, and that the task loads under other labels.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aLoadOfClosedPartitionsStaysGivenUpWhenTheyComeBackToTheSameTask(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(prepareOrLoadPath()).times(100_000));
        StreamLoadSinkTask task = startTask(Map.of("max.retries", "1000000", "close.max.wait.ms", "100",
                "buffer.max.records", "40"));
        try {
            task.put(records(0, 100));
            task.close(List.of(tp()));
            task.open(List.of(tp()));
            emulator.clearFaults();
            waitFor(() -> task.pendingLoads() == 0, Duration.ofSeconds(10),
                    "the loads of the earlier assignment to end");

            // Nothing was committed, so Kafka delivers the records again from the start.
            task.put(records(0, 150));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), task.preCommit(Map.of()));
        } finally {
            emulator.clearFaults();
            task.stop();
        }
        assertExactlyOnce(150);
    }

    /**
     * A load that was still to begin when its partition was closed (here: waiting for its turn
     * under load.max.rate). The next owner recovers the partition and loads its records meanwhile,
     * finding no transaction of that load in the intent log; the load must then begin none.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aLoadStillToBeginWhenItsPartitionIsClosedBeginsNoTransactionAfterwards(Dialect d) throws Exception {
        setUp(d);
        StreamLoadSinkTask old = startTask(Map.of("load.max.rate", "0.25", "buffer.max.records", "50",
                "close.max.wait.ms", "100"));
        try {
            // Two batches: the first loads at once, the second waits four seconds for its turn.
            old.put(records(0, 100));
            waitFor(() -> emulator.rowCount(DB, table) == 50, Duration.ofSeconds(10), "the first batch loaded");
            old.close(List.of(tp()));

            // No offset was committed: the next owner gets every record again.
            StreamLoadSinkTask next = startTask(Map.of("buffer.max.records", "30"));
            next.put(records(0, 150));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), next.preCommit(Map.of()));
            next.stop();
            waitFor(() -> old.pendingLoads() == 0, Duration.ofSeconds(10), "the waiting load to end");
        } finally {
            old.stop();
        }
        assertExactlyOnce(150);
    }

    /** Only a cooperative rebalance closes part of a running load's partitions; exactly-once cannot hold then. */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void closingPartOfARunningLoadsPartitionsIsWarnedAbout(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(prepareOrLoadPath()).times(100_000));
        StreamLoadSinkTask task = startTask(Map.of("max.retries", "1000000", "close.max.wait.ms", "100",
                "commit.max.wait.ms", "0"));
        try {
            TopicPartition other = new TopicPartition(topic, 1);
            task.open(List.of(other));
            List<SinkRecord> both = new ArrayList<>(records(0, 10));
            both.add(new SinkRecord(topic, 1, null, null, null, "{\"id\":1000}", 0));
            task.put(both);
            task.preCommit(Map.of());
            String log = logOf(() -> task.close(List.of(tp())));
            assertTrue(log.contains("exactly-once holds across eager rebalances only"), log);
        } finally {
            emulator.clearFaults();
            task.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void committedButOffsetsNotCommitted(Dialect d) {
        setUp(d);
        loadedTransactionsThenTheSameRecordsAgain();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void preparedButNotCommitted(Dialect d) {
        setUp(d);
        // Every commit fails: the transaction stays prepared, the task fails.
        failWhileTheTargetRefuses(commitPath(), 100);
        assertEquals(0, emulator.rowCount(DB, table), "prepared, not visible");

        StreamLoadSinkTask next = startTask(Map.of());
        assertEquals(100, emulator.rowCount(DB, table), "recovery committed the prepared transaction");
        next.put(records(0, 150));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(150);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void begunButNotPrepared(Dialect d) {
        setUp(d);
        failWhileTheTargetRefuses(prepareOrLoadPath(), 100);

        StreamLoadSinkTask next = startTask(Map.of());
        next.put(records(0, 100));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(100)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(100);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void gatewayErrorsAfterCommitAreResolvedWithoutDuplicates(Dialect d) {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(3));
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(commitPath()).times(2));
        StreamLoadSinkTask task = startTask(Map.of("buffer.max.records", "50"));
        task.put(records(0, 400));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(400)), task.preCommit(Map.of()));
        task.stop();
        assertExactlyOnce(400);
    }

    /**
     * The bad records the error log names are left out of the rest's transaction, whose intent
     * claims only the records it carries: when the records come again (their offsets never reached
     * Kafka), the loaded ones are skipped and the bad ones are refused and reported again, never
     * taken as loaded. The rest's commit answered with a 502 is settled under its one label.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void rejectedRecordsStayOutOfTheRestsTransactionAndItsIntent(Dialect d) {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).path(commitPath()).times(1));
        Map<Long, String> reported = new TreeMap<>();
        StreamLoadSinkTask first = startTask(Map.of("errors.tolerance", "all"), reported);
        first.put(recordsWithBadOnes(0, 100));
        first.preCommit(Map.of());
        first.stop();
        assertTrue(emulator.pendingFaults().isEmpty(), "the commit's 502 came");
        assertEquals(Set.of(10L, 50L, 51L), reported.keySet());
        assertEquals(List.of("ABORTED", "VISIBLE"), emulator.loads().stream().filter(l -> l.table().equals(table))
                .map(l -> l.state().name()).toList(), "the refused transaction's error log named the three");
        assertStoredIds(goodIds(0, 100));

        reported.clear();
        StreamLoadSinkTask next = startTask(Map.of("errors.tolerance", "all"), reported);
        next.put(recordsWithBadOnes(0, 120));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(120)), next.preCommit(Map.of()));
        next.stop();
        assertEquals(Set.of(10L, 50L, 51L, 100L, 110L), reported.keySet(), "the bad records came again and were refused");
        reported.values().forEach(reason -> assertTrue(reason.contains("NULL value in non-nullable column 'id'"),
                reason));
        assertStoredIds(goodIds(0, 120));
    }

    private List<SinkRecord> recordsWithBadOnes(long first, int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = first; offset < first + count; offset++) {
            String value = offset % 50 == 0 && offset > 0 || offset % 100 == 10 || offset == 51 ? "{\"id\":null}"
                    : "{\"id\":" + offset + "}";
            records.add(new SinkRecord(topic, 0, null, null, null, value, offset));
        }
        return records;
    }

    private static List<Long> goodIds(long first, int count) {
        return java.util.stream.LongStream.range(first, first + count)
                .filter(offset -> !(offset % 50 == 0 && offset > 0 || offset % 100 == 10 || offset == 51))
                .boxed().toList();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTaskStoppedWithAPreparedTransactionCommitsItOnTheWayOut(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(commitPath()).times(1_000));
        StreamLoadSinkTask task = startTask(Map.of("max.retries", "1", "commit.max.wait.ms", "0"));
        task.put(records(0, 100));
        task.preCommit(Map.of());
        io.streamload.connect.testing.Conditions.waitFor(() -> emulator.loads().stream()
                .anyMatch(l -> l.table().equals(table) && l.state().name().equals("PREPARED")),
                java.time.Duration.ofSeconds(10), "a prepared transaction");
        assertEquals(0, emulator.rowCount(DB, table));
        // The connector is deleted: stop() ends what it left open before returning.
        emulator.clearFaults();
        task.stop();
        assertEquals(100, emulator.rowCount(DB, table), "committed on the way out, not left prepared");
        assertTrue(emulator.loads().stream().filter(l -> l.table().equals(table))
                .noneMatch(l -> l.state().name().startsWith("PREPARE")), "no transaction left open");
        assertExactlyOnce(100);
    }

    /**
     * stop() with a load still running: after close.max.wait.ms its request is cut, and the
     * transaction it began is rolled back before the task's client closes, not left to time out.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTaskStoppedWhileALoadRunsRollsItsTransactionBackOnTheWayOut(Dialect d) throws Exception {
        setUp(d);
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(3)).path(loadPath()).times(1));
        StreamLoadSinkTask task = startTask(Map.of("close.max.wait.ms", "100", "commit.max.wait.ms", "0"));
        task.put(records(0, 100));
        task.preCommit(Map.of());
        waitFor(() -> emulator.loads().stream()
                .anyMatch(l -> l.table().equals(table) && l.state().name().equals("PREPARE")),
                Duration.ofSeconds(10), "a transaction being loaded");
        task.stop();
        assertTrue(emulator.loads().stream().filter(l -> l.table().equals(table))
                .noneMatch(l -> l.state().name().startsWith("PREPARE")), "no transaction left open");

        StreamLoadSinkTask next = startTask(Map.of());
        next.put(records(0, 100));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(100)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(100);
    }

    // A topic deleted and created again starts again at offset 0 with other records. The intents of
    // the old topic name the same offsets: recovery must tell them apart by the topic's id.

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTopicCreatedAgainBeforeTheNextTaskHasItsNewRecordsLoaded(Dialect d) throws Exception {
        setUp(d);
        createTopic();
        StreamLoadSinkTask first = startTask(Map.of());
        first.put(records(0, 200));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(200)), first.preCommit(Map.of()));
        first.stop();
        recreateTopic();

        // The connector created again under the same name reads the new topic from offset 0.
        String log = logOf(() -> {
            StreamLoadSinkTask next = startTask(Map.of());
            next.put(records(0, 200, 1_000));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(200)), next.preCommit(Map.of()));
            next.stop();
        });
        assertStoredIds(ids(0, 200), ids(1_000, 200));
        assertTrue(log.contains("loaded records of an earlier topic " + topic), "the set-aside intents are logged");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTopicCreatedAgainWhileTheTaskRunsComesBackThroughOpenWithItsNewId(Dialect d) throws Exception {
        setUp(d);
        createTopic();
        StreamLoadSinkTask task = startTask(Map.of());
        try {
            task.put(records(0, 150));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), task.preCommit(Map.of()));
            // Deleting the topic revokes its partitions; created again, they are assigned again.
            task.close(List.of(tp()));
            recreateTopic();
            task.open(List.of(tp()));
            task.put(records(0, 150, 1_000));
            assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), task.preCommit(Map.of()));
        } finally {
            task.stop();
        }
        assertStoredIds(ids(0, 150), ids(1_000, 150));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTransactionPreparedBeforeTheTopicWasCreatedAgainIsCommittedAndTheNewRecordsLoaded(Dialect d)
            throws Exception {
        setUp(d);
        createTopic();
        failWhileTheTargetRefuses(commitPath(), 100);
        recreateTopic();

        StreamLoadSinkTask next = startTask(Map.of());
        assertEquals(100, emulator.rowCount(DB, table), "recovery committed the old topic's prepared transaction");
        next.put(records(0, 100, 1_000));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(100)), next.preCommit(Map.of()));
        next.stop();
        assertStoredIds(ids(0, 100), ids(1_000, 100));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theSameTopicStillSkipsWhatItsCommittedTransactionsLoaded(Dialect d) {
        setUp(d);
        createTopic();
        // Not created again: the ids match, the records delivered again are the ones loaded.
        loadedTransactionsThenTheSameRecordsAgain();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anIntentWithoutTopicIdsIsRecoveredByItsOffsetsAsBefore(Dialect d) throws Exception {
        setUp(d);
        createTopic();
        startTask(Map.of()).stop(); // the intent log topic exists
        // As an earlier version wrote it: committed, offsets 0..49, no topic ids.
        String connector = "eo-" + table;
        String label = "old-" + table;
        kafka.produce("streamload-intent-log", connector + "/" + label, "{\"connector\":\"" + connector
                + "\",\"label\":\"" + label + "\",\"table\":\"" + table + "\",\"txnId\":7,\"state\":\"COMMITTED\","
                + "\"ranges\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"first\":0,\"last\":49}]}");

        StreamLoadSinkTask task = startTask(Map.of());
        task.put(records(0, 100));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
        task.stop();
        assertStoredIds(ids(50, 50));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTopicTheLogsClusterDoesNotHaveIsWarnedAboutOnceAndLoadedAsBefore(Dialect d) throws Exception {
        setUp(d);
        topic = "elsewhere-" + table;
        String log = logOf(() -> {
            StreamLoadSinkTask task = startTask(Map.of());
            try {
                task.put(records(0, 100));
                assertEquals(Map.of(tp(), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
                task.close(List.of(tp()));
                task.open(List.of(tp()));
                task.put(records(100, 50));
                assertEquals(Map.of(tp(), new OffsetAndMetadata(150)), task.preCommit(Map.of()));
            } finally {
                task.stop();
            }
        });
        assertExactlyOnce(150);
        String warning = "cannot tell topic " + topic + " from an earlier topic";
        assertEquals(1, log.split(java.util.regex.Pattern.quote(warning), -1).length - 1,
                "one WARN over two open()s: " + log);
        assertTrue(log.contains("exactly.once.log.bootstrap.servers"), "the WARN says what to change");
    }

    private void createTopic() {
        topic = "t-" + table;
        kafka.createTopic(topic, 1);
    }

    /** Deletes the topic and creates it again: same name, another id, offsets from 0 again. */
    private void recreateTopic() throws Exception {
        try (Admin admin = kafka.createAdminClient()) {
            Uuid before = topicId(admin);
            admin.deleteTopics(List.of(topic)).all().get();
            waitFor(() -> {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return false; // still being deleted
                    }
                    throw e;
                }
            }, Duration.ofSeconds(30), "topic " + topic + " created again");
            assertNotEquals(before, topicId(admin), "a topic created again has another id");
        }
    }

    /** The topic's id, once the broker describes it (a topic just created may not be known yet). */
    private Uuid topicId(Admin admin) throws InterruptedException {
        AtomicReference<Uuid> id = new AtomicReference<>();
        waitFor(() -> {
            try {
                id.set(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId());
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return false;
                }
                throw e;
            }
        }, Duration.ofSeconds(30), "topic " + topic + " described");
        return id.get();
    }

    /** What the JVM logs (slf4j-simple writes to System.err) while {@code body} runs. */
    private static String logOf(Executable body) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (captured) {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
        try {
            body.execute();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            System.setErr(original);
        }
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<Long> ids(long first, int count) {
        return java.util.stream.LongStream.range(first, first + count).boxed().toList();
    }

    /** The table holds exactly these ids, each once. */
    @SafeVarargs
    private void assertStoredIds(List<Long>... expected) {
        Map<Long, Integer> want = new TreeMap<>();
        for (List<Long> group : expected) {
            group.forEach(id -> want.merge(id, 1, Integer::sum));
        }
        Map<Long, Integer> stored = new TreeMap<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            stored.merge(((Number) row.get("id")).longValue(), 1, Integer::sum);
        }
        assertEquals(want, stored);
    }

    /** A task loads {@code count} records while every request to {@code path} gets a 502: it fails. */
    private void failWhileTheTargetRefuses(String path, int count) {
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path(path).times(1_000));
        StreamLoadSinkTask first = startTask(Map.of("max.retries", "1"));
        first.put(records(0, count));
        assertThrows(ConnectException.class, () -> {
            first.preCommit(Map.of());
            first.put(List.of());
        });
        first.stop();
        emulator.clearFaults();
    }

    private void setUp(Dialect d) {
        dialect = d;
        emulator = EMULATORS.get(d);
        table = "eo" + TABLES.incrementAndGet();
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true)
                .duplicateKey("id")
                .build());
    }

    private String commitPath() {
        return dialect == Dialect.DORIS ? "_stream_load_2pc" : "/api/transaction/commit";
    }

    /** Where the rows go: StarRocks' transaction load, Doris' two-phase stream load. */
    private String loadPath() {
        return dialect == Dialect.DORIS ? "/" + table + "/_stream_load" : "/api/transaction/load";
    }

    private String prepareOrLoadPath() {
        return dialect == Dialect.DORIS ? "/" + table + "/_stream_load" : "/api/transaction/prepare";
    }

    /**
     * A task commits its transactions for 200 records but their offsets never reach Kafka; the
     * next owner gets them again with 50 more: each must be stored once.
     */
    private void loadedTransactionsThenTheSameRecordsAgain() {
        StreamLoadSinkTask first = startTask(Map.of());
        first.put(records(0, 200));
        first.preCommit(Map.of());
        first.stop();
        StreamLoadSinkTask next = startTask(Map.of());
        next.put(records(0, 250));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(250)), next.preCommit(Map.of()));
        next.stop();
        assertExactlyOnce(250);
    }

    private StreamLoadSinkTask startTask(Map<String, String> overrides) {
        return startTask(overrides, io.streamload.connect.load.TaskClock.SYSTEM);
    }

    /** A task whose reporter keeps each reported record's offset and reason in {@code reported}. */
    private StreamLoadSinkTask startTask(Map<String, String> overrides, Map<Long, String> reported) {
        return startTask(overrides, io.streamload.connect.load.TaskClock.SYSTEM, (record, error) -> {
            synchronized (reported) {
                reported.put(record.kafkaOffset(), error.getMessage());
            }
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
    }

    private StreamLoadSinkTask startTask(Map<String, String> overrides, io.streamload.connect.load.TaskClock clock) {
        return startTask(overrides, clock, null);
    }

    private StreamLoadSinkTask startTask(Map<String, String> overrides, io.streamload.connect.load.TaskClock clock,
                                         org.apache.kafka.connect.sink.ErrantRecordReporter reporter) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "eo-" + table);
        props.put("target", dialect == Dialect.DORIS ? "doris" : "starrocks");
        props.put("topics", topic);
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", topic + ":" + table);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "100");
        props.put("buffer.flush.interval.ms", "3600000");
        props.put("delivery.guarantee", "exactly_once");
        props.put("exactly.once.log.bootstrap.servers", kafka.bootstrapServers());
        props.putAll(overrides);
        StreamLoadSinkTask task = new StreamLoadSinkTask(clock);
        FakeSinkTaskContext context = reporter == null ? new FakeSinkTaskContext(props)
                : new FakeSinkTaskContext(props).withReporter(reporter);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
        return task;
    }

    private void assertExactlyOnce(int count) {
        Map<Long, Integer> ids = new TreeMap<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            ids.merge(((Number) row.get("id")).longValue(), 1, Integer::sum);
        }
        assertEquals(count, ids.size(), "distinct ids");
        assertTrue(ids.values().stream().allMatch(n -> n == 1), "an id stored twice: " + ids);
        assertEquals(count, emulator.rowCount(DB, table));
    }

    private List<SinkRecord> records(long first, int count) {
        return records(first, count, 0);
    }

    /** The records at offsets {@code first} on, each with id {@code idBase + offset}. */
    private List<SinkRecord> records(long first, int count, long idBase) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = first; offset < first + count; offset++) {
            records.add(new SinkRecord(topic, 0, null, null, null, "{\"id\":" + (idBase + offset) + "}", offset));
        }
        return records;
    }

    /** The offset from which {@link #structRecords} carry the field {@code note}. */
    private static final long WITH_NOTE = 60;
    private static final Schema ROW = SchemaBuilder.struct().name("eo.Row")
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ROW_WITH_NOTE = SchemaBuilder.struct().name("eo.Row")
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA).build();

    /** Struct records with id = offset; from {@link #WITH_NOTE} on their schema has one more field. */
    private List<SinkRecord> structRecords(long first, int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = first; offset < first + count; offset++) {
            Schema schema = offset >= WITH_NOTE ? ROW_WITH_NOTE : ROW;
            Struct value = new Struct(schema).put("id", offset).put("name", "n" + offset);
            if (offset >= WITH_NOTE) {
                value.put("note", "note" + offset);
            }
            records.add(new SinkRecord(topic, 0, null, null, schema, value, offset));
        }
        return records;
    }

    private TopicPartition tp() {
        return new TopicPartition(topic, 0);
    }
}
