package io.streamload.connect.errors;

import java.util.ArrayList;
import java.util.List;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.PartitionRange;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.load.LoadListener;
import io.streamload.connect.load.LoadResponse;
import io.streamload.warnings.LoadJobEntry;
import io.streamload.warnings.OffsetRange;
import io.streamload.warnings.WarningsWriter;

/**
 * Writes a summary of every load attempt the target answered to the warnings store's
 * {@code load_jobs} table, in both delivery modes: label, transaction, status ({@code COMMITTED}
 * for a transaction prepared and committed in one attempt, with the prepare's counts), row counts
 * and the Kafka offsets it carried. Best effort: the writer queues and never blocks the load. A
 * load the target merged with others ({@code load.mode=merge_commit}) keeps the batch's label and
 * the merged transaction's id, and names the transaction's own label in its message.
 */
public final class LoadJobRecorder implements LoadListener {

    private final WarningsWriter warnings;
    private final String database;

    public LoadJobRecorder(WarningsWriter warnings, String database) {
        this.warnings = warnings;
        this.database = database;
    }

    @Override
    public void answered(Batch batch, LoadResponse response, long elapsedMs) {
        LoadReply reply = response.reply();
        List<OffsetRange> ranges = new ArrayList<>(batch.ranges().size());
        for (PartitionRange range : batch.ranges()) {
            ranges.add(new OffsetRange(range.partition().topic(), range.partition().partition(),
                    range.firstOffset(), range.lastOffset()));
        }
        long loaded = Math.max(0, reply.loadedRows());
        long filtered = Math.max(0, reply.filteredRows());
        long unselected = Math.max(0, reply.unselectedRows());
        warnings.recordLoad(LoadJobEntry.builder()
                .label(batch.label())
                .transactionId(reply.txnId())
                .database(database)
                .table(batch.table())
                .status(reply.rawStatus())
                // A merged load's transaction is named by the target: keep that name beside the
                // batch's label and offsets, so its error log can be traced to the batches in it.
                .message(reply.merged() && reply.label() != null ? "merged into transaction " + reply.txnId()
                        + " labelled " + reply.label() + ": " + reply.message() : reply.message())
                .rows(loaded + filtered + unselected, loaded, filtered, unselected)
                .loadBytes(reply.loadBytes() < 0 ? batch.sizeBytes() : reply.loadBytes())
                .loadTimeMs(elapsedMs)
                .offsetRanges(ranges)
                .errorUrl(reply.errorUrl())
                .build());
    }
}
