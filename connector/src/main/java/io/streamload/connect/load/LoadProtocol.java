package io.streamload.connect.load;

import java.util.Map;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.offset.OffsetLedger;

/**
 * How one attempt at loading a batch is made: a plain Stream Load ({@link PlainStreamLoad}), or a
 * load into a transaction that is committed once the intent log holds it (exactly-once). Each
 * attempt uses the batch's one label; {@link AttemptEngine} decides, from what the attempt says,
 * whether to send another.
 */
public interface LoadProtocol {

    /**
     * Sends one attempt.
     *
     * @param headers every header of the load but the label (format, user properties, the batch's own)
     */
    Attempt send(Batch batch, Map<String, String> headers) throws InterruptedException;

    /**
     * Sends one attempt whose writes outside the target go through {@code guard}. A protocol that
     * records what it begins (exactly-once's intent log) overrides it; the others ignore the guard.
     */
    default Attempt send(Batch batch, Map<String, String> headers, Guard guard) throws InterruptedException {
        return send(batch, headers);
    }

    /**
     * Lets an attempt record something only while the task still owns the batch's records, and
     * keeps their partitions from being closed meanwhile: what is recorded is there before any
     * later owner looks, and nothing is recorded once it may have looked.
     */
    @FunctionalInterface
    interface Guard {
        /** Guards nothing: for a task whose partitions never move (tests). */
        Guard NONE = write -> {
            write.run();
            return true;
        };

        /** @return false, without running {@code write}, once a partition of the batch was closed */
        boolean run(OffsetLedger.Action<InterruptedException> write) throws InterruptedException;
    }

    /**
     * Whether the target checks the batch's label, so that an attempt sent again after an unknown
     * outcome never loads twice. False for merged loads ({@link MergedStreamLoad}).
     */
    default boolean labelDecidesRetries() {
        return true;
    }

    /**
     * What one attempt came to.
     *
     * @param kind what it means for the records: {@link OutcomeKind#LOADED}, or why not
     * @param answer the answer that decided, classified
     * @param recorded what the warnings store's {@code load_jobs} keeps of the attempt (counts,
     *     status), or null when the target did not answer with a reply
     * @param labelShowedLoaded true when the label proved an earlier attempt (or run) had loaded the rows
     * @param how what proved the outcome, for logs: a rule of the outcome table, or a label state
     * @param note what the user must know on failure beyond the answer, empty when nothing
     */
    record Attempt(OutcomeKind kind, StepAnswer answer, LoadResponse recorded, boolean labelShowedLoaded,
                   String how, String note) {

        /** An attempt decided by one answer, as the outcome table reads it. */
        public static Attempt of(StepAnswer answer) {
            return new Attempt(answer.kind(), answer, answer.response().reply() == null ? null : answer.response(),
                    false, answer.outcome().rule(), "");
        }
    }
}
