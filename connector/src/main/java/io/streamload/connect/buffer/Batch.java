package io.streamload.connect.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.offset.OffsetLedger;

/**
 * A sealed buffer: the body of exactly one Stream Load, the records it carries (as offset
 * ranges per partition) and its label. Immutable once sealed, so a retry sends exactly the same
 * bytes under exactly the same label.
 *
 * <p>A batch can be cut into parts ({@link #part}): each part is a batch of its own, with the
 * rows of a slice, the ranges of exactly those rows and the label those ranges and rows give. The same
 * records always make the same part and the same label, so a part loaded before a crash is
 * recognised by the target when it is sent again.
 *
 * @param table target table
 * @param label the Stream Load label, deterministic from the ranges and the body
 * @param body the encoded rows, framed
 * @param recordCount number of rows in the body (records that could not be encoded have none)
 * @param ranges one range per partition, ordered by topic and partition
 * @param ledgerEntries the offset ledger's handles for the ranges, confirmed when the load is;
 *        empty for parts, which are confirmed through the batch they were cut from
 * @param rows where each row lies in the body and which record it came from
 * @param headers load headers of this batch alone (the columns of a partial update that takes
 *        them from the records), added to the task's common ones
 */
public record Batch(String table, String label, ChunkedBytes body, int recordCount, List<PartitionRange> ranges,
                    List<OffsetLedger.Entry> ledgerEntries, RowIndex rows, Map<String, String> headers) {

    /** A batch with only the task's common headers. */
    public Batch(String table, String label, ChunkedBytes body, int recordCount, List<PartitionRange> ranges,
                 List<OffsetLedger.Entry> ledgerEntries, RowIndex rows) {
        this(table, label, body, recordCount, ranges, ledgerEntries, rows, Map.of());
    }

    public long sizeBytes() {
        return body.size();
    }

    /** True when no record of the batch has a row: nothing to send, only offsets to confirm. */
    public boolean hasNoRows() {
        return recordCount == 0;
    }

    /**
     * The batch of rows {@code [from, to)}: a fresh body framed like this one, the ranges of those
     * rows, and their label.
     */
    public Batch part(int from, int to, BodyFraming framing, LabelFormat labels) {
        if (from < 0 || to > recordCount || from >= to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of " + recordCount);
        }
        ChunkedBytes partBody = new ChunkedBytes();
        RowIndex partRows = new RowIndex(rows.keepsRecords());
        try {
            partBody.write(framing.prefix());
            for (int row = from; row < to; row++) {
                if (row > from) {
                    partBody.write(framing.separator());
                }
                long start = partBody.size();
                body.writeRangeTo(rows.start(row), rows.end(row), partBody);
                partRows.add(start, partBody.size(), rows.partition(row), rows.offset(row), rows.record(row));
            }
            partBody.write(framing.suffix());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<PartitionRange> partRanges = rows.ranges(from, to);
        return new Batch(table, labels.labelFor(table, partRanges, partBody, headers), partBody, to - from, partRanges, List.of(),
                partRows, headers);
    }

    /**
     * The batch of every row but {@code dropped} (rows of this batch), in order: a fresh body
     * framed like this one, and its label. Its ranges leave the dropped records out: a partition's
     * rows on both sides of a dropped one are two ranges, so that no range (nor the exactly-once
     * intent that keeps it) claims a record the part does not carry.
     */
    public Batch without(Set<Integer> dropped, BodyFraming framing, LabelFormat labels) {
        boolean[] keep = new boolean[recordCount];
        int kept = 0;
        for (int row = 0; row < recordCount; row++) {
            keep[row] = !dropped.contains(row);
            kept += keep[row] ? 1 : 0;
        }
        if (kept == 0) {
            throw new IllegalArgumentException("every row of " + this + " dropped");
        }
        ChunkedBytes partBody = new ChunkedBytes();
        RowIndex partRows = new RowIndex(rows.keepsRecords());
        try {
            partBody.write(framing.prefix());
            boolean first = true;
            for (int row = 0; row < recordCount; row++) {
                if (!keep[row]) {
                    continue;
                }
                if (!first) {
                    partBody.write(framing.separator());
                }
                first = false;
                long start = partBody.size();
                body.writeRangeTo(rows.start(row), rows.end(row), partBody);
                partRows.add(start, partBody.size(), rows.partition(row), rows.offset(row), rows.record(row));
            }
            partBody.write(framing.suffix());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<PartitionRange> partRanges = rows.ranges(keep);
        return new Batch(table, labels.labelFor(table, partRanges, partBody, headers), partBody, kept, partRanges,
                List.of(), partRows, headers);
    }

    /** The bytes of one row, for error reports. */
    public byte[] rowBytes(int row) {
        return body.copyRange(rows.start(row), rows.end(row));
    }

    @Override
    public String toString() {
        return "batch " + label + " (" + table + ", " + recordCount + " records, " + body.size() + " bytes)";
    }
}
