package io.streamload.connect.buffer;

import java.util.List;

import io.streamload.connect.offset.OffsetLedger;

/**
 * A sealed buffer: the body of exactly one Stream Load, the records it carries (as offset
 * ranges per partition) and its label. Immutable once sealed, so a retry sends exactly the same
 * bytes under exactly the same label.
 *
 * @param table target table
 * @param label the Stream Load label, deterministic from the ranges
 * @param body the encoded rows, framed
 * @param recordCount number of records (rows) in the body
 * @param ranges one range per partition, ordered by topic and partition
 * @param ledgerEntries the offset ledger's handles for the ranges, confirmed when the load is
 */
public record Batch(String table, String label, ChunkedBytes body, int recordCount, List<PartitionRange> ranges,
                    List<OffsetLedger.Entry> ledgerEntries) {

    public long sizeBytes() {
        return body.size();
    }

    @Override
    public String toString() {
        return "batch " + label + " (" + table + ", " + recordCount + " records, " + body.size() + " bytes)";
    }
}
