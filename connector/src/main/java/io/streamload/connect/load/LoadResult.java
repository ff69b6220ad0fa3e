package io.streamload.connect.load;

/**
 * How a batch ended up loaded.
 *
 * @param attempts load requests sent (the first one included)
 * @param resolution the outcome table row that confirmed it, or how the label state did
 * @param loadedRows rows the target reported loaded, -1 when it did not say (label checks)
 */
public record LoadResult(int attempts, String resolution, long loadedRows) {
}
