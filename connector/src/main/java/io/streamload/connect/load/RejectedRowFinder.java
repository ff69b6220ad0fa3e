package io.streamload.connect.load;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;
import io.streamload.connect.load.FilteredRowTracer.Traced;

/**
 * Finds exactly which records of a batch the target refuses, and loads all the others.
 *
 * <p>A load refused for data quality loads nothing, and its error log shows the bad rows only
 * as the target printed them, which cannot always be traced back to a record. So the batch is
 * cut in two and each half loaded on its own (under the label of exactly its records); a half
 * that is refused again is cut again, until every refused part is one record: that record is
 * rejected, with the reason its own one-row error log gives. Halves are loaded in order, so rows
 * of one key keep their order.
 *
 * <p>The cost: a batch of {@code n} records with {@code b} bad ones needs at most
 * {@code 2 × b × ⌈log2 n⌉} extra loads (each bad record refuses one part per level of cutting, and
 * each refused part costs two loads), and fewer when bad records sit close together. A batch with
 * no bad record costs nothing extra.
 */
public final class RejectedRowFinder {

    /**
     * What isolating found.
     *
     * @param rejections one per refused record, in batch order
     * @param extraLoads parts loaded (or refused) beyond the batch itself
     * @param loadedRows rows loaded by the parts, -1 when a part's count was not reported
     */
    public record Result(List<Rejection> rejections, int extraLoads, long loadedRows) {
    }

    private final StreamLoadClient client;
    private final BatchCutter cutter;
    private final FilteredRowTracer tracer;

    public RejectedRowFinder(StreamLoadClient client, BatchCutter cutter, FilteredRowTracer tracer) {
        this.client = client;
        this.cutter = cutter;
        this.tracer = tracer;
    }

    /** How batches are cut. */
    public BatchCutter cutter() {
        return cutter;
    }

    /**
     * Loads every record of the refused batch that the target takes and returns the others.
     *
     * @param refused the reply that refused the whole batch
     * @throws LoadFailedException when a part fails for a reason other than its rows
     */
    public Result isolate(Batch batch, LoadFate refused, AttemptEngine engine)
            throws LoadFailedException, InterruptedException {
        Search search = new Search(engine);
        search.split(batch, refused);
        return new Result(search.rejections, search.loads, search.loadedRows);
    }

    /** The state of one isolation. */
    private final class Search {
        final AttemptEngine engine;
        final List<Rejection> rejections = new ArrayList<>();
        int loads;
        long loadedRows;

        Search(AttemptEngine engine) {
            this.engine = engine;
        }

        void split(Batch part, LoadFate refused) throws LoadFailedException, InterruptedException {
            if (part.recordCount() == 1) {
                rejections.add(rejectionOf(part, refused));
                return;
            }
            for (Batch half : cutter.halves(part)) {
                loads++;
                LoadFate settled = engine.attempt(half);
                if (settled.loaded()) {
                    count(settled);
                    if (settled.filteredRows() > 0) {
                        Traced traced = tracer.trace(half, settled.response());
                        rejections.addAll(traced.rejections());
                    }
                } else {
                    split(half, settled);
                }
            }
        }

        void count(LoadFate settled) {
            long rows = settled.loadedRows();
            loadedRows = loadedRows < 0 || rows < 0 ? -1 : loadedRows + rows;
        }

        Rejection rejectionOf(Batch single, LoadFate refused) {
            String reason = refused.response().reply() == null ? refused.response().describe()
                    : refused.response().reply().message();
            String errorUrl = refused.response().reply() == null ? null : refused.response().reply().errorUrl();
            if (errorUrl != null && !errorUrl.isBlank()) {
                List<String> lines = client.errorLines(errorUrl, 1);
                if (!lines.isEmpty()) {
                    reason = ErrorLogLine.parse(lines.get(0)).reason();
                }
            }
            long txnId = refused.response().reply() == null ? -1 : refused.response().reply().txnId();
            SinkRecord record = single.rows().record(0);
            return Rejection.byTarget(record, single.rows().partition(0).topic(),
                    single.rows().partition(0).partition(), single.rows().offset(0), single.table(), single.label(),
                    txnId, reason, RejectedRecords.excerpt(single.rowBytes(0)));
        }
    }
}
