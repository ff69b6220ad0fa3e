package io.streamload.connect.routing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where a record sits in Kafka, for offset tracking: the topic, partition and offset it was
 * consumed from. A transform that renames the topic ({@code RegexRouter}) changes
 * {@link SinkRecord#topic()}, but the consumer commits offsets of the original partition, which
 * is also what {@code open()} and {@code close()} name; {@code originalTopic()} and friends keep
 * it (Kafka 3.6+).
 */
public final class RecordPosition {

    private RecordPosition() {
    }

    public static TopicPartition partition(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }

    public static long offset(SinkRecord record) {
        return record.originalKafkaOffset();
    }
}
