package io.streamload.connect.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.load.LoadProtocol.Attempt;
import io.streamload.connect.routing.TargetTable;

/**
 * Sends a batch's attempts until its fate is known, for both delivery modes: the
 * {@link LoadProtocol} makes each attempt under the batch's one label, the outcome table has
 * classified every answer of it, and this decides what comes next, within one
 * {@link RetryBudget}: confirmed loaded; sent again while the outcome is unknown or transient (the
 * label keeps a resend from loading twice); handed back when a smaller batch can help (rows
 * refused, a body too large, a table a record named unknown); or failed with what to change. Every
 * attempt, answer, retry and confirmation is told to the task's {@link LoadListener}.
 *
 * <p>Blocking; runs on a load thread. Stopping the task (or interrupting the thread) abandons
 * the batch.
 */
public final class AttemptEngine {

    private static final Logger log = LoggerFactory.getLogger(AttemptEngine.class);
    static final int ERROR_LINES = 5;

    private final LoadProtocol protocol;
    private final Map<String, String> headers;
    private final RetryBudget budget;
    private final TaskClock clock;
    private final LoadListener listener;
    private final BooleanSupplier stopping;
    private final Ownership ownership;
    private final StreamLoadClient client;
    private final String database;
    /** The batch sealed from the buffers whose parts this engine attempts; null: each batch is its own. */
    private final Batch whole;

    /**
     * @param headers the headers common to every load (format, user properties)
     * @param stopping true once the task is stopping: no new attempt is started
     * @param ownership tells whether a batch's partitions were closed: no new attempt of it is started
     * @param client reads error logs and FE health for failure messages
     */
    public AttemptEngine(LoadProtocol protocol, Map<String, String> headers, RetryBudget budget, TaskClock clock,
                         LoadListener listener, BooleanSupplier stopping, Ownership ownership,
                         StreamLoadClient client, String database) {
        this(protocol, Map.copyOf(headers), budget, clock, listener, stopping, ownership, client, database, null);
    }

    private AttemptEngine(LoadProtocol protocol, Map<String, String> headers, RetryBudget budget, TaskClock clock,
                          LoadListener listener, BooleanSupplier stopping, Ownership ownership,
                          StreamLoadClient client, String database, Batch whole) {
        this.protocol = protocol;
        this.headers = headers;
        this.budget = budget;
        this.clock = clock;
        this.listener = listener;
        this.stopping = stopping;
        this.ownership = ownership;
        this.client = client;
        this.database = database;
        this.whole = whole;
    }

    /**
     * This engine for {@code whole} and the parts cut from it: whether an attempt may start is
     * asked of {@code whole}, the batch the offset ledger knows (parts carry no ledger entries).
     */
    public AttemptEngine within(Batch whole) {
        return new AttemptEngine(protocol, headers, budget, clock, listener, stopping, ownership, client, database,
                whole);
    }

