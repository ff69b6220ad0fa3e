package io.streamload.warnings;

/** The writer used when {@code load.errors.url} is not set. */
final class DisabledWarningsWriter implements WarningsWriter {
    static final DisabledWarningsWriter INSTANCE = new DisabledWarningsWriter();
    private static final WriterStats NOTHING = new WriterStats(0, 0, 0, 0, false);

    private DisabledWarningsWriter() {
    }

    @Override
    public boolean recordRejectedRow(LoadErrorEntry entry) {
        return false;
    }

    @Override
    public boolean recordLoad(LoadJobEntry entry) {
        return false;
    }

    @Override
    public WriterStats stats() {
        return NOTHING;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "WarningsWriter{disabled}";
    }
}
