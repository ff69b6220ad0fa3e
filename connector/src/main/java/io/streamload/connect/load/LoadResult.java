package io.streamload.connect.load;

/**
 * How a batch ended up loaded.
 *
 * @param attempts attempts made, the first included, and the loads of the parts it was cut into
 *     (in exactly-once an attempt is one pass through the transaction's steps)
 * @param resolution what confirmed it: the outcome table row, a label state, or how it was cut
 * @param loadedRows rows the target reported loaded, -1 when it did not say (label checks)
 */
public record LoadResult(int attempts, String resolution, long loadedRows) {
}