    /**
     * Attempts the batch until its fate is known.
     *
     * @throws LoadFailedException when the target refused it for good, or its fate is still open
     *     when the budget is spent
     * @throws InterruptedException when the task stops meanwhile; the batch is abandoned
     */
    public LoadFate attempt(Batch batch) throws LoadFailedException, InterruptedException {
        Map<String, String> requestHeaders = new LinkedHashMap<>(headers);
        requestHeaders.putAll(batch.headers());
        int attempts = 0;
        int retries = 0;
        long started = clock.nanoTime();
        long firstFailure = -1;
        boolean unresolved = false;
        while (true) {
            checkNotStopping(batch);
            attempts++;
            listener.attempt(batch);
            long sent = clock.nanoTime();
            Batch sealed = whole != null ? whole : batch;
            Attempt attempt = protocol.send(batch, requestHeaders, write -> ownership.whileOwned(sealed, write));
            if (attempt.recorded() != null) {
                listener.answered(batch, attempt.recorded(), TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - sent));
            }
            if (attempt.answer().kind() == OutcomeKind.UNKNOWN) {
                unresolved = true;
                listener.unknown(batch);
            }
            switch (attempt.kind()) {
                case LOADED -> {
                    return loaded(batch, attempt, attempts, unresolved, started);
                }
                case REJECTED_ROWS, TOO_LARGE, UNKNOWN_TABLE -> {
                    return new LoadFate(attempt.answer().outcome(), attempt.answer().response(), attempts,
                            attempt.how(), -1);
                }
                case PERMANENT -> throw new LoadFailedException(permanentMessage(batch, attempt), unresolved);
                default -> {
                    // UNKNOWN, RETRIABLE, and what a protocol could not settle within the attempt.
                    firstFailure = firstFailure < 0 ? clock.nanoTime() : firstFailure;
                    retries = retryOrFail(batch, retries, firstFailure, attempt, unresolved);
                }
            }
        }
    }

    private LoadFate loaded(Batch batch, Attempt attempt, int attempts, boolean unresolved, long started) {
        if (attempt.labelShowedLoaded() && !unresolved && attempts == 1) {
            // Not a retry of ours: an earlier run loaded this label. The label carries a checksum
            // of the rows, so it holds exactly these.
            log.info("Label {} of {} already belongs to a finished load of these same {} rows (the label carries "
                    + "their checksum): taken as loaded, not sent again. If another writer makes labels of this "
                    + "form, give this connector its own label.prefix", batch.label(), target(batch),
                    batch.recordCount());
        }
        log.debug("Loaded {} into {}: {}", batch.label(), target(batch), attempt.how());
        LoadReply counted = attempt.labelShowedLoaded() || attempt.recorded() == null ? null
                : attempt.recorded().reply();
        LoadListener.Resolution resolution = !unresolved ? LoadListener.Resolution.CONFIRMED
                : attempt.labelShowedLoaded() ? LoadListener.Resolution.UNKNOWN_WAS_LOADED
                : protocol.labelDecidesRetries() ? LoadListener.Resolution.UNKNOWN_WAS_NOT_LOADED
                : LoadListener.Resolution.UNKNOWN_MAY_BE_TWICE;
        if (resolution == LoadListener.Resolution.UNKNOWN_MAY_BE_TWICE) {
            log.warn("Loaded {} into {} after {} attempts, at least one of which had an unknown outcome: the target "
                    + "merges these loads and does not check labels, so its {} records may be in the table twice "
                    + "(load.mode=merge_commit; see docs/retry-policy.md)", batch.label(), target(batch), attempts,
                    batch.recordCount());
        }
        listener.loaded(batch, counted, resolution, clock.nanoTime() - started);
        LoadResponse response = attempt.recorded() != null ? attempt.recorded() : attempt.answer().response();
        return new LoadFate(new LoadOutcome(OutcomeKind.LOADED, attempt.answer().outcome().rule(), ""), response,
                attempts, attempt.how(), counted == null ? -1 : counted.loadedRows());
    }

    private int retryOrFail(Batch batch, int retries, long firstFailure, Attempt attempt, boolean unresolved)
            throws LoadFailedException, InterruptedException {
        checkNotStopping(batch);
        int retry = retries + 1;
        long delay = budget.backoff().delayMs(retry);
        long spentMs = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - firstFailure);
        String exhausted = budget.exhausted(retry, spentMs, delay);
        if (exhausted != null) {
            LoadResponse response = attempt.answer().response();
            String fes = response.atFe() && (response.transportError() != null || response.httpStatus() >= 500)
                    ? " FEs: " + client.feHealth() + "." : "";
            throw new LoadFailedException(what(batch) + " did not succeed " + exhausted + "; last: "
                    + describe(attempt) + "." + fes + note(attempt) + " The records' offsets were not committed. "
                    + "If the target is reachable again, restart the task; raise max.retries, retry.max.time.ms or "
                    + "retry.backoff.max.ms to ride out longer outages.", unresolved);
        }
        listener.retry(batch, new LoadOutcome(attempt.kind(), attempt.how(), attempt.answer().outcome().advice()));
        log.warn("{}: {}; retry {} of {} with the same label in {} ms", what(batch), describe(attempt), retry,
                budget.maxRetries(), delay);
        clock.sleep(delay);
        return retry;
    }

    private String permanentMessage(Batch batch, Attempt attempt) {
        return failure(batch, attempt.answer().response(), describe(attempt), attempt.answer().outcome().advice(),
                note(attempt));
    }

    /**
     * Why a batch whose fate is known fails the task when its records may not be reported as bad
     * ones: the answer, what to do, and the first rows the target rejected.
     */
    public String refusal(Batch batch, LoadFate fate) {
        return failure(batch, fate.response(), fate.response().describe() + " [" + fate.outcome().rule() + "]",
                fate.outcome().advice(), "");
    }

    private String failure(Batch batch, LoadResponse response, String answer, String advice, String note) {
        StringBuilder message = new StringBuilder().append(what(batch)).append(" failed: ").append(answer)
                .append('.');
        if (!advice.isEmpty()) {
            message.append(" What to do: ").append(advice).append('.');
        }
        message.append(note);
        String errorUrl = response.reply() == null ? null : response.reply().errorUrl();
        if (errorUrl != null && !errorUrl.isBlank()) {
            List<String> lines = client.errorLines(errorUrl, ERROR_LINES);
            message.append(" First rejected rows (").append(errorUrl).append("):");
            lines.forEach(line -> message.append("\n  ").append(line));
        }
        message.append("\nThe offsets of these records and of every later record of their partitions were not "
                + "committed.");
        return message.toString();
    }

    /** The answer that decided and what read it; the step is named when it is not a plain load. */
    private static String describe(Attempt attempt) {
        StepAnswer answer = attempt.answer();
        String step = answer.step() == LoadStep.LOAD || answer.step() == LoadStep.MERGED_LOAD ? ""
                : answer.step().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": ";
        return step + answer.response().describe() + " [" + attempt.how() + "]";
    }

    private static String note(Attempt attempt) {
        return attempt.note().isEmpty() ? "" : " " + attempt.note();
    }

    private String what(Batch batch) {
        return "Stream Load into " + target(batch) + " with label " + batch.label();
    }

    private String target(Batch batch) {
        return TargetTable.resolve(database, batch.table()).toString();
    }

    private void checkNotStopping(Batch batch) throws InterruptedException {
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("the task is stopping");
        }
        if (ownership.revoked(whole != null ? whole : batch)) {
            throw new BatchRevokedException(batch + ": its partitions were closed");
        }
    }
}
