package io.streamload.connect.txn;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.LoadStatus;
import io.streamload.connect.dialect.TransactionSteps;
import io.streamload.connect.load.BatchRevokedException;
import io.streamload.connect.load.LoadProtocol;
import io.streamload.connect.load.LoadResponse;
import io.streamload.connect.load.OutcomeKind;
import io.streamload.connect.load.StepAnswer;
import io.streamload.connect.load.StreamLoadClient;

/**
 * Exactly-once delivery's load: into a transaction that is prepared, recorded as prepared in the
 * intent log, and only then committed. A crash at any point leaves either nothing visible, or a
 * committed transaction the intent log names (its records are skipped when Kafka delivers them
 * again), or a prepared one the intent log names (recovery commits it). See
 * {@code docs/exactly-once.md} for each crash point.
 *
 * <p>Each {@link #send} is one attempt; the attempt engine retries it under the batch's one label.
 * A later attempt finds what an earlier one left: a transaction this task recorded as prepared is
 * committed without loading again; otherwise the begin meets the label, and its state decides:
 * prepared is recorded and committed, still open (begun, not prepared) is rolled back and loaded
 * again, already committed counts as loaded.
 */
public final class TransactionalLoad implements LoadProtocol {

    private static final Logger log = LoggerFactory.getLogger(TransactionalLoad.class);
    private static final String LEFT_PREPARED = "The transaction is prepared and the intent log names it: the task "
            + "commits it on its way out if the target answers, otherwise the next owner of the partitions does.";

    private final TransactionSteps steps;
    private final StreamLoadClient client;
    private final IntentLog intents;
    private final String connector;
    private final TopicIds topicIds;
    /** Transactions begun or prepared by this task and not yet ended, by label. */
    private final Map<String, Intent> open = new ConcurrentHashMap<>();

    TransactionalLoad(TransactionSteps steps, StreamLoadClient client, IntentLog intents, String connector,
                      TopicIds topicIds) {
        this.steps = steps;
        this.client = client;
        this.intents = intents;
        this.connector = connector;
        this.topicIds = topicIds;
    }

    @Override
    public Attempt send(Batch batch, Map<String, String> headers) throws InterruptedException {
        return send(batch, headers, Guard.NONE);
    }

    /**
     * One attempt. Its intents are written through {@code guard}, so that each is in the log
     * before the batch's partitions are closed, or not written at all: the next owner's recovery,
     * which reads the log only after the close, sees every transaction this task may still
     * commit, and this task commits none it could not have seen.
     */
    @Override
    public Attempt send(Batch batch, Map<String, String> headers, Guard guard) throws InterruptedException {
        Intent known = open.get(batch.label());
        if (known != null && known.state() == Intent.State.PREPARED) {
            // An earlier attempt prepared it; only its commit is still open.
            return commit(batch, known, null);
        }
        Intent begun = new Intent(connector, batch.label(), batch.table(), -1, Intent.State.BEGUN, batch.ranges(),
                topicIds.of(batch.ranges()));
        if (!guard.run(() -> {
            intents.write(begun);
            open.put(batch.label(), begun);
        })) {
            throw new BatchRevokedException(batch + ": its partitions were closed before its transaction began");
        }
        StepAnswer prepared = steps.prepare(batch, headers);
        return switch (prepared.kind()) {
            case STEP_DONE -> commit(batch, prepare(batch, begun, prepared.txnId(), guard), prepared);
            case LOADED -> committed(batch, begun, prepared, null, true);
            case LABEL_IN_USE -> earlierTransaction(batch, begun, prepared, guard);
            case UNKNOWN, RETRIABLE, SLOW_DOWN -> Attempt.of(prepared);
            default -> {
                // Refused: nothing is prepared (the steps rolled back what they began).
                ended(batch, begun, Intent.State.ABORTED);
                yield Attempt.of(prepared);
            }
        };
    }

    /** The label's transaction is one an earlier attempt (or run) left: its state says what to do. */
    private Attempt earlierTransaction(Batch batch, Intent begun, StepAnswer answer, Guard guard)
            throws InterruptedException {
        Optional<LabelState> state = client.labelState(batch.table(), batch.label());
        if (state.isPresent() && state.get().isLoaded()) {
            return committed(batch, begun, answer, null, true);
        }
        if (state.isPresent() && (state.get() == LabelState.PREPARED || state.get() == LabelState.PRECOMMITTED)) {
            return commit(batch, prepare(batch, begun, answer.txnId(), guard), answer);
        }
        // Still open (an earlier attempt's load): end it, then load again.
        StepAnswer aborted = steps.abort(batch.table(), batch.label());
        if (aborted.kind() == OutcomeKind.LOADED) {
            return committed(batch, begun, aborted, null, true);
        }
        return new Attempt(OutcomeKind.RETRIABLE, answer, recorded(answer), false, "label state "
                + state.map(Enum::name).orElse("unknown") + ": an earlier attempt's transaction was open; "
                + aborted.describe(), "");
    }

