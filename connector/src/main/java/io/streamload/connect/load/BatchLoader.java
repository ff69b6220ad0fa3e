package io.streamload.connect.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.errors.RejectedRecordException;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;
import io.streamload.connect.routing.TargetTable;

/**
 * Loads one batch until its fate is known: confirmed loaded, or failed for a reason the user
 * must fix. Every attempt carries the batch's one label, so resending after an unknown outcome
 * can never load the records twice; the target's answer to the label decides.
 *
 * <p>Two answers make it cut the batch into halves, each loaded on its own under the label of
 * exactly its records: a proxy's 413 (the body is too large for it), and, with
 * {@code errors.tolerance=all}, rows the target refuses (see {@link RejectedRowFinder}).
 *
 * <p>Blocking; runs on a {@link LoadScheduler} thread. Interrupting it abandons the batch.
 */
public final class BatchLoader {

    private static final Logger log = LoggerFactory.getLogger(BatchLoader.class);
    static final int ERROR_LINES = 5;

    private final StreamLoadClient client;
    private final StreamLoadDialect dialect;
    private final Map<String, String> headers;
    private final int maxRetries;
    private final Backoff backoff;
    private final Duration labelWatchTimeout;
    private final String database;
    private final BooleanSupplier stopping;
    private final RejectedRows rejectedRows;
    private final LoadObserver observer;
    private Duration retryMaxTime = Duration.ZERO;
    private LoadEvents events = LoadEvents.NONE;
    private RejectedRowFinder.Settler settler = this::settle;
    private Predicate<String> namedByRecords = table -> false;

    /**
     * What the loader does with rows the target refuses.
     *
     * @param tolerated true with {@code errors.tolerance=all}: bad records are isolated, reported
     *        and skipped; false: the task fails
     * @param finder isolates the refused records of a batch
     * @param tracer traces rows a committed load filtered to their records
     * @param records where rejected records are reported
     */
    public record RejectedRows(boolean tolerated, RejectedRowFinder finder, FilteredRowTracer tracer,
                               RejectedRecords records) {
    }

    /**
     * @param headers the Stream Load headers common to every load (format, user properties)
     * @param maxRetries resends allowed after the first attempt
     * @param labelWatchTimeout how long a label reported as in use is watched before resending
     * @param stopping true once the task is stopping: no new attempt is started
     * @param observer hears every attempt that got a reply
     */
    public BatchLoader(StreamLoadClient client, StreamLoadDialect dialect, String database, Map<String, String> headers,
                       int maxRetries, Backoff backoff, Duration labelWatchTimeout, BooleanSupplier stopping,
                       RejectedRows rejectedRows, LoadObserver observer) {
        this.client = client;
        this.dialect = dialect;
        this.database = database;
        this.headers = Map.copyOf(headers);
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.labelWatchTimeout = labelWatchTimeout;
        this.stopping = stopping;
        this.rejectedRows = rejectedRows;
        this.observer = observer;
    }

    /**
     * Also bounds the retries of a batch by time: it fails once {@code retryMaxTime} has passed
     * since its first failed attempt, even with retries left. Zero: no bound by time.
     */
    public BatchLoader withRetryMaxTime(Duration retryMaxTime) {
        this.retryMaxTime = retryMaxTime;
        return this;
    }

    /**
     * Loads through {@code transactional} instead of plain stream loads (exactly-once delivery);
     * the cutting of batches (413, rejected rows) stays the same.
     */
    public BatchLoader withSettler(RejectedRowFinder.Settler transactional) {
        this.settler = transactional;
        return this;
    }

    /**
     * Tells which tables only records named ({@code table.field}): when the target does not know
     * such a table, the records that named it are bad records, reported as rejected with
     * {@code errors.tolerance=all}, instead of a configuration the task cannot run with.
     */
    public BatchLoader withTablesNamedByRecords(Predicate<String> tablesNamedByRecords) {
        this.namedByRecords = tablesNamedByRecords;
        return this;
    }

    /** Reports attempts, retries, unknown outcomes and confirmed loads to {@code events}. */
    public BatchLoader withEvents(LoadEvents events) {
        this.events = events;
        return this;
    }

