package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
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

import io.streamload.connect.testing.Conditions;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.connect.testing.ManualClock;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * The task against an emulated cluster with three FEs: balancing and failover, every FE down,
 * the retry time budget, a stuck BE, and metrics read back over JMX against what the emulator
 * stores. Driven as a worker drives a task, without Kafka, so each case takes about a second.
 */
class NetworkSinkTaskTest {

    private static final String DB = "db";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static StreamLoadEmulator emulator;

    private String table;
    private String connector;
    private StreamLoadSinkTask task;

    @BeforeAll
    static void startEmulator() {
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").frontends(3).start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void createTable() {
        table = "n" + TABLES.incrementAndGet();
        connector = "network-test-" + table;
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .duplicateKey("id")
                .build());
    }

    @AfterEach
    void stopTask() {
        emulator.clearFaults();
        for (int fe = 0; fe < 3; fe++) {
            emulator.startFe(fe);
        }
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void loadsAreSpreadOverTheFesAndADeadFeIsMarkedDown() throws Exception {
        emulator.stopFe(1);
        start(Map.of("buffer.max.records", "50"));
        put(records(0, 0, 500));

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(500)), task.preCommit(Map.of()));
        assertExactlyOnce(500);
        assertEquals(1L, fe(0, "fe-up"));
        assertEquals(0L, fe(1, "fe-up"), "three refusals marked FE 1 down");
        assertEquals(1L, fe(2, "fe-up"));
        assertEquals(3L, fe(1, "fe-failures-total"), "skipped once marked down");
    }

    @Test
    void whenEveryFeIsDownTheTaskKeepsRetryingThenNamesEveryFeAndItsLastError() {
        for (int fe = 0; fe < 3; fe++) {
            emulator.stopFe(fe);
        }
        start(Map.of("buffer.max.records", "10", "max.retries", "4"));
        put(records(0, 0, 10));
        task.preCommit(Map.of());

        ConnectException failure = assertThrows(ConnectException.class, () -> put(records(0, 10, 1)));
        String message = failure.getMessage();
        assertTrue(message.contains("after 5 attempts (max.retries 4)"), message);
        for (int fe = 0; fe < 3; fe++) {
            assertTrue(message.contains(emulator.feUrl(fe) + " down"), message);
        }
        assertTrue(message.contains("last error: connect refused"), message);
        assertFalse(message.contains("secret"), "never the password: " + message);
        assertEquals(Map.of(), task.preCommit(Map.of()), "nothing committed");
    }

    @Test
    void anOutageOutlastingRetryMaxTimeFailsTheBatchInTime() {
        for (int fe = 0; fe < 3; fe++) {
            emulator.stopFe(fe);
        }
        // A ten-minute budget with the default backoff (up to 60 s between retries), on a clock
        // that does not wait: the budget is what was waited, to the millisecond.
        ManualClock clock = new ManualClock();
        start(Map.of("buffer.max.records", "10", "max.retries", "1000", "retry.max.time.ms", "600000",
                "retry.backoff.ms", "1000", "retry.backoff.max.ms", "60000"), clock);
        put(records(0, 0, 10));
        task.preCommit(Map.of());
        ConnectException failure = assertThrows(ConnectException.class, () -> put(records(0, 10, 1)));
        assertTrue(failure.getMessage().contains("(retry.max.time.ms 600000)"), failure.getMessage());
        assertTrue(clock.sleptMillis() <= 600_000 && clock.sleptMillis() >= 600_000 - 60_000,
                "retried for the budget and no longer: waited " + clock.sleptMillis() + " ms");
        assertEquals(Map.of(), task.preCommit(Map.of()), "nothing committed");
    }

    @Test
    void theFesComingBackBeforeTheBudgetIsSpentLosesNothing() throws Exception {
        for (int fe = 0; fe < 3; fe++) {
            emulator.stopFe(fe);
        }
        start(Map.of("buffer.max.records", "10", "max.retries", "1000", "load.fe.fail.timeout.ms", "200"));
        put(records(0, 0, 30)); // three full batches, loading in the background
        Conditions.waitFor(() -> taskMetric("load-retries-total") >= 3, Duration.ofSeconds(10), "retrying");
        emulator.startFe(2);
        Conditions.waitFor(() -> emulator.rowCount(DB, table) == 30, Duration.ofSeconds(10), "loaded once back");
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(30)), task.preCommit(Map.of()));
        assertExactlyOnce(30);
    }

    @Test
    void aStuckBeIsCutAtTheLoadTimeoutAndTheLabelKeepsItOnce() throws Exception {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(3)).table(table).times(1));
        start(Map.of("buffer.max.records", "20", "load.timeout.ms", "1000"));
        put(records(0, 0, 20));
        long started = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = task.preCommit(Map.of());
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(20)), offsets);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
        assertExactlyOnce(20);
        assertTrue(taskMetric("unknown-outcomes-total") >= 1, "the cut request was an unknown outcome");
        assertEquals(1L, taskMetric("unknown-resolved-loaded-total"), "the label showed it committed");
    }

    @Test
    void loadedCountersEqualWhatTheTargetStoresWith502sBeforeAndAfterCommit() throws Exception {
        // Ten batches of 100: three get a 502 before anything is loaded, three a 502 after
        // their load committed; each batch is hit once (faults are scoped by label).
        String labels = "kafka-" + connector + "-" + table + "-topic-";
        for (String first : List.of("0-0-", "0-200-", "0-400-")) {
            emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).label(labels + first).times(1));
        }
        for (String first : List.of("0-100-", "1-0-", "1-300-")) {
            emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).label(labels + first).times(1));
        }
        start(Map.of("buffer.max.records", "100"));
        put(records(0, 0, 600));
        put(records(1, 0, 400));
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(600), tp(1), new OffsetAndMetadata(400)),
                task.preCommit(Map.of()));

        long stored = emulator.rowCount(DB, table);
        assertEquals(1_000, stored);
        assertEquals(stored, taskMetric("records-loaded-total"));
        assertEquals(stored, taskMetric("rows-loaded-total"));
        assertEquals(emulator.loadedBytes(DB, table), taskMetric("bytes-loaded-total"));
        assertEquals(10L, taskMetric("loads-succeeded-total"), "ten batches");
        assertEquals(16L, taskMetric("load-attempts-total"), "ten batches, six of them twice");
        assertEquals(6L, taskMetric("load-retries-total"));
        assertEquals(6L, taskMetric("unknown-outcomes-total"));
        assertEquals(3L, taskMetric("unknown-resolved-loaded-total"), "502 after commit: counted once");
        assertEquals(3L, taskMetric("unknown-resolved-not-loaded-total"), "502 before load: counted on the resend");
        assertEquals(0L, taskMetric("loads-failed-total"));
        assertEquals(List.of(), emulator.pendingFaults().stream().filter(f -> f.remaining() > 0).toList(),
                "every injected 502 struck");
        assertEquals(0L, taskMetric("loads-in-flight"));
        assertEquals(stored, JMX.getAttribute(new ObjectName(
                "kafka.connect:type=streamload-sink-table-metrics,connector=" + connector + ",task=0,table=" + table),
                "rows-loaded-total"));
        assertEquals(600L, JMX.getAttribute(new ObjectName("kafka.connect:type=streamload-sink-partition-metrics,"
                + "connector=" + connector + ",task=0,topic=topic,partition=0"), "last-committed-offset"));
        assertTrue((Long) JMX.getAttribute(taskMBean(), "load-latency-p99-ms") >= 0);

        task.stop();
        task = null;
        assertEquals(Set.of(), JMX.queryNames(new ObjectName("kafka.connect:connector=" + connector + ",*"), null),
                "every metric unregistered on stop()");
    }

    private long taskMetric(String name) throws Exception {
        return (Long) JMX.getAttribute(taskMBean(), name);
    }

    private long fe(int index, String name) throws Exception {
        String hostPort = emulator.feUrl(index).replace("http://", "");
        return (Long) JMX.getAttribute(new ObjectName("kafka.connect:type=streamload-sink-fe-metrics,connector="
                + connector + ",task=0,fe=" + ObjectName.quote(hostPort)), name);
    }

    private ObjectName taskMBean() throws Exception {
        return new ObjectName("kafka.connect:type=streamload-sink-task-metrics,connector=" + connector + ",task=0");
    }

    private void start(Map<String, String> overrides) {
        start(overrides, TaskClock.SYSTEM);
    }

    private void start(Map<String, String> overrides, TaskClock clock) {
        Map<String, String> props = new HashMap<>();
        props.put("name", connector);
        props.put(StreamLoadSinkConnector.TASK_INDEX, "0");
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl(0) + "," + emulator.feUrl(1) + "," + emulator.feUrl(2));
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask(clock);
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp(0), tp(1)));
        task.open(List.of(tp(0), tp(1)));
    }

    private void put(List<SinkRecord> records) {
        task.put(records);
    }

    private void assertExactlyOnce(int count) {
        List<Map<String, Object>> rows = emulator.rows(DB, table);
        Set<Long> ids = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            ids.add(((Number) row.get("id")).longValue());
        }
        assertEquals(count, rows.size(), "rows stored");
        assertEquals(count, ids.size(), "distinct ids");
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

    private static TopicPartition tp(int partition) {
        return new TopicPartition("topic", partition);
    }
}
