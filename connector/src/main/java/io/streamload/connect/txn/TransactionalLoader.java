package io.streamload.connect.txn;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.LoadStatus;
import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.LoadEvents;
import io.streamload.connect.load.LoadFailedException;
import io.streamload.connect.load.LoadOutcome;
import io.streamload.connect.load.LoadResponse;
import io.streamload.connect.load.OutcomeKind;
import io.streamload.connect.load.OutcomeTable;
import io.streamload.connect.load.RejectedRowFinder;
import io.streamload.connect.load.SettledLoad;
import io.streamload.connect.txn.TransactionApi.End;
import io.streamload.connect.txn.TransactionApi.EndKind;
import io.streamload.connect.txn.TransactionApi.Step;

/**
 * Loads a batch exactly once: into a transaction that is prepared, recorded as prepared in the
 * intent log, and only then committed. A crash at any point leaves either nothing visible, or a
 * committed transaction the intent log names (its records are skipped when Kafka delivers them
 * again), or a prepared one the intent log names (recovery commits it). See
 * {@code docs/exactly-once.md} for each crash point.
 *
 * <p>Every attempt of a batch uses its one label, so the target itself refuses to apply the same
 * records twice while they are in flight.
 */
public final class TransactionalLoader implements RejectedRowFinder.Settler {

    private static final Logger log = LoggerFactory.getLogger(TransactionalLoader.class);
    private static final LoadResponse NO_REPLY = new LoadResponse("", 200, null, "", null);

    private final TransactionApi api;
    private final IntentLog intents;
    private final String connector;
    private final Map<String, String> headers;
    private final int maxRetries;
    private final Backoff backoff;
    private final BooleanSupplier stopping;
    private final LoadEvents events;
    private final TopicIds topicIds;
    /** Transactions begun or prepared by this task and not yet ended, by label. */
    private final Map<String, Intent> open = new ConcurrentHashMap<>();

    TransactionalLoader(TransactionApi api, IntentLog intents, String connector, Map<String, String> headers,
                        int maxRetries, Backoff backoff, BooleanSupplier stopping, LoadEvents events,
                        TopicIds topicIds) {
        this.api = api;
        this.intents = intents;
        this.connector = connector;
        this.headers = Map.copyOf(headers);
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.stopping = stopping;
        this.events = events;
        this.topicIds = topicIds;
    }

