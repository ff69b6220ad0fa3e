package io.streamload.warnings;

/**
 * What the writer's queue holds: a rejected row ({@link LoadErrorEntry}, for {@code load_errors})
 * or a load summary ({@link LoadJobEntry}, for {@code load_jobs}), and nothing else.
 */
sealed interface StoreEntry permits LoadErrorEntry, LoadJobEntry {
}
