package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;

/**
 * Many tables against a target with a version limit, through the emulator: a load refused for too
 * many versions is sent again under its label until compaction lets it in, and with the load rate
 * capped every table is served in the order its batches were sealed, none starved by a busy one.
 */
class ManyTablesTaskTest {

    private static final String DB = "db";
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;
    private FakeSinkTaskContext context;
    private boolean compacting;

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aLoadRefusedForTooManyVersionsLoadsUnderItsLabelOnceCompactionCatchesUp(Dialect dialect) throws Exception {
        emulator = StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret")
                .maxTabletVersions(2).compactionVersionsPerSecond(0).start();
        createTables(1);
        start(1, Map.of("buffer.max.records", "10", "max.retries", "1000", "retry.backoff.max.ms", "100"));

        task.put(records(0, 0, 40));

        waitFor(() -> !refused().isEmpty(), Duration.ofSeconds(20), "a load refused for too many versions");
        LoadRecord first = refused().get(0);
        assertEquals(20, emulator.rowCount(DB, "t0"), "two loads took the tablet to 3 versions, past the limit of 2");
        emulator.versionSettings(-1, 50);

        waitFor(() -> emulator.rowCount(DB, "t0") == 40, Duration.ofSeconds(30), "every row stored");
        assertEquals(Map.of(tp(0), new OffsetAndMetadata(40)), task.preCommit(Map.of()), "every offset committed");
        List<LoadRecord> ofTheLabel = emulator.loads().stream().filter(l -> l.label().equals(first.label())).toList();
        assertTrue(ofTheLabel.stream().anyMatch(l -> l.state() == LoadState.VISIBLE),
                "the refused label itself loaded later: " + ofTheLabel);
        Set<Long> ids = emulator.rows(DB, "t0").stream().map(r -> ((Number) r.get("id")).longValue())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(40, ids.size(), "each record once");
        assertTrue(emulator.peakTabletVersions(DB, "t0") <= 3, "no load got past the limit");
    }

    @Test
    void underARateCapNoTableStarvesBehindABusyOne() throws Exception {
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").start();
        int tables = 30;
        int rate = 25;
        createTables(tables);
        start(tables, Map.of("load.max.rate", Integer.toString(rate), "buffer.max.records", "20",
                "buffer.flush.interval.ms", "200", "max.in.flight.loads", "4"));

        // The hot table seals a full batch as fast as the cap allows loads; the others trickle.
        long hotOffset = 0;
        for (int round = 0; round < 10; round++) {
            List<SinkRecord> batch = new ArrayList<>(records(0, hotOffset, 100));
            hotOffset += 100;
            for (int cold = 1 + round * 3; cold <= Math.min(tables - 1, round * 3 + 3); cold++) {
                batch.addAll(records(cold, 0, 1));
            }
            task.put(batch);
            // The next burst comes once loads are under way: the busy table always has a backlog.
            int started = 3 * (round + 1);
            waitFor(() -> emulator.loads().size() >= started, Duration.ofSeconds(20), started + " loads started");
        }
        long hotRecords = hotOffset;
        waitFor(() -> emulator.rowCount(DB, "t0") == hotRecords
                        && java.util.stream.IntStream.range(1, tables).allMatch(t -> emulator.rowCount(DB, "t" + t) == 1),
                Duration.ofSeconds(60), "every table's rows stored");

        List<LoadRecord> loads = emulator.loads();
        long lastHotStart = loads.stream().filter(l -> l.table().equals("t0")).mapToLong(LoadRecord::createdMillis)
                .max().orElseThrow();
        for (int t = 1; t < tables; t++) {
            String table = "t" + t;
            long start = loads.stream().filter(l -> l.table().equals(table)).mapToLong(LoadRecord::createdMillis)
                    .min().orElseThrow();
            assertTrue(start < lastHotStart, table + " waited for the busy table's whole backlog: it started at "
                    + start + ", the busy table's last load at " + lastHotStart);
        }
        // The emulator sees a load when its BE starts it, after the FE's redirect: the time each of
        // the 4 loads in flight spends getting there may bunch up their starts within a second.
        long[] starts = loads.stream().mapToLong(LoadRecord::createdMillis).sorted().toArray();
        for (int i = 0; i < starts.length; i++) {
            int j = i;
            while (j < starts.length && starts[j] - starts[i] < 1000) {
                j++;
            }
            assertTrue(j - i <= rate + 4, (j - i) + " loads started within one second, above load.max.rate " + rate
                    + " and the 4 loads in flight");
        }
        double seconds = (starts[starts.length - 1] - starts[0]) / 1000.0;
        assertTrue((starts.length - 1) / seconds <= rate * 1.05, (starts.length - 1) + " loads in " + seconds
                + " s, above load.max.rate " + rate);
        Map<TopicPartition, OffsetAndMetadata> expected = new HashMap<>();
        expected.put(tp(0), new OffsetAndMetadata(hotRecords));
        for (int t = 1; t < tables; t++) {
            expected.put(tp(t), new OffsetAndMetadata(1));
        }
        assertEquals(expected, task.preCommit(Map.of()), "every offset committed");
    }

