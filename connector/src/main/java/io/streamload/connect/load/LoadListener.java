package io.streamload.connect.load;

import java.util.List;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;

/**
 * Hears the loads of a task, in both delivery modes: the offset ledger, the metrics and the
 * warnings store's {@code load_jobs} are listeners, called in the order {@link #inOrder} was
 * given them. Called on a load thread; must be quick and must not throw. {@link #loaded} is the
 * only event that says rows landed, and it comes only once the target confirmed them.
 */
public interface LoadListener {

    /** Hears nothing. */
    LoadListener NONE = new LoadListener() {
    };

    /** How a load came to be confirmed. */
    enum Resolution {
        /** Confirmed without any unknown outcome before. */
        CONFIRMED,
        /** After an unknown outcome, the label showed the earlier attempt had committed. */
        UNKNOWN_WAS_LOADED,
        /** After an unknown outcome, the earlier attempt proved not loaded and the resend loaded it. */
        UNKNOWN_WAS_NOT_LOADED,
        /**
         * After an unknown outcome, the resend loaded the batch, and nothing can tell whether the
         * earlier attempt had too (merged loads, whose labels the target does not check).
         */
        UNKNOWN_MAY_BE_TWICE
    }

    /** An attempt is about to be sent. */
    default void attempt(Batch batch) {
    }

    /**
     * The target answered an attempt with a reply (success or not).
     *
     * @param batch what was sent (a whole batch, or a part of one while rejected rows are isolated)
     * @param elapsedMs how long the attempt took, sending included
     */
    default void answered(Batch batch, LoadResponse response, long elapsedMs) {
    }

    /** An attempt ended with an outcome that will be retried (after a backoff). */
    default void retry(Batch batch, LoadOutcome outcome) {
    }

    /** An attempt's outcome was unknown. */
    default void unknown(Batch batch) {
    }

    /**
     * The target confirmed the load of {@code batch} (a whole batch, or a part of one).
     *
     * @param reply the confirming reply with its counters, or null when a label state confirmed it
     * @param latencyNanos from the first attempt to the confirmation
     */
    default void loaded(Batch batch, LoadReply reply, Resolution resolution, long latencyNanos) {
    }

    /** A batch is done: each of its records is loaded, or reported as rejected. Its offsets may advance. */
    default void done(Batch batch, LoadResult result) {
    }

    /** A batch failed for good: the task fails; its offsets never advance. */
    default void failed(Batch batch, LoadFailedException failure) {
    }

    /** Calls {@code listeners} in this order, each event to each of them. */
    static LoadListener inOrder(List<LoadListener> listeners) {
        List<LoadListener> all = List.copyOf(listeners);
        return new LoadListener() {
            @Override
            public void attempt(Batch batch) {
                all.forEach(l -> l.attempt(batch));
            }

            @Override
            public void answered(Batch batch, LoadResponse response, long elapsedMs) {
                all.forEach(l -> l.answered(batch, response, elapsedMs));
            }

            @Override
            public void retry(Batch batch, LoadOutcome outcome) {
                all.forEach(l -> l.retry(batch, outcome));
            }

            @Override
            public void unknown(Batch batch) {
                all.forEach(l -> l.unknown(batch));
            }

            @Override
            public void loaded(Batch batch, LoadReply reply, Resolution resolution, long latencyNanos) {
                all.forEach(l -> l.loaded(batch, reply, resolution, latencyNanos));
            }

            @Override
            public void done(Batch batch, LoadResult result) {
                all.forEach(l -> l.done(batch, result));
            }

            @Override
            public void failed(Batch batch, LoadFailedException failure) {
                all.forEach(l -> l.failed(batch, failure));
            }
        };
    }
}
