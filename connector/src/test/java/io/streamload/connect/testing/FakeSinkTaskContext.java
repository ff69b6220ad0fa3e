package io.streamload.connect.testing;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * A SinkTaskContext that remembers the assignment, what the task paused and the poll timeout it
 * asked for, for tests without a worker.
 */
public final class FakeSinkTaskContext implements SinkTaskContext {

    private final Map<String, String> configs;
    private final Set<TopicPartition> assignment = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private ErrantRecordReporter reporter;
    private long timeoutMs = -1;

    public FakeSinkTaskContext(Map<String, String> configs) {
        this.configs = configs;
    }

    public synchronized void assign(Collection<TopicPartition> partitions) {
        assignment.addAll(partitions);
    }

    public synchronized void revoke(Collection<TopicPartition> partitions) {
        assignment.removeAll(partitions);
        paused.removeAll(partitions);
    }

    /** Gives the task a reporter of bad records, as a worker with a dead letter queue does. */
    public FakeSinkTaskContext withReporter(ErrantRecordReporter value) {
        this.reporter = value;
        return this;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return reporter;
    }

    public synchronized Set<TopicPartition> paused() {
        return Set.copyOf(paused);
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        throw new UnsupportedOperationException("the sink never rewinds");
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        throw new UnsupportedOperationException("the sink never rewinds");
    }

    @Override
    public synchronized void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /**
     * The poll timeout the task asked for since the last call, or -1 when it asked for none; as a
     * worker does when it polls, this takes the request: the next call returns -1 unless the task
     * asks again.
     */
    public synchronized long takeTimeout() {
        long requested = timeoutMs;
        timeoutMs = -1;
        return requested;
    }

    @Override
    public synchronized Set<TopicPartition> assignment() {
        return Set.copyOf(assignment);
    }

    @Override
    public synchronized void pause(TopicPartition... partitions) {
        paused.addAll(List.of(partitions));
    }

    @Override
    public synchronized void resume(TopicPartition... partitions) {
        List.of(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
