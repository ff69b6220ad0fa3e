package io.streamload.warnings;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer for a store that is configured but cannot be used at all, for example because its
 * password file is missing on this worker: every entry is dropped and counted, so the metrics
 * show what the store misses while loading goes on. Whoever chose it has logged why, once.
 */
final class UnavailableWarningsWriter implements WarningsWriter {
    private final String reason;
    private final AtomicLong dropped = new AtomicLong();

    UnavailableWarningsWriter(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean recordRejectedRow(LoadErrorEntry entry) {
        dropped.incrementAndGet();
        return false;
    }

    @Override
    public boolean recordLoad(LoadJobEntry entry) {
        dropped.incrementAndGet();
        return false;
    }

    @Override
    public WriterStats stats() {
        return new WriterStats(0, 0, dropped.get(), 0, false);
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "WarningsWriter{unavailable: " + reason + ", " + dropped.get() + " dropped}";
    }
}
