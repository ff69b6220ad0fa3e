package io.streamload.connect.load;

/**
 * How the attempts at one load ended once its fate was known: loaded, or refused for a reason a
 * smaller or different batch can overcome: rows the target would not take
 * ({@link OutcomeKind#REJECTED_ROWS}), a body too large for a proxy ({@link OutcomeKind#TOO_LARGE}),
 * a table only records named that the target does not know ({@link OutcomeKind#UNKNOWN_TABLE}).
 * Every other end is a {@link LoadFailedException}.
 *
 * @param outcome the classification of the deciding answer
 * @param response the deciding answer
 * @param attempts attempts sent
 * @param resolution what proved the fate (an outcome table row, or a label state)
 * @param loadedRows rows the target reported loaded, -1 when it did not say (a label proved the load)
 */
public record LoadFate(LoadOutcome outcome, LoadResponse response, int attempts, String resolution,
                       long loadedRows) {

    public boolean loaded() {
        return outcome.kind() == OutcomeKind.LOADED;
    }

    /** Rows the target filtered out of a load it committed (within {@code max_filter_ratio}). */
    public long filteredRows() {
        return loaded() && response.reply() != null ? Math.max(0, response.reply().filteredRows()) : 0;
    }
}
