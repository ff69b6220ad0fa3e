package io.streamload.benchmarks.e2e;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Takes records and drops them, telling the {@link DeliveryProbe} how many arrived. */
public class NoOpSinkTask extends SinkTask {

    @Override
    public void start(Map<String, String> props) {
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (!records.isEmpty()) {
            DeliveryProbe.putStarted();
            DeliveryProbe.delivered(records.size());
        }
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "1";
    }
}
