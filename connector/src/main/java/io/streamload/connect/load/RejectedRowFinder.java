package io.streamload.connect.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;
import io.streamload.connect.load.FilteredRowTracer.Traced;

/**
 * Finds exactly which records of a batch the target refuses, and loads all the others.
 *
 * <p>A load refused for data quality loads nothing, but its error log lists the rows it rejected.
 * The records those lines name beyond doubt ({@link ErrorLogNames}) are rejected with the reason
 * their line gives, and the rest of the batch is loaded as one part, under the label of exactly its
 * records. If that part is refused too (the log was cut at its line limit and named only some of
 * the bad records), its own error log names the next ones, and so on. So a batch with {@code b}
 * bad records costs one more load when its log names them all, and about {@code b / 50} more when
 * there are more than its log holds.
 *
 * <p>Where the log names nothing beyond doubt (no ErrorURL, a log that could not be read, rows it
 * does not print, identical rows it lists fewer times than they occur), the part is cut in two and
 * each half loaded on its own; a half that is refused again is searched the same way, until every
 * refused part is one record: that record is rejected, with the reason its own one-row error log
 * gives. Halving costs up to {@code 2 × ⌈log2 n⌉} loads per bad record.
 *
 * <p>Why no retry can load a row an earlier attempt filtered: each part is sent by the
 * {@link AttemptEngine} under its one label, with the same bytes, until its fate is known; a part
 * is changed (records left out, or cut) only once the target has refused it, which proves nothing
 * of it was loaded, and the records left out are never in a later part. See
 * {@code docs/retry-policy.md}. Parts are loaded in order, so rows of one key keep their order.
 */
public final class RejectedRowFinder {

    /**
     * What isolating found.
     *
     * @param rejections one per refused record, in the order found
     * @param extraLoads parts loaded (or refused) beyond the batch itself
     * @param loadedRows rows loaded by the parts, -1 when a part's count was not reported
     */
    public record Result(List<Rejection> rejections, int extraLoads, long loadedRows) {
    }

    private final StreamLoadClient client;
    private final BatchCutter cutter;
    private final FilteredRowTracer tracer;
    /** Null: every refused part is cut in halves, its error log unread (how isolation once worked). */
    private final ErrorLogNames names;

    public RejectedRowFinder(StreamLoadClient client, BatchCutter cutter, FilteredRowTracer tracer,
                             ErrorLogNames names) {
        this.client = client;
        this.cutter = cutter;
        this.tracer = tracer;
        this.names = names;
    }

    /**
     * A finder that only cuts refused parts in halves and never reads their error logs: what
     * isolating cost before the logs were read, kept to measure the difference against.
     */
    public static RejectedRowFinder halvingOnly(StreamLoadClient client, BatchCutter cutter,
                                                FilteredRowTracer tracer) {
        return new RejectedRowFinder(client, cutter, tracer, null);
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
        search.settle(batch, refused);
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

        /** A part the target refused: its named records are rejected and the rest loaded, or it is halved. */
        void settle(Batch part, LoadFate refused) throws LoadFailedException, InterruptedException {
            if (part.recordCount() == 1) {
                rejections.add(rejectionOf(part, refused));
                return;
            }
            ErrorLogNames.Named named = names == null ? ErrorLogNames.Named.NOTHING
                    : names.read(part, refused.response());
            if (named.isEmpty()) {
                for (Batch half : cutter.halves(part)) {
                    load(half);
                }
                return;
            }
            long txnId = txnId(refused);
            for (Map.Entry<Integer, String> row : named.reasons().entrySet()) {
                rejections.add(rejection(part, row.getKey(), txnId, row.getValue()));
            }
            if (named.reasons().size() < part.recordCount()) {
                load(cutter.without(part, named.reasons().keySet()));
            }
        }

        /** Loads a part; refused, it is settled in turn. */
        void load(Batch part) throws LoadFailedException, InterruptedException {
            loads++;
            LoadFate settled = engine.attempt(part);
            if (settled.loaded()) {
                count(settled);
                if (settled.filteredRows() > 0) {
                    Traced traced = tracer.trace(part, settled.response());
                    rejections.addAll(traced.rejections());
                }
            } else {
                settle(part, settled);
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
            return rejection(single, 0, txnId(refused), reason);
        }

        Rejection rejection(Batch part, int row, long txnId, String reason) {
            SinkRecord record = part.rows().record(row);
            return Rejection.byTarget(record, part.rows().partition(row).topic(), part.rows().partition(row).partition(),
                    part.rows().offset(row), part.table(), part.label(), txnId, reason,
                    RejectedRecords.excerpt(part.rowBytes(row)));
        }

        long txnId(LoadFate refused) {
            return refused.response().reply() == null ? -1 : refused.response().reply().txnId();
        }
    }
}
