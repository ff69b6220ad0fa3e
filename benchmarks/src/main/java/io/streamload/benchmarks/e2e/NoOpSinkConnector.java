package io.streamload.benchmarks.e2e;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The framework ceiling: a sink whose tasks take records and discard them. Whatever the worker,
 * consumer and converter cost is all it measures, so the sink's throughput is reported as a
 * share of it.
 */
public class NoOpSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return props.containsKey(OffCoreNoOpSinkTask.CPU_NANOS_PER_RECORD) ? OffCoreNoOpSinkTask.class
                : NoOpSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public String version() {
        return "1";
    }
}
