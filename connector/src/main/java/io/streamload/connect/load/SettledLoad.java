package io.streamload.connect.load;

/**
 * How the attempts at one load ended once its fate was known: loaded, refused because of rows
 * the target would not take ({@link OutcomeKind#REJECTED_ROWS}), or refused as too large by a
 * proxy ({@link OutcomeKind#TOO_LARGE}). Every other end is a {@link LoadFailedException}.
 *
 * @param outcome the classification of the deciding attempt
 * @param response the deciding attempt's reply
 * @param attempts load requests sent
 * @param resolution what proved the fate (an outcome table row, or a label state)
 */
public record SettledLoad(LoadOutcome outcome, LoadResponse response, int attempts, String resolution) {

    public boolean loaded() {
        return outcome.kind() == OutcomeKind.LOADED || outcome.kind() == OutcomeKind.LABEL_IN_USE;
    }

    /** Rows the target reported loaded, -1 when it did not say (a label check proved the load). */
    public long loadedRows() {
        return response.reply() == null || !resolution.equals(outcome.rule()) ? -1 : response.reply().loadedRows();
    }

    /** Rows the target filtered out of a load it committed (within {@code max_filter_ratio}). */
    public long filteredRows() {
        return loaded() && response.reply() != null ? Math.max(0, response.reply().filteredRows()) : 0;
    }
}
