package io.streamload.connect.dialect;

import java.util.Map;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.load.StepAnswer;

/**
 * One target's requests for loading a batch into a transaction that stays invisible until
 * committed: StarRocks' transaction interface, Doris' two-phase commit. Each call sends the
 * steps once and returns the classified answer that decided; the caller retries, always under the
 * batch's one label, and keeps the intent log.
 */
public interface TransactionSteps {

    /**
     * Loads the batch into a transaction under {@code batch.label()} and prepares it.
     *
     * @return the prepare's answer ({@link io.streamload.connect.load.OutcomeKind#STEP_DONE} when
     *     the rows are prepared, with their counts), or the answer of the first step that did not
     *     succeed. A transaction this call began and could not prepare is rolled back before it
     *     returns, when the target answers.
     */
    StepAnswer prepare(Batch batch, Map<String, String> headers);

    /** Commits the label's prepared transaction. */
    StepAnswer commit(String table, String label);

    /** Rolls the label's transaction back. */
    StepAnswer abort(String table, String label);
}
