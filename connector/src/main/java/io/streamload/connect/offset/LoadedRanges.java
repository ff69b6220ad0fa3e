package io.streamload.connect.offset;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

/**
 * Offsets whose records are already in the target, though Kafka may deliver them again: the
 * ranges of transactions that committed before their offsets were committed (a crash, a
 * rebalance). Records in them are skipped, not loaded twice; their offsets still count as done.
 *
 * <p>Thread-safe; filled by recovery at {@code open()}, read by the task thread.
 */
public final class LoadedRanges {

    private final Map<TopicPartition, NavigableMap<Long, Long>> ranges = new HashMap<>();
    /** Read without the lock on every record: false until recovery adds a range. */
    private volatile boolean empty = true;

    /** Adds the records of {@code partition} from {@code first} to {@code last}, inclusive. */
    public synchronized void add(TopicPartition partition, long first, long last) {
        ranges.computeIfAbsent(partition, p -> new TreeMap<>()).merge(first, last, Math::max);
        empty = false;
    }

    /** True when the record at {@code offset} of {@code partition} is already loaded. */
    public boolean contains(TopicPartition partition, long offset) {
        if (empty) {
            return false;
        }
        synchronized (this) {
            return containsLocked(partition, offset);
        }
    }

    private boolean containsLocked(TopicPartition partition, long offset) {
        NavigableMap<Long, Long> byFirst = ranges.get(partition);
        if (byFirst == null) {
            return false;
        }
        Map.Entry<Long, Long> floor = byFirst.floorEntry(offset);
        return floor != null && floor.getValue() >= offset;
    }

    /** Forgets revoked partitions: their next owner recovers them itself. */
    public synchronized void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(ranges::remove);
        empty = ranges.isEmpty();
    }

    public synchronized boolean isEmpty() {
        return ranges.isEmpty();
    }
}
