package io.streamload.warnings;

/**
 * Counters of a warnings writer, for metrics. {@code accepted + dropped} is everything offered;
 * {@code written} counts rows MySQL confirmed; {@code queued} is the current backlog.
 */
public record WriterStats(long accepted, long written, long dropped, int queued, boolean connected) {
}
