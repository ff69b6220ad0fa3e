package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.table.TableDefinition;

/**
 * The task with {@code load.mode=merge_commit} against the emulator, driven as a worker drives it:
 * its loads land in the target's merged transactions, never under its own labels; bad records are
 * found and reported though the merged answer names no rows (StarRocks) and the rest loaded; and
 * a target too old to merge loads plainly, under the batches' labels.
 */
class MergeCommitTaskTest {

    private static final String DB = "db";
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final Map<SinkRecord, String> reported = new LinkedHashMap<>();
    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;
    private String table;

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void startEmulator(Dialect dialect, boolean mergesLoads) {
        emulator = StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret")
                .groupCommitInterval(Duration.ofMillis(50)).mergesLoads(mergesLoads).start();
        table = "m" + TABLES.incrementAndGet();
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .duplicateKey("id")
                .build());
    }

    private void startTask(Dialect dialect, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "merge-task-" + table);
        props.put("topics", "topic");
        props.put("target", dialect == Dialect.DORIS ? "doris" : "starrocks");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("load.mode", "merge_commit");
        if (dialect == Dialect.STARROCKS) {
            props.put("load.merge.interval.ms", "50");
        }
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter(new CollectingReporter());
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp(0), tp(1)));
        task.open(List.of(tp(0), tp(1)));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void loadsLandInTheTargetsMergedTransactionsAndOffsetsFollowTheirConfirmation(Dialect dialect) {
        startEmulator(dialect, true);
        startTask(dialect, Map.of("buffer.max.records", "50"));
        task.put(records(0, 0, 120));
        task.put(records(1, 0, 80));

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(120), tp(1), new OffsetAndMetadata(80)),
                task.preCommit(Map.of()));
        assertEquals(200, emulator.rowCount(DB, table));
        List<LoadRecord> loads = emulator.loads();
        assertTrue(!loads.isEmpty() && loads.stream().allMatch(l -> l.kind() == LoadRecord.Kind.MERGED),
                "only the target's merged transactions, none under the connector's labels: " + loads.stream()
                        .map(LoadRecord::label).toList());
        assertEquals(4, emulator.loadRequests(DB, table), "200 records in loads of 50");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void eachBadRecordIsReportedAndEveryGoodOneLoadedThoughTheTargetMergesLoads(Dialect dialect) {
        startEmulator(dialect, true);
        startTask(dialect, Map.of("errors.tolerance", "all"));
        Set<Long> bad = Set.of(5L, 33L, 60L);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 64; offset++) {
            String value = bad.contains(offset) ? "{\"id\":null,\"name\":\"n" + offset + "\"}"
                    : "{\"id\":" + offset + ",\"name\":\"n" + offset + "\"}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }
        task.put(records);

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(64)), task.preCommit(Map.of()));
        Set<Long> reportedOffsets = new TreeSet<>();
        reported.forEach((record, reason) -> {
            reportedOffsets.add(record.kafkaOffset());
            // Doris answers each load with its own ErrorURL; StarRocks' merged answer names no row,
            // so a record found alone carries the answer's message.
            assertTrue(reason.contains(dialect == Dialect.DORIS ? "non-nullable column 'id'"
                    : "Load is aborted, reason: too many filtered rows"), reason);
        });
        assertEquals(new TreeSet<>(bad), reportedOffsets);
        Set<Long> stored = new TreeSet<>();
        emulator.rows(DB, table).forEach(row -> stored.add(((Number) row.get("id")).longValue()));
        assertEquals(61, stored.size(), "every good record loaded, once");
        assertTrue(stored.stream().noneMatch(bad::contains));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMergedLoadThatFailsCommitsNoOffsetPastIt(Dialect dialect) {
        startEmulator(dialect, true);
        startTask(dialect, Map.of("buffer.max.records", "10"));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 30; offset++) {
            String value = offset == 14 ? "{\"id\":null}" : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }

        ConnectException failure = assertThrows(ConnectException.class, () -> {
            task.put(records);
            task.preCommit(Map.of());
            task.put(List.of());
        });

        assertTrue(failure.getMessage().contains("too many filtered rows"), failure.getMessage());
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertTrue(committed.getOrDefault(tp(0), new OffsetAndMetadata(0)).offset() <= 10,
                "nothing committed past the merged load that failed: " + committed);
        assertTrue(emulator.rowCount(DB, table) <= 10, "only the batch before it is stored");
    }

    @Test
    void aTargetThatDoesNotMergeLoadsPlainlyUnderTheBatchLabels() {
        startEmulator(Dialect.STARROCKS, false);
        startTask(Dialect.STARROCKS, Map.of("buffer.max.records", "50"));
        task.put(records(0, 0, 100));

        assertEquals(Map.of(tp(0), new OffsetAndMetadata(100)), task.preCommit(Map.of()));
        assertEquals(100, emulator.rowCount(DB, table));
        List<LoadRecord> loads = emulator.loads();
        assertEquals(2, loads.size());
        for (LoadRecord load : loads) {
            assertEquals(LoadRecord.Kind.STREAM_LOAD, load.kind());
            assertTrue(load.label().startsWith("kafka-"), "the batch's own label: " + load.label());
        }
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

    /** Stands in for the worker's reporter, which writes to the dead letter queue. */
    private final class CollectingReporter implements ErrantRecordReporter {
        @Override
        public Future<Void> report(SinkRecord record, Throwable error) {
            synchronized (reported) {
                reported.put(record, error.getMessage());
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
