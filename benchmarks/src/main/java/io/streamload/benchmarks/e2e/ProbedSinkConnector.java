package io.streamload.benchmarks.e2e;

import java.util.Collection;

import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.StreamLoadSinkConnector;
import io.streamload.connect.StreamLoadSinkTask;

/**
 * The real sink connector, unchanged, whose tasks only note when the first records reached
 * {@code put()} and how many they took: the measured span starts there for the sink as for the no-op ceiling, so
 * consumer group joins do not count against either.
 */
public class ProbedSinkConnector extends StreamLoadSinkConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return Probed.class;
    }

    /** {@link StreamLoadSinkTask} plus one timestamp. */
    public static class Probed extends StreamLoadSinkTask {
        @Override
        public void put(Collection<SinkRecord> records) {
            if (!records.isEmpty()) {
                DeliveryProbe.putStarted();
            }
            super.put(records);
            DeliveryProbe.taken(records.size());
        }
    }
}
