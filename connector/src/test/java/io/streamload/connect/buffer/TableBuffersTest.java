package io.streamload.connect.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.streamload.connect.encode.JsonRowEncoder;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.offset.OffsetLedger;
import io.streamload.connect.routing.Router;

class TableBuffersTest {

    private static final BodyFraming JSON_ARRAY = BodyFraming.of("[", ",", "]");
    private static final long NO_INTERVAL = TimeUnit.HOURS.toNanos(1);

    private final List<Batch> sealed = new ArrayList<>();
    private final OffsetLedger ledger = new OffsetLedger();

    @Test
    void sealsWhenTheRecordCountIsReached() throws Exception {
        TableBuffers buffers = buffers(1 << 20, 3, NO_INTERVAL);
        for (int i = 0; i < 7; i++) {
            buffers.add(record("t", 0, i, "{\"id\":" + i + "}"), 0);
        }
        assertEquals(2, sealed.size());
        assertEquals(3, sealed.get(0).recordCount());
        assertEquals("[{\"id\":0},{\"id\":1},{\"id\":2}]", body(sealed.get(0)));
        assertEquals(List.of(new PartitionRange(new TopicPartition("t", 0), 3, 5)), sealed.get(1).ranges());
        assertEquals(1, buffers.bufferedRecords());
    }

    @Test
    void sealsWhenTheByteSizeIsReached() throws Exception {
        TableBuffers buffers = buffers(30, 1_000, NO_INTERVAL);
        buffers.add(record("t", 0, 0, "{\"id\":\"aaaaaaaaaa\"}"), 0);
        assertEquals(0, sealed.size());
        buffers.add(record("t", 0, 1, "{\"id\":\"bbbbbbbbbb\"}"), 0);
        assertEquals(1, sealed.size(), "the record that crosses the size seals the buffer");
        assertEquals(0, buffers.bufferedBytes());
    }