    /**
     * Records the transaction as prepared, which commits it in the eyes of recovery. When the
     * batch's partitions were closed first, their next owner may have found it begun and loaded
     * its records again: it is rolled back instead, and the batch given up.
     */
    private Intent prepare(Batch batch, Intent begun, long txnId, Guard guard) throws InterruptedException {
        Intent prepared = begun.with(Intent.State.PREPARED, txnId);
        if (guard.run(() -> {
            intents.write(prepared);
            open.put(prepared.label(), prepared);
        })) {
            return prepared;
        }
        StepAnswer aborted = steps.abort(batch.table(), batch.label());
        if (aborted.kind() == OutcomeKind.ROLLED_BACK) {
            ended(batch, begun, Intent.State.ABORTED);
        }
        // Otherwise it stays begun in the log and in this task: whoever ends it first rolls it back.
        throw new BatchRevokedException(batch + ": its partitions were closed before its transaction was recorded "
                + "as prepared; rolled back (" + aborted.describe() + ")");
    }

    /** Commits; committing a committed transaction is harmless, so an unknown answer is simply sent again. */
    private Attempt commit(Batch batch, Intent prepared, StepAnswer preparedAnswer) {
        StepAnswer commit = steps.commit(batch.table(), batch.label());
        return switch (commit.kind()) {
            case LOADED -> committed(batch, prepared, commit, preparedAnswer, false);
            case ROLLED_BACK -> {
                // Rolled back meanwhile (a prepared timeout): nothing is visible, load again.
                ended(batch, prepared, Intent.State.ABORTED);
                yield new Attempt(OutcomeKind.RETRIABLE, commit, recorded(commit), false,
                        commit.outcome().rule(), "");
            }
            default -> new Attempt(commit.kind(), commit, recorded(commit), false, commit.outcome().rule(),
                    LEFT_PREPARED);
        };
    }

    private Attempt committed(Batch batch, Intent intent, StepAnswer answer, StepAnswer counts, boolean earlier) {
        ended(batch, intent, Intent.State.COMMITTED);
        LoadResponse recorded = committedRecord(answer, counts);
        return new Attempt(OutcomeKind.LOADED, answer, recorded, earlier,
                earlier ? "transaction already committed (" + answer.outcome().rule() + ")" : "transaction committed",
                "");
    }

    private void ended(Batch batch, Intent intent, Intent.State state) {
        open.remove(batch.label());
        intents.writeLater(intent.with(state, intent.txnId()));
    }

    /**
     * What {@code load_jobs} keeps of a committed transaction: the counts the prepare reported
     * (when this attempt prepared it), under status {@code COMMITTED}.
     */
    private static LoadResponse committedRecord(StepAnswer answer, StepAnswer counts) {
        LoadReply from = counts != null && counts.response().reply() != null ? counts.response().reply()
                : answer.response().reply();
        if (from == null) {
            return null;
        }
        long txnId = from.txnId() >= 0 ? from.txnId() : answer.txnId();
        LoadReply reply = new LoadReply(counts == null ? from.status() : LoadStatus.SUCCESS,
                counts == null ? from.rawStatus() : "COMMITTED", "transaction " + txnId + " committed",
                from.existingJobStatus(), txnId, from.loadedRows(), from.filteredRows(), from.unselectedRows(),
                from.loadBytes(), from.errorUrl());
        return new LoadResponse(answer.response().fe(), answer.response().httpStatus(), reply,
                answer.response().bodyExcerpt(), null, null, answer.response().atFe());
    }

    private static LoadResponse recorded(StepAnswer answer) {
        return answer.response().reply() == null ? null : answer.response();
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
            StepAnswer end = prepared ? steps.commit(intent.table(), intent.label())
                    : steps.abort(intent.table(), intent.label());
            if (end.kind() == OutcomeKind.LOADED || end.kind() == OutcomeKind.ROLLED_BACK) {
                open.remove(intent.label());
                boolean inTable = end.kind() == OutcomeKind.LOADED;
                intents.writeLater(intent.with(inTable ? Intent.State.COMMITTED : Intent.State.ABORTED,
                        intent.txnId()));
                log.info("Transaction {} into {} {} on the way out", intent.label(), intent.table(),
                        inTable ? "committed" : "rolled back");
            } else {
                log.info("Transaction {} into {} left {} for the next owner to end: {}", intent.label(),
                        intent.table(), intent.state(), end.describe());
            }
        }
    }
}