    @Override
    public SettledLoad settle(Batch batch) throws LoadFailedException, InterruptedException {
        Map<String, String> batchHeaders = new LinkedHashMap<>(headers);
        batchHeaders.putAll(batch.headers());
        Intent intent = new Intent(connector, batch.label(), batch.table(), -1, Intent.State.BEGUN, batch.ranges(),
                topicIds.of(batch.ranges()));
        long started = System.nanoTime();
        String last = "";
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                pause(backoff.delayMs(attempt));
            }
            checkNotStopping();
            events.attempt(batch);
            intents.write(intent);
            open.put(batch.label(), intent);
            Step step = api.prepare(batch, batchHeaders);
            last = step.detail();
            switch (step.kind()) {
                case PREPARED -> {
                    Intent prepared = intent.with(Intent.State.PREPARED, step.txnId());
                    intents.write(prepared);
                    open.put(batch.label(), prepared);
                    End end = commit(batch, step.txnId());
                    open.remove(batch.label());
                    if (end.kind() == EndKind.DONE) {
                        intents.writeLater(prepared.with(Intent.State.COMMITTED, step.txnId()));
                        events.loaded(batch, step.response() == null ? null : step.response().reply(),
                                LoadEvents.Resolution.CONFIRMED, System.nanoTime() - started);
                        return loaded(step, "transaction committed");
                    }
                    // Rolled back meanwhile (a prepared timeout): nothing is visible, load again.
                    last = "commit: " + end.detail();
                    intents.writeLater(prepared.with(Intent.State.ABORTED, step.txnId()));
                }
                case ALREADY_COMMITTED -> {
                    open.remove(batch.label());
                    intents.writeLater(intent.with(Intent.State.COMMITTED, step.txnId()));
                    events.loaded(batch, null, LoadEvents.Resolution.UNKNOWN_WAS_LOADED, System.nanoTime() - started);
                    return loaded(step, step.detail());
                }
                case REJECTED -> {
                    open.remove(batch.label());
                    intents.writeLater(intent.with(Intent.State.ABORTED, step.txnId()));
                    return new SettledLoad(new LoadOutcome(OutcomeKind.REJECTED_ROWS, "rows refused in the transaction",
                            ""), step.response() == null ? NO_REPLY : step.response(), attempt + 1, step.detail());
                }
                case IN_PROGRESS -> {
                    // An earlier attempt's transaction is still open: end it, then load again.
                    api.abort(batch.table(), batch.label(), step.txnId());
                    events.retry(batch, new LoadOutcome(OutcomeKind.UNKNOWN, step.detail(), ""));
                }
                case RETRY -> {
                    log.warn("Transaction {} into {}: {}; retry {} of {} with the same label", batch.label(),
                            batch.table(), step.detail(), attempt + 1, maxRetries);
                    events.retry(batch, new LoadOutcome(OutcomeKind.RETRIABLE, step.detail(), ""));
                }
                case FAILED -> {
                    open.remove(batch.label());
                    api.abort(batch.table(), batch.label(), step.txnId());
                    intents.writeLater(intent.with(Intent.State.ABORTED, step.txnId()));
                    LoadResponse refused = refusal(step);
                    LoadOutcome outcome = OutcomeTable.classify(refused);
                    if (outcome.kind() == OutcomeKind.UNKNOWN_TABLE) {
                        // The batch loader decides, as for plain loads: its records are reported
                        // when a record named the table and errors are tolerated; else the task fails.
                        return new SettledLoad(outcome, refused, attempt + 1, step.detail());
                    }
                    events.failed(batch, false);
                    throw new LoadFailedException("Transaction " + batch.label() + " into " + batch.table()
                            + " failed: " + step.detail() + ". Its offsets were not committed.");
                }
                default -> throw new IllegalStateException("unhandled step " + step.kind());
            }
        }
        events.failed(batch, true);
        throw new LoadFailedException("Transaction " + batch.label() + " into " + batch.table() + " did not succeed after "
                + (maxRetries + 1) + " attempts; last: " + last + ". Its offsets were not committed; the intent log "
                + "lets the next start finish or roll back what is left.");
    }

    /**
     * Ends what this task left open (a load abandoned, a commit that kept failing), so nothing of
     * it stays pending in the target: prepared transactions are committed (their intent is in the
     * log), unprepared ones rolled back. What cannot be ended now is ended by the next owner's
     * recovery. For {@code stop()} and {@code close()}, after the loads have finished or been abandoned.
     *
     * @param partitions only transactions carrying records of these; null for all
     */
    public void endOpen(Collection<TopicPartition> partitions) {
        for (Intent intent : List.copyOf(open.values())) {
            if (partitions != null && intent.ranges().stream().noneMatch(r -> partitions.contains(r.partition()))) {
                continue;
            }
            boolean prepared = intent.state() == Intent.State.PREPARED;
            End end = prepared ? api.commit(intent.table(), intent.label(), intent.txnId())
                    : api.abort(intent.table(), intent.label(), intent.txnId());
            if (end.kind() == EndKind.DONE) {
                open.remove(intent.label());
                intents.writeLater(intent.with(prepared ? Intent.State.COMMITTED : Intent.State.ABORTED,
                        intent.txnId()));
                log.info("Transaction {} into {} {} on the way out", intent.label(), intent.table(),
                        prepared ? "committed" : "rolled back");
            } else {
                log.info("Transaction {} into {} left {} for the next owner to end: {}", intent.label(),
                        intent.table(), intent.state(), end.detail());
            }
        }
    }

    /**
     * Commits, again while the outcome is unknown: committing a committed transaction is harmless.
     * Each request sent again counts as a retry of the batch's load in the metrics.
     */
    /**
     * The target's answer to a failed step as a load reply, so the outcome table classifies it
     * like a plain load's: a step's own reply when it has one, else its detail as the message.
     */
    private static LoadResponse refusal(Step step) {
        if (step.response() != null && step.response().reply() != null) {
            return step.response();
        }
        LoadReply reply = new LoadReply(LoadStatus.FAIL, "FAILED", step.detail(), null, step.txnId(), 0, 0, 0, 0,
                null);
        String fe = step.response() == null ? "" : step.response().fe();
        return new LoadResponse(fe, 200, reply, step.detail(), null);
    }

    private End commit(Batch batch, long txnId) throws InterruptedException, LoadFailedException {
        String table = batch.table();
        String label = batch.label();
        End end = api.commit(table, label, txnId);
        for (int retry = 1; end.kind() == EndKind.RETRY && retry <= maxRetries; retry++) {
            log.warn("Commit of transaction {} into {}: {}; retry {} of {}", label, table, end.detail(), retry,
                    maxRetries);
            events.retry(batch, new LoadOutcome(OutcomeKind.UNKNOWN, "commit: " + end.detail(), ""));
            pause(backoff.delayMs(retry));
            end = api.commit(table, label, txnId);
        }
        if (end.kind() == EndKind.RETRY || end.kind() == EndKind.FAILED) {
            throw new LoadFailedException("Transaction " + label + " into " + table + " is prepared but could not be "
                    + "committed: " + end.detail() + ". The intent log names it: the next start of the task "
                    + "commits it. Its offsets were not committed.");
        }
        return end;
    }

    private static SettledLoad loaded(Step step, String how) {
        return new SettledLoad(new LoadOutcome(OutcomeKind.LOADED, how, ""),
                step.response() == null ? NO_REPLY : step.response(), 1, how);
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
