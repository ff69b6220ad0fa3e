package io.streamload.warnings;

/**
 * What the connector calls to keep rejected rows and load summaries queryable.
 *
 * <p>Contract: the record methods never block and never throw on store trouble; they return false
 * when the entry was dropped (queue full, writer closed), which is already counted in
 * {@link #stats()}. The store is best effort: loading must not depend on it.
 */
public interface WarningsWriter extends AutoCloseable {

    /** Queues one rejected row; false when it was dropped. */
    boolean recordRejectedRow(LoadErrorEntry entry);

    /** Queues one load summary; false when it was dropped. */
    boolean recordLoad(LoadJobEntry entry);

    WriterStats stats();

    /** Writes what is queued within the configured close timeout, drops the rest, stops the thread. */
    @Override
    void close();

    /** A writer for when no store is configured: accepts nothing, counts nothing, costs nothing. */
    static WarningsWriter disabled() {
        return DisabledWarningsWriter.INSTANCE;
    }

    /**
     * A writer for a store that is configured but cannot be reached at all (no password on this
     * worker): it drops and counts every entry. {@code reason} is for {@code toString()}; log it
     * yourself, once.
     */
    static WarningsWriter unavailable(String reason) {
        return new UnavailableWarningsWriter(reason);
    }
}
