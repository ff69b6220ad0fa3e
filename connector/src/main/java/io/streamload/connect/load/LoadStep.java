package io.streamload.connect.load;

/**
 * The requests a load is made of. A plain Stream Load is one {@link #LOAD}; a load into a
 * transaction is {@link #BEGIN}, {@link #TXN_LOAD} and {@link #PREPARE} (StarRocks), or one
 * {@link #PREPARE} that loads and pre-commits (Doris' two-phase commit), then {@link #COMMIT}; an
 * abandoned transaction is ended with {@link #ABORT}. {@link OutcomeTable} classifies the answer
 * of every one of them.
 */
public enum LoadStep {
    /** A plain Stream Load: visible once it succeeds. */
    LOAD,
    /**
     * A Stream Load the target merges with the concurrent loads of its table into one transaction
     * it names itself (StarRocks merge commit, Doris group commit): visible once it succeeds, and
     * not deduplicated by the batch's label.
     */
    MERGED_LOAD,
    /** Opens a transaction under the label. */
    BEGIN,
    /** Sends the rows into the open transaction. */
    TXN_LOAD,
    /** Makes the transaction's rows durable and ready to commit (Doris: loads them too). */
    PREPARE,
    /** Makes the prepared rows visible. */
    COMMIT,
    /** Rolls the transaction back. */
    ABORT;

    /** True for the steps before the commit, whose success only means the load may go on. */
    public boolean leadsToCommit() {
        return this == BEGIN || this == TXN_LOAD || this == PREPARE;
    }
}
