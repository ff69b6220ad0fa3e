package io.streamload.connect;

import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.routing.RecordPosition;

/**
 * On a Connect worker before Kafka 3.6, refuses records whose topic a transform renamed.
 *
 * <p>Such a worker does not tell a sink the topic a record was consumed from
 * ({@link RecordPosition}), so the connector would track the record's offset under the renamed
 * topic: a partition the worker never assigned, whose offsets it ignores. Nothing would ever be
 * committed and every restart would load everything again. The task fails instead, on the first
 * such record, saying what to change. Records of assigned topics pass; on 3.6+ every record does.
 *
 * <p>Records come in runs of one topic, so the assignment is asked only when the topic changes.
 */
final class ConsumedTopicGuard {

    private final boolean workerKeepsOriginal;
    private final Supplier<Set<TopicPartition>> assignment;
    private final String taskName;
    private String lastAssignedTopic;

    /**
     * @param workerKeepsOriginal {@link RecordPosition#WORKER_KEEPS_ORIGINAL}: when true nothing is checked
     * @param assignment the partitions the worker assigned the task now
     */
    ConsumedTopicGuard(boolean workerKeepsOriginal, Supplier<Set<TopicPartition>> assignment, String taskName) {
        this.workerKeepsOriginal = workerKeepsOriginal;
        this.assignment = assignment;
        this.taskName = taskName;
    }

    /** @throws ConnectException when the record's topic is none the task was assigned */
    void check(SinkRecord record) {
        if (workerKeepsOriginal || record.topic().equals(lastAssignedTopic)) {
            return;
        }
        String topic = record.topic();
        if (assignment.get().stream().noneMatch(partition -> partition.topic().equals(topic))) {
            throw new ConnectException("Task " + taskName + " got a record of topic '" + topic + "', which it does "
                    + "not read: a transform renamed the topic. This Connect worker (Apache Kafka before 3.6) does "
                    + "not tell a sink the topic a record was read from, so its offset could never be committed. "
                    + "Route records to tables with topic2table.map or table.name.format instead of a "
                    + "topic-renaming transform (such as RegexRouter), or run Kafka Connect 3.6 or later.");
        }
        lastAssignedTopic = topic;
    }

    /** Forgets the topic last seen assigned: the assignment changed. */
    void assignmentChanged() {
        lastAssignedTopic = null;
    }
}
