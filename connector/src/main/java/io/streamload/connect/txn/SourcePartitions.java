package io.streamload.connect.txn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

import io.streamload.connect.buffer.PartitionRange;

/**
 * The header of an intent log entry that names the source partitions its transaction carries
 * records of, so a reader skips the entries of partitions it does not recover without parsing
 * their JSON. The value is {@code topic:partition,partition;topic:partition}, topics and
 * partitions in order (a topic name holds none of {@code :,;}). The JSON value stays the
 * authority: entries without the header (written by earlier versions) are parsed, as before.
 */
final class SourcePartitions {

    static final String HEADER = "streamload.partitions";

    private SourcePartitions() {
    }

    /** The header's value for a transaction carrying {@code ranges}. */
    static byte[] encode(Collection<PartitionRange> ranges) {
        Map<String, TreeSet<Integer>> byTopic = new TreeMap<>();
        for (PartitionRange range : ranges) {
            byTopic.computeIfAbsent(range.partition().topic(), t -> new TreeSet<>()).add(range.partition().partition());
        }
        StringBuilder value = new StringBuilder();
        byTopic.forEach((topic, partitions) -> {
            if (value.length() > 0) {
                value.append(';');
            }
            value.append(topic).append(':');
            boolean first = true;
            for (int partition : partitions) {
                if (!first) {
                    value.append(',');
                }
                value.append(partition);
                first = false;
            }
        });
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A set of source partitions, asked about by header values without building a partition object
     * per entry.
     */
    static final class Selection {
        private final Map<String, BitSet> byTopic = new HashMap<>();

        Selection(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                byTopic.computeIfAbsent(partition.topic(), t -> new BitSet()).set(partition.partition());
            }
        }

        boolean isEmpty() {
            return byTopic.isEmpty();
        }

        boolean contains(TopicPartition partition) {
            BitSet set = byTopic.get(partition.topic());
            return set != null && set.get(partition.partition());
        }

        /**
         * The partitions of this selection that a header value names; empty when none (or when the
         * value cannot be read: the caller then parses the entry, as for one without the header).
         *
         * @return null when the value is malformed
         */
        List<TopicPartition> named(byte[] header) {
            List<TopicPartition> named = new ArrayList<>(1);
            int i = 0;
            int length = header.length;
            while (i < length) {
                int colon = i;
                while (colon < length && header[colon] != ':') {
                    colon++;
                }
                if (colon == length || colon == i) {
                    return null;
                }
                String topic = new String(header, i, colon - i, StandardCharsets.UTF_8);
                BitSet wanted = byTopic.get(topic);
                i = colon + 1;
                boolean any = false;
                while (true) {
                    int partition = 0;
                    int digits = 0;
                    while (i < length && header[i] >= '0' && header[i] <= '9' && digits < 10) {
                        partition = partition * 10 + (header[i] - '0');
                        i++;
                        digits++;
                    }
                    if (digits == 0 || partition < 0) {
                        return null;
                    }
                    any = true;
                    if (wanted != null && wanted.get(partition)) {
                        named.add(new TopicPartition(topic, partition));
                    }
                    if (i < length && header[i] == ',') {
                        i++;
                        continue;
                    }
                    break;
                }
                if (!any) {
                    return null;
                }
                if (i < length) {
                    if (header[i] != ';') {
                        return null;
                    }
                    i++;
                    if (i == length) {
                        return null;
                    }
                }
            }
            return named;
        }
    }
}
