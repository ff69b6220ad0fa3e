package io.streamload.connect.routing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The {@link TopicPartition} of a record ({@link RecordPosition#partition}), without a new object
 * per record: records come in runs of one partition, so the last answer is kept and given again
 * while topic and partition stay the same. The same instance also keeps its hash code, so the
 * maps keyed by partition on the hot path look it up cheaply.
 *
 * <p>Not thread-safe: one per caller, used under the caller's lock.
 */
public final class PartitionCache {

    private String lastTopic;
    private int lastPartition = -1;
    private TopicPartition last;

    public TopicPartition of(SinkRecord record) {
        String topic = RecordPosition.topic(record);
        int partition = RecordPosition.kafkaPartition(record);
        if (last == null || partition != lastPartition || !topic.equals(lastTopic)) {
            last = new TopicPartition(topic, partition);
            lastTopic = topic;
            lastPartition = partition;
        }
        return last;
    }
}
