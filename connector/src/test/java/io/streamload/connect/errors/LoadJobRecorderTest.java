package io.streamload.connect.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.buffer.RowIndex;
import io.streamload.connect.dialect.DorisDialect;
import io.streamload.connect.dialect.StarRocksDialect;
import io.streamload.connect.load.LoadResponse;
import io.streamload.warnings.LoadErrorEntry;
import io.streamload.warnings.LoadJobEntry;
import io.streamload.warnings.WarningsWriter;
import io.streamload.warnings.WriterStats;

/**
 * What {@code load_jobs} keeps of an answered load: for a load the target merged, the batch's
 * label with the merged transaction's id, and that transaction's own label in the message, which
 * is how the target's error log of a merged transaction is traced back to batches.
 */
class LoadJobRecorderTest {

    private final List<LoadJobEntry> recorded = new ArrayList<>();
    private final LoadJobRecorder recorder = new LoadJobRecorder(new CollectingWriter(), "db");

    @Test
    void aStarRocksMergedLoadKeepsTheBatchLabelAndNamesTheMergedTransaction() {
        String body = "{\"TxnId\": 42, \"Label\": \"merge_commit_abc\", \"Status\": \"Success\", \"Message\": \"OK\", "
                + "\"RequestId\": \"batch-label\", \"LoadBytes\": 12, \"LoadTimeMs\": 210}";
        recorder.answered(batch("batch-label"), response(new StarRocksDialect().parseLoadReply(body).orElseThrow()),
                210);

        LoadJobEntry entry = recorded.get(0);
        assertEquals("batch-label", entry.label());
        assertEquals(42, entry.transactionId());
        assertEquals("merged into transaction 42 labelled merge_commit_abc: OK", entry.message());
        assertEquals(0, entry.loadedRows(), "StarRocks' merged answer carries no row counts");
    }

    @Test
    void aDorisGroupCommitLoadDoesToo() {
        String body = "{\"TxnId\": 7, \"Label\": \"group_commit_0a_0b\", \"Comment\": \"\", \"GroupCommit\": true, "
                + "\"Status\": \"Success\", \"Message\": \"OK\", \"NumberTotalRows\": 3, \"NumberLoadedRows\": 3, "
                + "\"NumberFilteredRows\": 0, \"NumberUnselectedRows\": 0, \"LoadBytes\": 30}";
        recorder.answered(batch("kafka-b"), response(new DorisDialect().parseLoadReply(body).orElseThrow()), 15);

        LoadJobEntry entry = recorded.get(0);
        assertEquals("kafka-b", entry.label());
        assertEquals("merged into transaction 7 labelled group_commit_0a_0b: OK", entry.message());
        assertEquals(3, entry.loadedRows());
    }

    @Test
    void aPlainLoadKeepsTheTargetsMessageAsItIs() {
        String body = "{\"TxnId\": 5, \"Label\": \"kafka-c\", \"Status\": \"Success\", \"Message\": \"OK\", "
                + "\"NumberLoadedRows\": 2}";
        recorder.answered(batch("kafka-c"), response(new StarRocksDialect().parseLoadReply(body).orElseThrow()), 5);
        assertEquals("OK", recorded.get(0).message());
    }

    private static Batch batch(String label) {
        ChunkedBytes body = new ChunkedBytes();
        body.write(new byte[12], 0, 12);
        return new Batch("t", label, body, 1, List.of(), List.of(), new RowIndex(false));
    }

    private static LoadResponse response(io.streamload.connect.dialect.LoadReply reply) {
        return new LoadResponse("http://fe:8030", 200, reply, "", null);
    }

    /** Keeps what it is given, as the store's writer would queue it. */
    private final class CollectingWriter implements WarningsWriter {
        @Override
        public boolean recordRejectedRow(LoadErrorEntry entry) {
            return true;
        }

        @Override
        public boolean recordLoad(LoadJobEntry entry) {
            recorded.add(entry);
            return true;
        }

        @Override
        public WriterStats stats() {
            return new WriterStats(recorded.size(), recorded.size(), 0, 0, true);
        }

        @Override
        public void close() {
        }
    }
}
