package io.streamload.connect.load;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.errors.ErrorPolicy;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;
import io.streamload.connect.routing.TargetTable;

/**
 * Takes one batch to its end: every record is then either in the target, or (with
 * {@code errors.tolerance=all}) reported as rejected. The {@link AttemptEngine} sends it until its
 * fate is known; when that fate is one a different batch can overcome, the batch is cut:
 * <ul>
 *   <li>a proxy's 413 (the body is too large for it): the halves are loaded one after the other,
 *   each cut again while still too large;</li>
 *   <li>rows the target refuses: the {@link ErrorPolicy} fails the task, or has
 *   {@link RejectedRowFinder} isolate the bad records and load the others;</li>
 *   <li>a table that only records named ({@code table.field}) and the target does not know: its
 *   records are bad records, to the policy likewise. A table of the configuration fails the task.</li>
 * </ul>
 * Each part is loaded under the label of exactly its records.
 *
 * <p>Blocking; runs on a {@link LoadScheduler} thread. Interrupting it abandons the batch.
 */
public final class BatchLoader {

    private static final Logger log = LoggerFactory.getLogger(BatchLoader.class);

    private final AttemptEngine engine;
    private final ErrorPolicy policy;
    private final RejectedRowFinder finder;
    private final FilteredRowTracer tracer;
    private final Predicate<String> namedByRecords;
    private final String database;

    /**
     * @param namedByRecords tells which tables only records named ({@code table.field})
     */
    public BatchLoader(AttemptEngine engine, ErrorPolicy policy, RejectedRowFinder finder, FilteredRowTracer tracer,
                       Predicate<String> namedByRecords, String database) {
        this.engine = engine;
        this.policy = policy;
        this.finder = finder;
        this.tracer = tracer;
        this.namedByRecords = namedByRecords;
        this.database = database;
    }

    /**
     * Loads the batch.
     *
     * @throws LoadFailedException when the target refused it for good, or its fate is still open
     *         when the retry budget is spent
     * @throws InterruptedException when the task stops meanwhile; the batch is abandoned
     */
    public LoadResult load(Batch batch) throws LoadFailedException, InterruptedException {
        return load(batch, engine.within(batch));
    }

    /** Loads {@code batch}, the sealed batch or a part of it, with the engine of the sealed batch. */
    private LoadResult load(Batch batch, AttemptEngine engine) throws LoadFailedException, InterruptedException {
        if (batch.hasNoRows()) {
            return new LoadResult(0, "no rows: its records were reported as rejected", 0);
        }
        LoadFate fate = engine.attempt(batch);
        if (fate.loaded()) {
            if (fate.filteredRows() > 0) {
                reportFiltered(batch, fate);
            }
            return new LoadResult(fate.attempts(), fate.resolution(), fate.loadedRows());
        }
        OutcomeKind kind = fate.outcome().kind();
        if (kind == OutcomeKind.TOO_LARGE && batch.recordCount() > 1) {
            return loadInHalves(batch, fate, engine);
        }
        if (kind == OutcomeKind.UNKNOWN_TABLE) {
            if (!namedByRecords.test(batch.table())) {
                throw new LoadFailedException(engine.refusal(batch, fate));
            }
            policy.refusedByTarget(() -> unknownTableNamedByRecords(batch, fate), () -> rejectAll(batch, fate),
                    rejections -> rejections);
            return new LoadResult(fate.attempts(), "the target does not know the table: " + batch.recordCount()
                    + " records reported as rejected", 0);
        }
        RejectedRowFinder.Result found = policy.refusedByTarget(() -> engine.refusal(batch, fate),
                () -> finder.isolate(batch, fate, engine), RejectedRowFinder.Result::rejections);
        log.info("Stream Load into {} with label {} refused {} of {} records; the others were loaded in {} "
                + "further loads", target(batch), batch.label(), found.rejections().size(), batch.recordCount(),
                found.extraLoads());
        return new LoadResult(fate.attempts() + found.extraLoads(),
                "isolated " + found.rejections().size() + " rejected records", found.loadedRows());
    }

    /**
     * A proxy refused the body as too large (413): the halves are loaded one after the other,
     * each cut again if still too large, so the batch fits whatever limit is on the way.
     */
    private LoadResult loadInHalves(Batch batch, LoadFate refused, AttemptEngine engine) throws LoadFailedException,
            InterruptedException {
        log.warn("Stream Load into {} with label {}: {} [{}]; loading it in two halves (lower buffer.max.bytes "
                + "below the proxy's limit to avoid this)", target(batch), batch.label(),
                refused.response().describe(), refused.outcome().rule());
        int attempts = refused.attempts();
        long rows = 0;
        for (Batch half : finder.cutter().halves(batch)) {
            LoadResult result = load(half, engine);
            attempts += result.attempts();
            rows = rows < 0 || result.loadedRows() < 0 ? -1 : rows + result.loadedRows();
        }
        return new LoadResult(attempts, "loaded in parts after " + refused.outcome().rule(), rows);
    }

    /** Each record of a batch whose record-named table the target does not know, with the target's answer. */
    private List<Rejection> rejectAll(Batch batch, LoadFate refused) {
        LoadReply reply = refused.response().reply();
        String reason = reply == null ? refused.response().describe() : reply.message();
        List<Rejection> rejections = new ArrayList<>(batch.recordCount());
        for (int row = 0; row < batch.recordCount(); row++) {
            TopicPartition partition = batch.rows().partition(row);
            rejections.add(Rejection.byTarget(batch.rows().record(row), partition.topic(), partition.partition(),
                    batch.rows().offset(row), batch.table(), batch.label(), reply == null ? -1 : reply.txnId(), reason,
                    RejectedRecords.excerpt(batch.rowBytes(row))));
        }
        log.warn("Stream Load into {} with label {}: {} [{}]; the {} records that name this table in table.field are "
                + "reported as rejected", target(batch), batch.label(), refused.response().describe(),
                refused.outcome().rule(), batch.recordCount());
        return rejections;
    }

    private void reportFiltered(Batch batch, LoadFate fate) throws LoadFailedException, InterruptedException {
        FilteredRowTracer.Traced traced = tracer.trace(batch, fate.response());
        if (traced.untraced() > 0) {
            log.warn("Stream Load into {} with label {} filtered {} rows; {} of them could not be traced to their "
                    + "records and are listed in the warnings store and at {}", target(batch), batch.label(),
                    fate.filteredRows(), traced.untraced(), fate.response().reply().errorUrl());
        }
        policy.filtered(traced.rejections());
    }

    private String unknownTableNamedByRecords(Batch batch, LoadFate fate) {
        TopicPartition first = batch.rows().partition(0);
        return "Stream Load into " + target(batch) + " with label " + batch.label() + " failed: "
                + fate.response().describe() + " [" + fate.outcome().rule() + "]. The table " + target(batch)
                + " is named by the table.field of the " + (batch.recordCount() == 1 ? "record"
                : batch.recordCount() + " records") + " of this batch, the first at topic " + first.topic()
                + ", partition " + first.partition() + ", offset " + batch.rows().offset(0) + " (the batch holds "
                + batch.ranges() + "). What to do: create the table, or correct the records' producer; or set "
                + "errors.tolerance=all (with a dead letter queue) to report such records and go on."
                + "\nThe offsets of these records and of every later record of their partitions were not committed.";
    }

    /** The batch's database and table, for messages. */
    private String target(Batch batch) {
        return TargetTable.resolve(database, batch.table()).toString();
    }
}
