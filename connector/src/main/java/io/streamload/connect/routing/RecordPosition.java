package io.streamload.connect.routing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where a record sits in Kafka, for offset tracking: the topic, partition and offset it was
 * consumed from. A transform that renames the topic ({@code RegexRouter}) changes
 * {@link SinkRecord#topic()}, but the consumer commits offsets of the original partition, which
 * is also what {@code open()} and {@code close()} name; {@code originalTopic()} and friends keep
 * it.
 *
 * <p>Those exist on Kafka Connect 3.6 and later (KIP-793). An older worker's {@code SinkRecord}
 * lacks them (calling one throws {@link NoSuchMethodError}), so there the record's own topic,
 * partition and offset are used: the same thing unless a transform renamed the topic, which
 * {@code ConsumedTopicGuard} refuses on such a worker rather than track offsets that can never be
 * committed.
 */
public final class RecordPosition {

    /** True when the worker's records carry their original coordinates (Kafka 3.6+). */
    public static final boolean WORKER_KEEPS_ORIGINAL = hasOriginalCoordinates(SinkRecord.class);

    private RecordPosition() {
    }

    public static TopicPartition partition(SinkRecord record) {
        return new TopicPartition(topic(record), kafkaPartition(record));
    }

    public static String topic(SinkRecord record) {
        return WORKER_KEEPS_ORIGINAL ? record.originalTopic() : record.topic();
    }

    public static int kafkaPartition(SinkRecord record) {
        return WORKER_KEEPS_ORIGINAL ? record.originalKafkaPartition() : record.kafkaPartition();
    }

    public static long offset(SinkRecord record) {
        return WORKER_KEEPS_ORIGINAL ? record.originalKafkaOffset() : record.kafkaOffset();
    }

    /** Whether {@code recordClass}, as the worker loaded it, has {@code originalTopic()} and friends. */
    static boolean hasOriginalCoordinates(Class<?> recordClass) {
        try {
            recordClass.getMethod("originalTopic");
            recordClass.getMethod("originalKafkaPartition");
            recordClass.getMethod("originalKafkaOffset");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
