package io.streamload.connect.load;

/** What the answer to one step of a load means for the records it carried. */
public enum OutcomeKind {
    /** The target confirmed the rows: offsets may advance. */
    LOADED,
    /**
     * A step before the commit did what was asked (a transaction begun, its rows sent, it is
     * prepared): the load goes on with its next step. Nothing is visible yet.
     */
    STEP_DONE,
    /**
     * The transaction is rolled back, or the target has none under the label: none of its rows
     * are in the table, and loading them again under the same label is safe.
     */
    ROLLED_BACK,
    /** A load with this label exists and has not finished: ask the label state. */
    LABEL_IN_USE,
    /** Nobody knows whether the load committed: send again with the same label and let the label decide. */
    UNKNOWN,
    /** Not loaded, for a reason that passes (busy, throttled): send again with the same label after a backoff. */
    RETRIABLE,
    /**
     * Not loaded because the target cannot take loads into the table this often (its tablets hold
     * too many unmerged versions): send again with the same label after a backoff, and load the
     * table less often from now on.
     */
    SLOW_DOWN,
    /** Not loaded because rows were bad (data quality). */
    REJECTED_ROWS,
    /**
     * Not loaded because the body is larger than something on the way accepts (a proxy's 413).
     * Sending the same body again cannot help; smaller batches can.
     */
    TOO_LARGE,
    /**
     * Not loaded: the target does not know the table or its database, and sending again cannot
     * help. A table of the configuration fails the task; a table only records named
     * ({@code table.field}) makes those records bad records.
     */
    UNKNOWN_TABLE,
    /** Not loaded, and sending again cannot help: the task fails with the target's message. */
    PERMANENT
}
