package io.streamload.connect.metrics;

import java.util.Arrays;

/**
 * The latencies of the last {@code capacity} loads, for the last value and percentiles. Exact
 * over the window and cheap: loads are few (one per batch), so sorting a copy when a metric is
 * read costs nothing worth a sketch.
 */
final class LatencyWindow {

    private final long[] values;
    private int size;
    private int next;
    private long last = -1;

    LatencyWindow(int capacity) {
        this.values = new long[capacity];
    }

    synchronized void record(long millis) {
        values[next] = millis;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
        last = millis;
    }

    /** The latest latency, or -1 before the first load. */
    synchronized long last() {
        return last;
    }

    /** The {@code p}-th percentile (0..100) over the window (nearest rank), or -1 when empty. */
    synchronized long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }
}
