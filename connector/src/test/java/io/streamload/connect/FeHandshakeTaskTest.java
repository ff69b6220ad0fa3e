package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.table.TableDefinition;

/**
 * One load of a 64 MiB body through the FE, as a current FE behaves (it answers the request head
 * with a 307 and closes the socket at once) and as an older FE does (it keeps reading whatever
 * the client sends after its 307): the load lands at the BE and the FE receives no body byte.
 */
class FeHandshakeTaskTest {

    private static final String DB = "db";
    private static final String TABLE = "big";
    private static final int BODY_BYTES = 64 * 1024 * 1024;
    /** About 1 KiB per JSON row. */
    private static final String FILLER = "x".repeat(1000);

    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;

    static Stream<Arguments> fes() {
        return Stream.of(
                Arguments.of(Dialect.STARROCKS, false),
                Arguments.of(Dialect.STARROCKS, true),
                Arguments.of(Dialect.DORIS, false),
                Arguments.of(Dialect.DORIS, true));
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @ParameterizedTest(name = "{0}, FE keeps reading after its answer: {1}")
    @MethodSource("fes")
    void aSixtyFourMebibyteBodyGoesToTheBeOnlyAndTheFeReceivesNoBodyByte(Dialect dialect, boolean feKeepsReading) {
        emulator = StreamLoadEmulator.builder().dialect(dialect).credentials("root", "secret")
                .feKeepsReadingAfterAnswer(feKeepsReading).start();
        emulator.createTable(TableDefinition.builder(DB, TABLE)
                .column("id", "BIGINT", false)
                .column("name", "STRING", true)
                .duplicateKey("id")
                .counting(true)
                .build());
        start(dialect);

        List<SinkRecord> records = new ArrayList<>();
        long bytes = 0;
        for (long offset = 0; bytes < BODY_BYTES; offset++) {
            String value = "{\"id\":" + offset + ",\"name\":\"" + FILLER + "\"}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
            bytes += value.length() + 1;
        }
        task.put(records);

        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertEquals(Map.of(new TopicPartition("topic", 0), new OffsetAndMetadata(records.size())), committed);
        assertEquals(records.size(), emulator.rowCount(DB, TABLE), "rows loaded");
        List<LoadRecord> loads = emulator.loads();
        assertEquals(1, loads.size(), "one load carried the whole body");
        assertTrue(loads.get(0).loadBytes() >= BODY_BYTES, "body of " + loads.get(0).loadBytes() + " bytes");
        assertEquals(0, emulator.feBodyBytesAfterAnswer(), "body bytes the FE received after its answer");
    }

    private void start(Dialect dialect) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "fe-handshake");
        props.put("target", dialect.name().toLowerCase(java.util.Locale.ROOT));
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + TABLE);
        props.put("buffer.max.bytes", Integer.toString(BODY_BYTES + 8 * 1024 * 1024));
        props.put("buffer.total.max.bytes", Integer.toString(2 * (BODY_BYTES + 8 * 1024 * 1024)));
        props.put("buffer.max.records", "1000000");
        props.put("buffer.flush.interval.ms", "3600000");
        props.put("max.retries", "0");
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        List<TopicPartition> partitions = List.of(new TopicPartition("topic", 0));
        context.assign(partitions);
        task.open(partitions);
    }
}
