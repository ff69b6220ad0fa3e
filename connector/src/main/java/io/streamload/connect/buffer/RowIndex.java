package io.streamload.connect.buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where each row of a batch body lies and which Kafka record it came from, so a batch can be
 * cut into parts (to find the records the target rejects, or to fit a proxy's body limit) and a
 * rejected row can be traced back to its record.
 *
 * <p>Primitive arrays, 28 bytes a row (three {@code long}s and an {@code int}). The records
 * themselves are kept only when asked ({@code errors.tolerance=all}): reporting a rejected record
 * to the dead letter queue needs the original {@link SinkRecord}.
 *
 * <p>Not thread-safe while it grows; read-only once its batch is sealed.
 */
public final class RowIndex {

    private static final int INITIAL_CAPACITY = 64;

    private final boolean keepRecords;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<TopicPartition, Integer> partitionIds = new LinkedHashMap<>();
    private long[] starts = new long[INITIAL_CAPACITY];
    private long[] ends = new long[INITIAL_CAPACITY];
    private long[] offsets = new long[INITIAL_CAPACITY];
    private int[] partitionOf = new int[INITIAL_CAPACITY];
    private SinkRecord[] records;
    private int size;
    private TopicPartition lastPartition;
    private int lastPartitionId = -1;

    public RowIndex(boolean keepRecords) {
        this.keepRecords = keepRecords;
        this.records = keepRecords ? new SinkRecord[INITIAL_CAPACITY] : null;
    }

    /** Adds a row whose bytes are {@code [start, end)} of the body. */
    public void add(long start, long end, TopicPartition partition, long offset, SinkRecord record) {
        if (size == starts.length) {
            int capacity = size * 2;
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            partitionOf = Arrays.copyOf(partitionOf, capacity);
            if (keepRecords) {
                records = Arrays.copyOf(records, capacity);
            }
        }
        int id;
        if (partition == lastPartition) {
            id = lastPartitionId;
        } else {
            Integer known = partitionIds.get(partition);
            if (known == null) {
                known = partitions.size();
                partitions.add(partition);
                partitionIds.put(partition, known);
            }
            id = known;
            lastPartition = partition;
            lastPartitionId = id;
        }
        starts[size] = start;
        ends[size] = end;
        offsets[size] = offset;
        partitionOf[size] = id;
        if (keepRecords) {
            records[size] = record;
        }
        size++;
    }

    public int size() {
        return size;
    }

    /** Whether {@link #record} answers the record of each row. */
    public boolean keepsRecords() {
        return keepRecords;
    }

    public long start(int row) {
        return starts[check(row)];
    }

    public long end(int row) {
        return ends[check(row)];
    }

    public TopicPartition partition(int row) {
        return partitions.get(partitionOf[check(row)]);
    }

    public long offset(int row) {
        return offsets[check(row)];
    }

    /** The record of the row, or null when records are not kept. */
    public SinkRecord record(int row) {
        return keepRecords ? records[check(row)] : null;
    }

    /** The offset range per partition of rows {@code [from, to)}, ordered by topic and partition. */
    public List<PartitionRange> ranges(int from, int to) {
        Map<Integer, long[]> byPartition = new LinkedHashMap<>();
        for (int row = from; row < to; row++) {
            long offset = offsets[row];
            long[] range = byPartition.get(partitionOf[row]);
            if (range == null) {
                byPartition.put(partitionOf[row], new long[] {offset, offset});
            } else {
                range[0] = Math.min(range[0], offset);
                range[1] = Math.max(range[1], offset);
            }
        }
        List<PartitionRange> ranges = new ArrayList<>(byPartition.size());
        byPartition.forEach((id, range) -> ranges.add(new PartitionRange(partitions.get(id), range[0], range[1])));
        ranges.sort(PartitionRange.BY_PARTITION);
        return List.copyOf(ranges);
    }

    /**
     * The offset ranges of the rows {@code keep} marks, ordered by topic and partition, then offset:
     * one per run of a partition's kept rows, a new one after each row of it not kept.
     */
    public List<PartitionRange> ranges(boolean[] keep) {
        Map<Integer, long[]> open = new LinkedHashMap<>();
        List<PartitionRange> ranges = new ArrayList<>();
        for (int row = 0; row < size; row++) {
            int id = partitionOf[row];
            long[] range = open.get(id);
            if (!keep[row]) {
                if (range != null) {
                    ranges.add(new PartitionRange(partitions.get(id), range[0], range[1]));
                    open.remove(id);
                }
            } else if (range == null) {
                open.put(id, new long[] {offsets[row], offsets[row]});
            } else {
                range[0] = Math.min(range[0], offsets[row]);
                range[1] = Math.max(range[1], offsets[row]);
            }
        }
        open.forEach((id, range) -> ranges.add(new PartitionRange(partitions.get(id), range[0], range[1])));
        ranges.sort(PartitionRange.BY_PARTITION.thenComparingLong(PartitionRange::firstOffset));
        return List.copyOf(ranges);
    }

    private int check(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        return row;
    }
}