    /**
     * Loads the batch: every record is then either in the target, or (with
     * {@code errors.tolerance=all}) reported as rejected.
     *
     * @throws LoadFailedException when the target refused it for good, or its fate is still open
     *         after {@code max.retries} resends
     * @throws InterruptedException when the task stops meanwhile; the batch is abandoned
     */
    public LoadResult load(Batch batch) throws LoadFailedException, InterruptedException {
        if (batch.hasNoRows()) {
            return new LoadResult(0, "no rows: its records were reported as rejected", 0);
        }
        SettledLoad settled = settler.settle(batch);
        if (settled.loaded()) {
            if (settled.filteredRows() > 0) {
                reportFiltered(batch, settled);
            }
            return new LoadResult(settled.attempts(), settled.resolution(), settled.loadedRows());
        }
        if (settled.outcome().kind() == OutcomeKind.TOO_LARGE && batch.recordCount() > 1) {
            return loadInHalves(batch, settled);
        }
        if (settled.outcome().kind() == OutcomeKind.UNKNOWN_TABLE) {
            if (!rejectedRows.tolerated() || !namedByRecords.test(batch.table())) {
                throw new LoadFailedException(permanentMessage(batch, settled.response(), settled.outcome()));
            }
            return rejectAll(batch, settled);
        }
        if (!rejectedRows.tolerated()) {
            throw new LoadFailedException(permanentMessage(batch, settled.response(), settled.outcome()));
        }
        RejectedRowFinder.Result found = rejectedRows.finder().isolate(batch, settled, settler);
        log.info("Stream Load into {}.{} with label {} refused {} of {} records; the others were loaded in {} "
                + "further loads", database, batch.table(), batch.label(), found.rejections().size(),
                batch.recordCount(), found.extraLoads());
        report(found.rejections());
        return new LoadResult(settled.attempts() + found.extraLoads(),
                "isolated " + found.rejections().size() + " rejected records", found.loadedRows());
    }

    /**
     * A proxy refused the body as too large (413): the halves are loaded one after the other,
     * each cut again if still too large, so the batch fits whatever limit is on the way.
     */
    private LoadResult loadInHalves(Batch batch, SettledLoad refused) throws LoadFailedException,
            InterruptedException {
        log.warn("Stream Load into {}.{} with label {}: {} [{}]; loading it in two halves (lower buffer.max.bytes "
                + "below the proxy's limit to avoid this)", database, batch.table(), batch.label(),
                refused.response().describe(), refused.outcome().rule());
        int attempts = refused.attempts();
        long rows = 0;
        for (Batch half : rejectedRows.finder().cutter().halves(batch)) {
            LoadResult result = load(half);
            attempts += result.attempts();
            rows = rows < 0 || result.loadedRows() < 0 ? -1 : rows + result.loadedRows();
        }
        return new LoadResult(attempts, "loaded in parts after " + refused.outcome().rule(), rows);
    }

    /**
     * The target does not know the table the batch's records named: each of them is reported as
     * rejected with the target's answer, and the batch counts as done so its offsets move on.
     */
    private LoadResult rejectAll(Batch batch, SettledLoad refused) throws LoadFailedException, InterruptedException {
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
        report(rejections);
        return new LoadResult(refused.attempts(), "the target does not know the table: " + batch.recordCount()
                + " records reported as rejected", 0);
    }

    private void reportFiltered(Batch batch, SettledLoad settled) throws LoadFailedException, InterruptedException {
        FilteredRowTracer.Traced traced = rejectedRows.tracer().trace(batch, settled.response());
        if (traced.untraced() > 0) {
            log.warn("Stream Load into {}.{} with label {} filtered {} rows; {} of them could not be traced to "
                    + "their records and are listed in the warnings store and at {}", database, batch.table(),
                    batch.label(), settled.filteredRows(), traced.untraced(), settled.response().reply().errorUrl());
        }
        report(traced.rejections());
    }

    private void report(List<Rejection> rejections) throws LoadFailedException, InterruptedException {
        try {
            rejectedRows.records().reportAndWait(rejections);
        } catch (RejectedRecordException e) {
            throw new LoadFailedException(e.getMessage());
        }
    }

