package io.streamload.connect.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.errors.RejectedRecordException;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;

/**
 * Loads one batch until its fate is known: confirmed loaded, or failed for a reason the user
 * must fix. Every attempt carries the batch's one label, so resending after an unknown outcome
 * can never load the records twice; the target's answer to the label decides.
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
        SettledLoad settled = settle(batch);
        if (settled.loaded()) {
            if (settled.filteredRows() > 0) {
                reportFiltered(batch, settled);
            }
            return new LoadResult(settled.attempts(), settled.resolution(), settled.loadedRows());
        }
        if (!rejectedRows.tolerated()) {
            throw new LoadFailedException(permanentMessage(batch, settled.response(), settled.outcome()));
        }
        RejectedRowFinder.Result found = rejectedRows.finder().isolate(batch, settled, this::settle);
        log.info("Stream Load into {}.{} with label {} refused {} of {} records; the others were loaded in {} "
                + "further loads", database, batch.table(), batch.label(), found.rejections().size(),
                batch.recordCount(), found.extraLoads());
        report(found.rejections());
        return new LoadResult(settled.attempts() + found.extraLoads(),
                "isolated " + found.rejections().size() + " rejected records", found.loadedRows());
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
     * it is known to be loaded or refused for its rows.
     */
    SettledLoad settle(Batch batch) throws LoadFailedException, InterruptedException {
        Map<String, String> requestHeaders = new LinkedHashMap<>(headers);
        requestHeaders.putAll(batch.headers());
        requestHeaders.put(dialect.labelHeader(), batch.label());
        int attempts = 0;
        int retries = 0;
        while (true) {
            checkNotStopping();
            attempts++;
            long started = System.nanoTime();
            LoadResponse response = client.load(batch.table(), requestHeaders, batch.body());
            LoadOutcome outcome = OutcomeTable.classify(response);
            if (response.reply() != null) {
                observer.attempted(batch, response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            switch (outcome.kind()) {
                case LOADED -> {
                    log.debug("Loaded {} into {}.{}: {}", batch.label(), database, batch.table(), outcome.rule());
                    return new SettledLoad(outcome, response, attempts, outcome.rule());
                }
                case REJECTED_ROWS -> {
                    return new SettledLoad(outcome, response, attempts, outcome.rule());
                }
                case LABEL_IN_USE -> {
                    Optional<LabelState> settled = watchLabel(batch);
                    if (settled.isPresent() && settled.get().isLoaded()) {
                        return new SettledLoad(outcome, response, attempts, "label state " + settled.get());
                    }
                    String why = settled.map(s -> "label state " + s).orElse("label still in use after "
                            + labelWatchTimeout.toSeconds() + " s");
                    retries = retryOrFail(batch, retries, response, outcome, why);
                }
                case UNKNOWN, RETRIABLE -> retries = retryOrFail(batch, retries, response, outcome, outcome.rule());
                case PERMANENT -> throw new LoadFailedException(permanentMessage(batch, response, outcome));
                default -> throw new IllegalStateException("unhandled outcome " + outcome.kind());
            }
        }
    }

    private int retryOrFail(Batch batch, int retries, LoadResponse response, LoadOutcome outcome, String why)
            throws LoadFailedException, InterruptedException {
        checkNotStopping();
        if (retries >= maxRetries) {
            throw new LoadFailedException("Stream Load into " + database + "." + batch.table() + " with label "
                    + batch.label() + " did not succeed after " + (retries + 1) + " attempts; last: "
                    + response.describe() + " [" + why + "]. The records' offsets were not committed. "
                    + "If the target is reachable again, restart the task; raise max.retries or "
                    + "retry.backoff.max.ms to ride out longer outages.");
        }
        int retry = retries + 1;
        long delay = backoff.delayMs(retry);
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
            Optional<LabelState> state = client.labelState(batch.label());
            if (state.isPresent() && !state.get().isInProgress()) {
                log.info("Label {} of {}.{} settled as {}", batch.label(), database, batch.table(), state.get());
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
                .append("Stream Load into ").append(database).append('.').append(batch.table())
                .append(" with label ").append(batch.label()).append(" failed: ").append(response.describe())
                .append(" [").append(outcome.rule()).append("].");
        if (!outcome.advice().isEmpty()) {
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

    private void checkNotStopping() throws InterruptedException {
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("the task is stopping");
        }
    }

    private static void pause(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
    }
}
