package io.streamload.connect.load;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;

/**
 * What {@link BatchLoader} reports as it goes, for metrics. Called on the load thread; must be
 * quick and must not throw. {@link #loaded} is the only event that says rows landed, and it
 * comes only once the target confirmed them.
 */
public interface LoadEvents {

    /** Reports nothing. */
    LoadEvents NONE = new LoadEvents() {
    };

    /** How a batch came to be confirmed. */
    enum Resolution {
        /** Confirmed without any unknown outcome before. */
        CONFIRMED,
        /** After an unknown outcome, the label showed the earlier attempt had committed. */
        UNKNOWN_WAS_LOADED,
        /** After an unknown outcome, the earlier attempt proved not loaded and the resend loaded it. */
        UNKNOWN_WAS_NOT_LOADED
    }

    /** One request is about to be sent. */
    default void attempt(Batch batch) {
    }

    /** An attempt ended with an outcome that will be retried (after a backoff). */
    default void retry(Batch batch, LoadOutcome outcome) {
    }

    /** An attempt's outcome was unknown. */
    default void unknown(Batch batch) {
    }

    /**
     * The target confirmed the batch.
     *
     * @param reply the confirming reply with its counters, or null when the label state confirmed it
     * @param latencyNanos from the first attempt to the confirmation
     */
    default void loaded(Batch batch, LoadReply reply, Resolution resolution, long latencyNanos) {
    }

    /** The batch failed for good; {@code unresolved} when an unknown outcome was never resolved. */
    default void failed(Batch batch, boolean unresolved) {
    }
}