    /**
     * Sends the batch, again under its one label while the outcome is unknown or transient, until
     * it is known to be loaded, refused for its rows, or too large for a proxy.
     */
    SettledLoad settle(Batch batch) throws LoadFailedException, InterruptedException {
        Map<String, String> requestHeaders = new LinkedHashMap<>(headers);
        requestHeaders.putAll(batch.headers());
        requestHeaders.put(dialect.labelHeader(), batch.label());
        int attempts = 0;
        int retries = 0;
        long started = System.nanoTime();
        long firstFailure = 0;
        boolean unresolved = false;
        try {
            while (true) {
                checkNotStopping();
                attempts++;
                events.attempt(batch);
                long attemptStarted = System.nanoTime();
                LoadResponse response = client.load(batch.table(), requestHeaders, batch.body());
                LoadOutcome outcome = OutcomeTable.classify(response);
                if (response.reply() != null) {
                    observer.attempted(batch, response,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptStarted));
                }
                if (outcome.kind() == OutcomeKind.UNKNOWN) {
                    unresolved = true;
                    events.unknown(batch);
                }
                switch (outcome.kind()) {
                    case LOADED -> {
                        if (!unresolved && response.reply() != null
                                && response.reply().status() == io.streamload.connect.dialect.LoadStatus.LABEL_ALREADY_EXISTS) {
                            // Not a retry of ours: an earlier run loaded this label. The label
                            // carries a checksum of the rows, so it holds exactly these.
                            log.info("Label {} of {}.{} already belongs to a finished load of these same {} rows "
                                    + "(the label carries their checksum): taken as loaded, not sent again. If "
                                    + "another writer makes labels of this form, give this connector its own "
                                    + "label.prefix", batch.label(), database, batch.table(), batch.recordCount());
                        }
                        log.debug("Loaded {} into {}.{}: {}", batch.label(), database, batch.table(), outcome.rule());
                        events.loaded(batch, response.reply(), resolution(unresolved, response.reply()),
                                System.nanoTime() - started);
                        unresolved = false;
                        return new SettledLoad(outcome, response, attempts, outcome.rule());
                    }
                    case LABEL_IN_USE -> {
                        Optional<LabelState> settled = watchLabel(batch);
                        if (settled.isPresent() && settled.get().isLoaded()) {
                            events.loaded(batch, null, unresolved ? LoadEvents.Resolution.UNKNOWN_WAS_LOADED
                                    : LoadEvents.Resolution.CONFIRMED, System.nanoTime() - started);
                            unresolved = false;
                            return new SettledLoad(outcome, response, attempts, "label state " + settled.get());
                        }
                        String why = settled.map(s -> "label state " + s).orElse("label still in use after "
                                + labelWatchTimeout.toSeconds() + " s");
                        firstFailure = firstFailure == 0 ? System.nanoTime() : firstFailure;
                        retries = retryOrFail(batch, retries, firstFailure, response, outcome, why);
                    }
                    case UNKNOWN, RETRIABLE -> {
                        firstFailure = firstFailure == 0 ? System.nanoTime() : firstFailure;
                        retries = retryOrFail(batch, retries, firstFailure, response, outcome, outcome.rule());
                    }
                    case REJECTED_ROWS -> {
                        return new SettledLoad(outcome, response, attempts, outcome.rule());
                    }
                    case TOO_LARGE -> {
                        if (batch.recordCount() == 1 && !rejectedRows.tolerated()) {
                            throw new LoadFailedException(permanentMessage(batch, response, outcome));
                        }
                        return new SettledLoad(outcome, response, attempts, outcome.rule());
                    }
                    case UNKNOWN_TABLE -> {
                        if (rejectedRows.tolerated() && namedByRecords.test(batch.table())) {
                            return new SettledLoad(outcome, response, attempts, outcome.rule());
                        }
                        throw new LoadFailedException(permanentMessage(batch, response, outcome));
                    }
                    case PERMANENT -> throw new LoadFailedException(permanentMessage(batch, response, outcome));
                    default -> throw new IllegalStateException("unhandled outcome " + outcome.kind());
                }
            }
        } catch (LoadFailedException e) {
            events.failed(batch, unresolved);
            throw e;
        }
    }

    /** How a confirmed batch was confirmed, given whether an unknown outcome came before. */
    private static LoadEvents.Resolution resolution(boolean afterUnknown, io.streamload.connect.dialect.LoadReply reply) {
        if (!afterUnknown) {
            return LoadEvents.Resolution.CONFIRMED;
        }
        // "Label Already Exists" (FINISHED) means the earlier attempt committed; a fresh Success
        // means it had not, and this resend loaded the rows.
        return reply != null && reply.status() == io.streamload.connect.dialect.LoadStatus.LABEL_ALREADY_EXISTS
                ? LoadEvents.Resolution.UNKNOWN_WAS_LOADED : LoadEvents.Resolution.UNKNOWN_WAS_NOT_LOADED;
    }

    private int retryOrFail(Batch batch, int retries, long firstFailure, LoadResponse response, LoadOutcome outcome,
                            String why) throws LoadFailedException, InterruptedException {
        checkNotStopping();
        int retry = retries + 1;
        long delay = backoff.delayMs(retry);
        long spentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstFailure);
        boolean outOfTime = !retryMaxTime.isZero() && spentMs + delay > retryMaxTime.toMillis();
        if (retries >= maxRetries || outOfTime) {
            String budget = outOfTime ? "after retrying for " + spentMs + " ms (retry.max.time.ms "
                    + retryMaxTime.toMillis() + ")" : "after " + (retries + 1) + " attempts (max.retries " + maxRetries + ")";
            String fes = response.atFe() && (response.transportError() != null || response.httpStatus() >= 500)
                    ? " FEs: " + client.feHealth() + "." : "";
            throw new LoadFailedException("Stream Load into " + database + "." + batch.table() + " with label "
                    + batch.label() + " did not succeed " + budget + "; last: "
                    + response.describe() + " [" + why + "]." + fes + " The records' offsets were not committed. "
                    + "If the target is reachable again, restart the task; raise max.retries, retry.max.time.ms or "
                    + "retry.backoff.max.ms to ride out longer outages.");
        }
        events.retry(batch, outcome);
        log.warn("Stream Load into {}.{} with label {}: {} [{}]; retry {} of {} with the same label in {} ms",
                database, batch.table(), batch.label(), response.describe(), why, retry, maxRetries, delay);
        pause(delay);
        return retry;
    }

    /**
     * Asks the label's state until it settles or the watch times out.
     *
     * @return a settled state (loaded, aborted, unknown), or empty when still in progress or unanswered
     */
    private Optional<LabelState> watchLabel(Batch batch) throws InterruptedException {
        long deadline = System.nanoTime() + labelWatchTimeout.toNanos();
        for (int poll = 1; ; poll++) {
            checkNotStopping();
            Optional<LabelState> state = client.labelState(batch.table(), batch.label());
            if (state.isPresent() && !state.get().isInProgress()) {
                log.debug("Label {} of {}.{} settled as {}", batch.label(), database, batch.table(), state.get());
                return state;
            }
            long delay = backoff.delayMs(poll);
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
                return Optional.empty();
            }
            log.debug("Label {} is {}; asking again in {} ms", batch.label(), state.map(Enum::name).orElse("unanswered"),
                    delay);
            pause(delay);
        }
    }

    private String permanentMessage(Batch batch, LoadResponse response, LoadOutcome outcome) {
        StringBuilder message = new StringBuilder()
                .append("Stream Load into ").append(target(batch))
                .append(" with label ").append(batch.label()).append(" failed: ").append(response.describe())
                .append(" [").append(outcome.rule()).append("].");
        if (outcome.kind() == OutcomeKind.UNKNOWN_TABLE && namedByRecords.test(batch.table())) {
            TopicPartition first = batch.rows().partition(0);
            message.append(" The table ").append(target(batch)).append(" is named by the table.field of the ")
                    .append(batch.recordCount() == 1 ? "record" : batch.recordCount() + " records")
                    .append(" of this batch, the first at topic ").append(first.topic()).append(", partition ")
                    .append(first.partition()).append(", offset ").append(batch.rows().offset(0))
                    .append(" (the batch holds ").append(batch.ranges()).append(").")
                    .append(" What to do: create the table, or correct the records' producer; or set "
                            + "errors.tolerance=all (with a dead letter queue) to report such records and go on.");
        } else if (!outcome.advice().isEmpty()) {
            message.append(" What to do: ").append(outcome.advice()).append('.');
        }
        String errorUrl = response.reply() == null ? null : response.reply().errorUrl();
        if (errorUrl != null && !errorUrl.isBlank()) {
            List<String> lines = client.errorLines(errorUrl, ERROR_LINES);
            message.append(" First rejected rows (").append(errorUrl).append("):");
            lines.forEach(line -> message.append("\n  ").append(line));
        }
        message.append("\nThe offsets of these records and of every later record of their partitions were not committed.");
        return message.toString();
    }

    /** The batch's database and table, for messages. */
    private String target(Batch batch) {
        return TargetTable.resolve(database, batch.table()).toString();
    }

    private void checkNotStopping() throws InterruptedException {
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("the task is stopping");
        }
    }

    private static void pause(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
    }
}
