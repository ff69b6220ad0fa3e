package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;

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
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
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