    @Test
    void sealsOnlyBuffersWhoseFirstRecordWaitedTheInterval() throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1);
        TableBuffers buffers = buffers(1 << 20, 1_000, interval);
        buffers.add(record("a", 0, 0, "{}"), 0);
        buffers.add(record("b", 0, 0, "{}"), TimeUnit.MILLISECONDS.toNanos(600));

        buffers.flushDue(TimeUnit.MILLISECONDS.toNanos(999));
        assertEquals(0, sealed.size());
        buffers.flushDue(TimeUnit.MILLISECONDS.toNanos(1_000));
        assertEquals(1, sealed.size());
        assertEquals("a", sealed.get(0).table());
        buffers.flushDue(TimeUnit.MILLISECONDS.toNanos(1_600));
        assertEquals(2, sealed.size());
    }

    @Test
    void flushAllAndFlushHolding() throws Exception {
        TableBuffers buffers = buffers(1 << 20, 1_000, NO_INTERVAL);
        buffers.add(record("a", 0, 0, "{}"), 0);
        buffers.add(record("b", 1, 0, "{}"), 0);
        buffers.flushHolding(List.of(new TopicPartition("b", 1)));
        assertEquals(List.of("b"), sealed.stream().map(Batch::table).toList());
        buffers.flushAll();
        assertEquals(List.of("b", "a"), sealed.stream().map(Batch::table).toList());
        buffers.flushAll();
        assertEquals(2, sealed.size(), "empty buffers are not sealed");
    }

    @Test
    void aRecordThatCannotBeEncodedLeavesNoTrace() throws Exception {
        TableBuffers buffers = buffers(1 << 20, 1_000, NO_INTERVAL);
        buffers.add(record("t", 0, 0, "{\"id\":0}"), 0);
        long bytes = buffers.bufferedBytes();
        assertThrows(RecordEncodingException.class, () -> buffers.add(record("t", 0, 1, "{\"id\": tru"), 0));
        assertEquals(bytes, buffers.bufferedBytes());
        buffers.flushAll();
        assertEquals("[{\"id\":0}]", body(sealed.get(0)));
        assertEquals(List.of(new PartitionRange(new TopicPartition("t", 0), 0, 0)), sealed.get(0).ranges());
    }

    @Test
    void sealingRegistersRangesAndADeterministicLabel() throws Exception {
        TableBuffers buffers = buffers(1 << 20, 1_000, NO_INTERVAL);
        ledger.open(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
        buffers.add(record("t", 1, 7, "{}"), 0);
        buffers.add(record("t", 0, 3, "{}"), 0);
        buffers.add(record("t", 1, 8, "{}"), 0);
        buffers.flushAll();
        Batch batch = sealed.get(0);
        assertTrue(batch.label().matches("kafka-c-t-t-0-3-3-t-1-7-8-[0-9a-f]{16}"), batch.label());
        batch.ledgerEntries().forEach(ledger::confirm);
        assertEquals(Map.of(new TopicPartition("t", 0), 4L, new TopicPartition("t", 1), 9L),
                Map.copyOf(ledger.committableOffsets().entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()))));
    }

    @Test
    void routesTopicsToTables() throws Exception {
        TableBuffers buffers = new TableBuffers(new Router(Map.of("orders", "order_rows"), "kafka_${topic}"),
                new JsonRowEncoder(), JSON_ARRAY, new TableBuffers.Limits(1 << 20, 1_000, NO_INTERVAL, false),
                new LabelFormat("kafka", "c"), ledger, sealed::add);
        buffers.add(record("orders", 0, 0, "{}"), 0);
        buffers.add(record("users", 0, 0, "{}"), 0);
        buffers.flushAll();
        assertTrue(sealed.stream().map(Batch::table).toList().containsAll(List.of("order_rows", "kafka_users")));
    }

    @Test
    void runsOfRecordsOfSeveralTopicsEachReachTheirTable() throws Exception {
        // The topic strings are shared between records, as the consumer shares them.
        String orders = "orders";
        String users = "users";
        TableBuffers buffers = buffers(1 << 20, 1_000, NO_INTERVAL);
        for (int i = 0; i < 6; i++) {
            String topic = i / 2 % 2 == 0 ? orders : users;
            buffers.add(record(topic, 0, i, "{\"id\":" + i + "}"), 0);
        }
        buffers.flushAll();
        Map<String, String> bodies = new java.util.HashMap<>();
        sealed.forEach(batch -> bodies.put(batch.table(), body(batch)));
        assertEquals(Map.of("orders", "[{\"id\":0},{\"id\":1},{\"id\":4},{\"id\":5}]",
                "users", "[{\"id\":2},{\"id\":3}]"), bodies);
    }

    @Test
    void aTableNamedByAFieldIsReadForEveryRecordOfATopic() throws Exception {
        TableBuffers buffers = new TableBuffers(new Router(Map.of(), "${topic}", "table"), new JsonRowEncoder(),
                JSON_ARRAY, new TableBuffers.Limits(1 << 20, 1_000, NO_INTERVAL, false),
                new LabelFormat("kafka", "c"), ledger, sealed::add);
        String topic = "events";
        buffers.add(new SinkRecord(topic, 0, null, null, null, Map.of("table", "a", "id", 0), 0), 0);
        buffers.add(new SinkRecord(topic, 1, null, null, null, Map.of("table", "b", "id", 1), 0), 0);
        buffers.add(new SinkRecord(topic, 2, null, null, null, Map.of("id", 2), 0), 0);
        buffers.flushAll();
        assertEquals(List.of("a", "b", "events"), sealed.stream().map(Batch::table).sorted().toList());
    }

    @Test
    void aPartitionsRecordsStayInArrivalOrderWhileTheyChangeTablesAndBuffersAreSealed() throws Exception {
        TableBuffers buffers = new TableBuffers(new Router(Map.of(), "${topic}", "table"), new JsonRowEncoder(),
                JSON_ARRAY, new TableBuffers.Limits(1 << 20, 1_000, NO_INTERVAL, false),
                new LabelFormat("kafka", "c"), ledger, sealed::add);
        String topic = "events";
        TopicPartition partition = new TopicPartition(topic, 0);
        ledger.open(List.of(partition));
        buffers.add(new SinkRecord(topic, 0, null, null, null, Map.of("table", "a", "id", 0), 0), 0);
        // Another table: the first one's buffer is sealed before this record joins the other.
        buffers.add(new SinkRecord(topic, 0, null, null, null, Map.of("table", "b", "id", 1), 1), 0);
        buffers.add(new SinkRecord(topic, 0, null, null, null, Map.of("table", "b", "id", 2), 2), 0);
        buffers.flushAll();
        buffers.add(new SinkRecord(topic, 0, null, null, null, Map.of("table", "b", "id", 3), 3), 0);
        // The buffer of table b holds offset 3 now, sealed or not before: the skipped record joins it.
        buffers.skip(new SinkRecord(topic, 0, null, null, null, "not a row", 4), 0);
        buffers.add(new SinkRecord(topic, 0, null, null, null, Map.of("table", "a", "id", 5), 5), 0);
        buffers.flushAll();

        assertEquals(List.of("a 0-0", "b 1-2", "b 3-4", "a 5-5"), sealed.stream()
                .map(batch -> batch.table() + " " + batch.ranges().get(0).firstOffset() + "-"
                        + batch.ranges().get(0).lastOffset()).toList());
        sealed.forEach(batch -> batch.ledgerEntries().forEach(ledger::confirm));
        assertEquals(6L, ledger.committableOffsets().get(partition).offset());
    }

    @Test
    void aSkippedRecordJoinsTheRangesWithoutARow() throws Exception {
        TableBuffers buffers = buffers(1 << 20, 1_000, NO_INTERVAL);
        buffers.add(record("t", 0, 0, "{\"id\":0}"), 0);
        buffers.skip(record("t", 0, 1, "not json"), 0);
        buffers.flushAll();
        buffers.skip(record("t", 0, 2, "not json"), 0);
        buffers.flushAll();

        assertEquals(2, sealed.size());
        assertEquals("[{\"id\":0}]", body(sealed.get(0)));
        assertEquals(List.of(new PartitionRange(new TopicPartition("t", 0), 0, 1)), sealed.get(0).ranges());
        assertTrue(sealed.get(1).hasNoRows(), "a buffer of skipped records only has nothing to send");
        assertEquals(0, sealed.get(1).sizeBytes());
        assertEquals(List.of(new PartitionRange(new TopicPartition("t", 0), 2, 2)), sealed.get(1).ranges());
    }

    @Test
    void aPartCarriesExactlyItsRowsTheirRangesAndTheirLabel() throws Exception {
        TableBuffers buffers = buffers(1 << 20, 1_000, NO_INTERVAL);
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SinkRecord record = record("t", i % 2, 10 + i, "{\"id\":" + i + "}");
            records.add(record);
            buffers.add(record, 0);
        }
        buffers.flushAll();
        Batch batch = sealed.get(0);
        LabelFormat labels = new LabelFormat("kafka", "c");

        Batch part = batch.part(1, 4, JSON_ARRAY, labels);

        assertEquals("[{\"id\":1},{\"id\":2},{\"id\":3}]", new String(part.body().toByteArray(), StandardCharsets.UTF_8));
        assertEquals(3, part.recordCount());
        assertEquals(List.of(new PartitionRange(new TopicPartition("t", 0), 12, 12),
                new PartitionRange(new TopicPartition("t", 1), 11, 13)), part.ranges());
        assertEquals(labels.labelFor("t", part.ranges(), part.body(), Map.of()), part.label());
        assertTrue(part.ledgerEntries().isEmpty(), "parts confirm through their batch");
        assertTrue(records.get(2) == part.rows().record(1), "the original record is kept");
        assertEquals("{\"id\":3}", new String(part.rowBytes(2), StandardCharsets.UTF_8));
        Batch single = part.part(2, 3, JSON_ARRAY, labels);
        assertEquals("[{\"id\":3}]", new String(single.body().toByteArray(), StandardCharsets.UTF_8));
        assertEquals(List.of(new PartitionRange(new TopicPartition("t", 1), 13, 13)), single.ranges());
    }

    private TableBuffers buffers(long maxBytes, long maxRecords, long intervalNanos) {
        return new TableBuffers(new Router(Map.of(), "${topic}"), new JsonRowEncoder(), JSON_ARRAY,
                new TableBuffers.Limits(maxBytes, maxRecords, intervalNanos, true), new LabelFormat("kafka", "c"), ledger,
                sealed::add);
    }

    private static SinkRecord record(String topic, int partition, long offset, String json) {
        return new SinkRecord(topic, partition, null, null, null, json, offset);
    }

    private static String body(Batch batch) {
        return new String(batch.body().toByteArray(), StandardCharsets.UTF_8);
    }
}
