package io.streamload.connect.buffer;

/**
 * When a table's buffer is due: how long its first record may wait, which may differ per table
 * and change over time ({@link FlushPace}), and whether sealing it now would only queue a second
 * small batch behind one that has not started.
 */
public interface FlushSchedule {

    /** How long the first record in the table's buffer may wait before the buffer is sealed. */
    long intervalNanos(String table);

    /**
     * True while an earlier batch of the table waits to start: a due buffer is then left to grow
     * (up to {@code buffer.max.bytes} / {@code buffer.max.records}) and sealed once that batch has
     * started, so a table the target cannot keep up with makes fewer, larger loads instead of a queue
     * of small ones.
     */
    default boolean holdsBack(String table) {
        return false;
    }

    /** Every table the same interval, never held back. */
    static FlushSchedule fixed(long intervalNanos) {
        return table -> intervalNanos;
    }
}
