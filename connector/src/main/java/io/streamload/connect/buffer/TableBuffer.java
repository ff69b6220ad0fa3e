package io.streamload.connect.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.encode.RowEncoder;
import io.streamload.connect.routing.RecordPosition;

/**
 * The rows waiting to be loaded into one table: their bytes, already encoded and framed, and the
 * offset range per partition they came from. It knows when it is due (bytes, records, age);
 * {@link #seal()} hands its content over and starts afresh.
 *
 * <p>Not thread-safe; {@link TableBuffers} guards it.
 */
public final class TableBuffer {

    private final String table;
    private final BodyFraming framing;
    private final long maxBytes;
    private final long maxRecords;

    private final boolean keepRecords;
    private final Map<String, String> headers;

    private final ChunkPool pool;
    private ChunkedBytes bytes;
    private RowIndex rows;
    private int records;
    private int skipped;
    private long firstRecordNanos;
    private final Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
    private TopicPartition lastPartition;
    private long[] lastRange;

    /**
     * @param keepRecords whether the row index keeps each record, to report rejected ones
     */
    public TableBuffer(String table, BodyFraming framing, long maxBytes, long maxRecords, boolean keepRecords) {
        this(table, framing, maxBytes, maxRecords, keepRecords, Map.of());
    }

    /**
     * @param headers load headers of this buffer's batches alone (a partial update's columns)
     */
    public TableBuffer(String table, BodyFraming framing, long maxBytes, long maxRecords, boolean keepRecords,
                       Map<String, String> headers) {
        this(table, framing, maxBytes, maxRecords, keepRecords, headers, ChunkPool.NONE);
    }

    /**
     * @param pool where the bodies' chunks come from; each sealed body is released by whoever
     *             ends its load
     */
    public TableBuffer(String table, BodyFraming framing, long maxBytes, long maxRecords, boolean keepRecords,
                       Map<String, String> headers, ChunkPool pool) {
        this.pool = pool;
        this.bytes = new ChunkedBytes(pool);
        this.headers = headers;
        this.table = table;
        this.framing = framing;
        this.maxBytes = maxBytes;
        this.maxRecords = maxRecords;
        this.keepRecords = keepRecords;
        this.rows = new RowIndex(keepRecords);
    }

    /**
     * Encodes the record as one row. On failure nothing of the record stays in the buffer.
     *
     * @param nowNanos the caller's clock, to know the buffer's age
     */
    public void append(SinkRecord record, RowEncoder encoder, long nowNanos) throws RecordEncodingException {
        append(record, RecordPosition.partition(record), encoder, nowNanos);
    }

    /**
     * As {@link #append(SinkRecord, RowEncoder, long)}, with the record's partition already known
     * (the caller keeps one instance per partition).
     */
    public void append(SinkRecord record, TopicPartition partition, RowEncoder encoder, long nowNanos)
            throws RecordEncodingException {
        long mark = bytes.size();
        long rowStart;
        try {
            bytes.write(records == 0 ? framing.prefix() : framing.separator());
            rowStart = bytes.size();
            encoder.encode(record, bytes);
        } catch (RecordEncodingException | RuntimeException e) {
            bytes.truncate(mark);
            throw e;
        } catch (IOException e) {
            bytes.truncate(mark);
            throw new UncheckedIOException(e);
        }
        bytes.settle();
        long offset = RecordPosition.offset(record);
        rows.add(rowStart, bytes.size(), partition, offset, record);
        records++;
        cover(partition, offset, nowNanos);
    }

    /**
     * Counts a record that has no row (it could not be encoded and was reported instead): its
     * offset joins the buffer's ranges, so committing the batch's offsets moves past it.
     */
    public void skip(SinkRecord record, long nowNanos) {
        skip(record, RecordPosition.partition(record), nowNanos);
    }

    /** As {@link #skip(SinkRecord, long)}, with the record's partition already known. */
    public void skip(SinkRecord record, TopicPartition partition, long nowNanos) {
        skipped++;
        cover(partition, RecordPosition.offset(record), nowNanos);
    }

    private void cover(TopicPartition partition, long offset, long nowNanos) {
        if (records + skipped == 1) {
            firstRecordNanos = nowNanos;
        }
        // Records come in runs of one partition: the last range is kept at hand.
        long[] range = partition == lastPartition ? lastRange : ranges.get(partition);
        if (range == null) {
            range = new long[] {offset, offset};
            ranges.put(partition, range);
        } else {
            range[1] = offset;
        }
        lastPartition = partition;
        lastRange = range;
    }

    /** True when no record, with or without a row, waits here. */
    public boolean isEmpty() {
        return records == 0 && skipped == 0;
    }

    /** True once the bytes or record threshold is reached. */
    public boolean isFull() {
        return bytes.size() >= maxBytes || records >= maxRecords;
    }

    /** True once the first record has waited for {@code intervalNanos}. */
    public boolean isDue(long nowNanos, long intervalNanos) {
        return !isEmpty() && nowNanos - firstRecordNanos >= intervalNanos;
    }

    public long sizeBytes() {
        return bytes.size();
    }

    public int recordCount() {
        return records;
    }

    public boolean holds(TopicPartition partition) {
        return ranges.containsKey(partition);
    }

    public String table() {
        return table;
    }

    /**
     * Closes the body and hands it over with its ranges, leaving this buffer empty.
     *
     * @return the sealed content; the caller turns it into a {@link Batch}
     */
    public Sealed seal() {
        if (isEmpty()) {
            throw new IllegalStateException("nothing to seal in the buffer of " + table);
        }
        if (records > 0) {
            bytes.write(framing.suffix(), 0, framing.suffix().length);
        }
        List<PartitionRange> sealedRanges = new ArrayList<>(ranges.size());
        ranges.forEach((partition, range) -> sealedRanges.add(new PartitionRange(partition, range[0], range[1])));
        sealedRanges.sort(PartitionRange.BY_PARTITION);
        Sealed sealed = new Sealed(table, bytes, rows, List.copyOf(sealedRanges), headers);
        bytes = new ChunkedBytes(pool);
        rows = new RowIndex(keepRecords);
        records = 0;
        skipped = 0;
        ranges.clear();
        lastPartition = null;
        lastRange = null;
        return sealed;
    }

    /** What {@link #seal()} hands over. */
    public record Sealed(String table, ChunkedBytes body, RowIndex rows, List<PartitionRange> ranges,
                         Map<String, String> headers) {
    }
}