    /**
     * Records keep coming while loads are refused for too many versions, rate-capped and queued:
     * due buffers are held back behind their table's queued batch, intervals grow and recover,
     * refused loads are sent again under their labels. Every record is stored exactly once, no
     * offset is in two loads that the target made visible, and every offset is committed; the
     * slow-down counter matches the refusals the target answered and the flush interval shows the
     * growth.
     */
    @Test
    void underVersionPressureEveryRecordIsStoredOnceAndTheMetricsShowTheSlowDown() throws Exception {
        // No compaction until the first refusal, so that there is one whatever the machine's speed.
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").maxTabletVersions(2)
                .compactionVersionsPerSecond(0).start();
        int tables = 8;
        int rounds = 60;
        createTables(tables);
        start(tables, Map.of("buffer.flush.interval.ms", "50", "buffer.flush.interval.max.ms", "1600",
                "load.max.rate", "40", "max.in.flight.loads", "4", "max.retries", "1000"));

        long longestInterval = 0;
        for (int round = 0; round < rounds; round++) {
            List<SinkRecord> batch = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                batch.addAll(records(t, round, 1));
            }
            task.put(batch);
            // The next records come once the target saw another attempt: they arrive while loads
            // are queued, refused and retried, not all before the first flush.
            int seen = emulator.loads().size();
            waitFor(() -> emulator.loads().size() > seen, Duration.ofSeconds(20), "a load attempt after round " + round);
            compactOnceRefused(20);
            for (int t = 0; t < tables; t++) {
                Long reading = tableMetricIfRegistered("t" + t, "flush-interval-ms");
                if (reading == null) {
                    continue;
                }
                long interval = reading;
                assertTrue(interval >= 50 && interval <= 1600, "t" + t + " flush interval " + interval + " ms");
                longestInterval = Math.max(longestInterval, interval);
            }
        }
        waitFor(() -> IntStream.range(0, tables).allMatch(t -> emulator.rowCount(DB, "t" + t) == rounds),
                Duration.ofSeconds(60), "every table's rows stored");

        List<LoadRecord> loads = emulator.loads();
        Map<TopicPartition, OffsetAndMetadata> expected = new HashMap<>();
        for (int t = 0; t < tables; t++) {
            String table = "t" + t;
            List<Long> ids = emulator.rows(DB, table).stream().map(r -> ((Number) r.get("id")).longValue()).sorted()
                    .toList();
            assertEquals(idsUpTo(rounds), ids, table + ": each record exactly once");
            int[] loadedBy = new int[rounds];
            for (LoadRecord load : loads) {
                if (load.table().equals(table) && load.state() == LoadState.VISIBLE) {
                    String[] parts = load.label().split("-");
                    for (long o = Long.parseLong(parts[parts.length - 3]); o <= Long.parseLong(parts[parts.length - 2]);
                         o++) {
                        loadedBy[(int) o]++;
                    }
                }
            }
            for (int o = 0; o < rounds; o++) {
                assertEquals(1, loadedBy[o], table + " offset " + o + " in this many visible loads");
            }
            expected.put(tp(t), new OffsetAndMetadata(rounds));
        }
        assertEquals(expected, task.preCommit(Map.of()), "every offset committed");

