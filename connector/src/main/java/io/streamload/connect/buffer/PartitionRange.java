package io.streamload.connect.buffer;

import java.util.Comparator;

import org.apache.kafka.common.TopicPartition;

/**
 * The records of one partition in one batch: every record the task received for this
 * partition from {@code firstOffset} to {@code lastOffset}, inclusive (offsets may have gaps, for
 * example after compaction; the records in between simply do not exist).
 */
public record PartitionRange(TopicPartition partition, long firstOffset, long lastOffset) {

    /** Orders ranges by topic, then partition, so a batch spanning partitions is described the same way every time. */
    public static final Comparator<PartitionRange> BY_PARTITION = Comparator
            .comparing((PartitionRange r) -> r.partition().topic())
            .thenComparingInt(r -> r.partition().partition());

    public PartitionRange {
        if (lastOffset < firstOffset) {
            throw new IllegalArgumentException("last offset " + lastOffset + " before first " + firstOffset);
        }
    }

    @Override
    public String toString() {
        return partition + "[" + firstOffset + ".." + lastOffset + "]";
    }
}
