package io.streamload.connect.fidelity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.StreamLoadSinkTask;
import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;

/** Runs a real task against an emulator the way a worker does (start, open, put, preCommit, stop), without Kafka. */
final class SinkTaskDriver implements AutoCloseable {

    static final String DB = "db";
    static final String TOPIC = "topic";

    private final StreamLoadSinkTask task = new StreamLoadSinkTask();

    SinkTaskDriver(StreamLoadEmulator emulator, Dialect dialect, String table, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "fidelity-" + table);
        props.put("target", dialect.name().toLowerCase(java.util.Locale.ROOT));
        props.put("topics", TOPIC);
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", TOPIC + ":" + table);
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "200");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(partition(0)));
        task.open(List.of(partition(0)));
    }

    static TopicPartition partition(int partition) {
        return new TopicPartition(TOPIC, partition);
    }

    /** Puts the records and loads them; returns the offsets the task would commit. */
    Map<TopicPartition, OffsetAndMetadata> load(List<SinkRecord> records) {
        task.put(records);
        return task.preCommit(Map.of());
    }

    /** Hands the records over, then puts again as the worker's next poll would: a failure taking them shows there. */
    void put(List<SinkRecord> records) {
        task.put(records);
        task.put(List.of());
    }

    @Override
    public void close() {
        task.stop();
    }
}
