package io.streamload.benchmarks.e2e;

/**
 * What one scenario measured.
 *
 * @param seconds from the first {@code put()} to the last record consumed (no-op) or stored
 *                (the sink: the emulator counted every row)
 * @param loadP50Millis median load latency as the target saw it, request received to committed;
 *                      NaN for the no-op sink
 */
public record RunResult(Scenario scenario, long records, long valueBytes, double seconds, int loads, double loadP50Millis,
                 double loadP99Millis, long peakUsedBytes, long peakAfterGcBytes, long gcMillis) {

    public double recordsPerSecond() {
        return records / seconds;
    }

    public double megabytesPerSecond() {
        return valueBytes / seconds / 1_000_000.0;
    }
}