        long refusals = emulator.refusedForVersions();
        assertTrue(refusals > 0, "the target refused loads for too many versions");
        assertEquals(refusals, taskMetric("load-slow-downs-total"), "one slow-down counted per refusal");
        for (int t = 0; t < tables; t++) {
            String table = "t" + t;
            assertEquals(emulator.refusedForVersions(DB, table), tableMetric(table, "load-slow-downs-total"),
                    table + " slow-downs");
        }
        assertTrue(refusals <= taskMetric("load-retries-total"), "slow-downs are retries too");
        assertTrue(longestInterval > 50, "a table's flush interval grew after refusals; longest seen "
                + longestInterval + " ms");
    }

    /**
     * {@code buffer.total.max.bytes} holds over many tables while loads are slowed (refused for
     * too many versions, rate-capped): records come one per {@code put()}, and only while the
     * task has not paused its partitions, as the worker delivers them. What the task holds,
     * buffered plus being loaded, never passes the bound by more than one record; the throttle
     * did pause; every record is stored once and every offset committed.
     */
    @Test
    void bufferedAndLoadingBytesStayWithinTheTotalBoundWhileLoadsAreSlowed() throws Exception {
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").maxTabletVersions(2)
                .compactionVersionsPerSecond(0).start();
        int tables = 20;
        int perTable = 40;
        long bound = 3000;
        createTables(tables);
        start(tables, Map.of("buffer.total.max.bytes", Long.toString(bound), "buffer.max.bytes", "1000",
                "buffer.full.max.wait.ms", "50",
                "buffer.flush.interval.ms", "100", "buffer.flush.interval.max.ms", "800", "load.max.rate", "50",
                "max.in.flight.loads", "2",
                "max.retries", "1000"));

        List<SinkRecord> pending = new ArrayList<>();
        for (int offset = 0; offset < perTable; offset++) {
            for (int t = 0; t < tables; t++) {
                pending.addAll(records(t, offset, 1));
            }
        }
        // One record as the body holds it: its JSON, a separator, and the array's closing bracket.
        long oneRecord = pending.stream().mapToLong(r -> ((String) r.value()).length()).max().orElseThrow() + 2;
        long mostHeld = 0;
        int pausedPuts = 0;
        int next = 0;
        while (next < pending.size()) {
            if (context.paused().isEmpty()) {
                task.put(List.of(pending.get(next++)));
            } else {
                // Paused: the worker polls nothing for the task and hands it an empty batch.
                pausedPuts++;
                task.put(List.of());
            }
            // Loading first: a seal in between moves bytes from buffered to loading, so this
            // order can miss bytes but never counts them twice.
            long held = taskMetric("loading-bytes") + taskMetric("buffered-bytes");
            mostHeld = Math.max(mostHeld, held);
            // The bound is checked when put() is called, with the records of every put() before it
            // buffered; the ones it hands over are taken after that: two puts of one record each.
            assertTrue(held <= bound + 2 * oneRecord, held + " bytes held after " + next + " records, above "
                    + "buffer.total.max.bytes " + bound + " plus two records (" + oneRecord + " each)");
            compactOnceRefused(30);
        }
        compactOnceRefused(30);
        assertTrue(pausedPuts > 0, "the throttle paused intake; most held " + mostHeld + " bytes");
        waitFor(() -> IntStream.range(0, tables).allMatch(t -> emulator.rowCount(DB, "t" + t) == perTable),
                Duration.ofSeconds(60), "every table's rows stored");
        Map<TopicPartition, OffsetAndMetadata> expected = new HashMap<>();
        for (int t = 0; t < tables; t++) {
            List<Long> ids = emulator.rows(DB, "t" + t).stream().map(r -> ((Number) r.get("id")).longValue())
                    .sorted().toList();
            assertEquals(idsUpTo(perTable), ids, "t" + t + ": each record exactly once");
            expected.put(tp(t), new OffsetAndMetadata(perTable));
        }
        assertEquals(expected, task.preCommit(Map.of()), "every offset committed");
        assertTrue(emulator.refusedForVersions() > 0, "loads were slowed by refusals for too many versions");
    }

    /** Starts compaction at {@code rate} once the target has refused a load for too many versions. */
    private void compactOnceRefused(double rate) {
        if (!compacting && emulator.refusedForVersions() > 0) {
            emulator.versionSettings(-1, rate);
            compacting = true;
        }
    }

    /** The ids 0 to n - 1, each once. */
    private static List<Long> idsUpTo(int n) {
        return LongStream.range(0, n).boxed().toList();
    }

    private long taskMetric(String name) throws Exception {
        return ((Number) JMX.getAttribute(new ObjectName(
                "kafka.connect:type=streamload-sink-task-metrics,connector=many-tables,task=0"), name)).longValue();
    }

    private long tableMetric(String table, String name) throws Exception {
        ObjectName bean = new ObjectName("kafka.connect:type=streamload-sink-table-metrics,connector=many-tables,"
                + "task=0,table=" + table);
        return ((Number) JMX.getAttribute(bean, name)).longValue();
    }

    /**
     * The metric, or null while the table has no metrics bean: it appears with the table's first
     * load attempt, and Kafka's JmxReporter unregisters and registers it again whenever a metric
     * is added to it, so a reading may find it gone for a moment.
     */
    private Long tableMetricIfRegistered(String table, String name) throws Exception {
        try {
            return tableMetric(table, name);
        } catch (InstanceNotFoundException e) {
            return null;
        }
    }

    private List<LoadRecord> refused() {
        return emulator.loads().stream().filter(l -> l.state() == LoadState.ABORTED && l.message() != null
                && (l.message().contains("too many versions") || l.message().contains("version count"))).toList();
    }

    private void createTables(int count) {
        for (int t = 0; t < count; t++) {
            emulator.createTable(TableDefinition.builder(DB, "t" + t).column("id", "BIGINT", false)
                    .column("name", "VARCHAR(8)", true).duplicateKey("id").build());
        }
    }

    private void start(int tables, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        List<String> topics = new ArrayList<>();
        List<String> map = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            topics.add("topic" + t);
            map.add("topic" + t + ":t" + t);
            partitions.add(tp(t));
        }
        props.put("name", "many-tables");
        props.put("topics", String.join(",", topics));
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", String.join(",", map));
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(partitions);
        task.open(partitions);
    }

    private static List<SinkRecord> records(int topic, long firstOffset, int count) {
        List<SinkRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = firstOffset + i;
            records.add(new SinkRecord("topic" + topic, 0, null, null, null,
                    "{\"id\":" + offset + ",\"name\":\"n" + (offset % 1000) + "\"}", offset));
        }
        return records;
    }

    private static TopicPartition tp(int topic) {
        return new TopicPartition("topic" + topic, 0);
    }
}
