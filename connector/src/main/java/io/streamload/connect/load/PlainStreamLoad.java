package io.streamload.connect.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadStatus;
import io.streamload.connect.dialect.StreamLoadDialect;

/**
 * At-least-once delivery's load: one Stream Load under the batch's label, visible once it
 * succeeds. A label still in use (an earlier attempt's load not finished) is watched until it
 * settles, within {@code load.timeout.ms}.
 */
public final class PlainStreamLoad implements LoadProtocol {

    private static final Logger log = LoggerFactory.getLogger(PlainStreamLoad.class);

    private final StreamLoadClient client;
    private final StreamLoadDialect dialect;
    private final Backoff backoff;
    private final Duration labelWatchTimeout;
    private final TaskClock clock;

    /**
     * @param labelWatchTimeout how long a label reported as in use is watched before sending again
     */
    public PlainStreamLoad(StreamLoadClient client, StreamLoadDialect dialect, Backoff backoff,
                           Duration labelWatchTimeout, TaskClock clock) {
        this.client = client;
        this.dialect = dialect;
        this.backoff = backoff;
        this.labelWatchTimeout = labelWatchTimeout;
        this.clock = clock;
    }

    @Override
    public Attempt send(Batch batch, Map<String, String> headers) throws InterruptedException {
        Map<String, String> request = new LinkedHashMap<>(headers);
        request.put(dialect.labelHeader(), batch.label());
        StepAnswer answer = StepAnswer.of(LoadStep.LOAD, client.load(batch.table(), request, batch.body()));
        LoadResponse recorded = answer.response().reply() == null ? null : answer.response();
        if (answer.kind() == OutcomeKind.LOADED) {
            boolean earlier = answer.response().reply() != null
                    && answer.response().reply().status() == LoadStatus.LABEL_ALREADY_EXISTS;
            return new Attempt(OutcomeKind.LOADED, answer, recorded, earlier, answer.outcome().rule(), "");
        }
        if (answer.kind() != OutcomeKind.LABEL_IN_USE) {
            return Attempt.of(answer);
        }
        Optional<LabelState> settled = watchLabel(batch);
        if (settled.isPresent() && settled.get().isLoaded()) {
            return new Attempt(OutcomeKind.LOADED, answer, recorded, true, "label state " + settled.get(), "");
        }
        return new Attempt(OutcomeKind.RETRIABLE, answer, recorded, false, settled.map(s -> "label state " + s)
                .orElse("label still in use after " + labelWatchTimeout.toSeconds() + " s"), "");
    }

    /**
     * Asks the label's state until it settles or the watch times out.
     *
     * @return a settled state (loaded, aborted, unknown), or empty when still in progress or unanswered
     */
    private Optional<LabelState> watchLabel(Batch batch) throws InterruptedException {
        long deadline = clock.nanoTime() + labelWatchTimeout.toNanos();
        for (int poll = 1; ; poll++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the task is stopping");
            }
            Optional<LabelState> state = client.labelState(batch.table(), batch.label());
            if (state.isPresent() && !state.get().isInProgress()) {
                log.debug("Label {} of {} settled as {}", batch.label(), batch.table(), state.get());
                return state;
            }
            long delay = backoff.delayMs(poll);
            if (clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
                return Optional.empty();
            }
            log.debug("Label {} is {}; asking again in {} ms", batch.label(),
                    state.map(Enum::name).orElse("unanswered"), delay);
            clock.sleep(delay);
        }
    }
}
