package io.streamload.connect.txn;

import java.util.Map;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.load.LoadResponse;

/**
 * One target's way to load a batch into a transaction that stays invisible until committed:
 * StarRocks' transaction interface, Doris' two-phase commit. Each call is one attempt; the
 * caller ({@link TransactionalLoader}) retries, always under the batch's one label.
 */
interface TransactionApi {

    /** How the load-and-prepare step ended. */
    enum StepKind {
        /** The rows are in a prepared transaction, waiting for commit. */
        PREPARED,
        /** The label's transaction already committed: the rows are in the table. */
        ALREADY_COMMITTED,
        /** The target refused rows of the batch (data quality); nothing is prepared. */
        REJECTED,
        /** A transaction with the label is still running (an earlier attempt): abort it, then redo. */
        IN_PROGRESS,
        /** The outcome is unknown or the target is busy: try again under the same label. */
        RETRY,
        /** Sending again cannot help. */
        FAILED
    }

    /**
     * @param txnId the transaction id, -1 when not known (the label identifies it too)
     * @param response the reply that decided (for REJECTED: with the error log), may be null
     * @param detail what happened, for messages
     */
    record Step(StepKind kind, long txnId, LoadResponse response, String detail) {
    }

    /** How a commit or an abort ended. */
    enum EndKind {
        /** Done (or was done already). */
        DONE,
        /** The transaction no longer exists or ended the other way (committed when aborting, aborted when committing). */
        GONE,
        /** Unknown: try again. */
        RETRY,
        /** Refused for good. */
        FAILED
    }

    record End(EndKind kind, String detail) {
    }

    /** Loads the batch into a transaction under {@code batch.label()} and prepares it. */
    Step prepare(Batch batch, Map<String, String> headers);

    End commit(String table, String label, long txnId);

    End abort(String table, String label, long txnId);
}
