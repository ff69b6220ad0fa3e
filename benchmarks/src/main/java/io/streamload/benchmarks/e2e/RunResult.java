package io.streamload.benchmarks.e2e;

/**
 * What one scenario measured.
 *
 * @param seconds from the first {@code put()} to the last record consumed (no-op) or stored
 *                (the sink: the emulator counted every row)
 * @param finalWaitSeconds the part of {@code seconds} in which the sink had taken every record and
 *                         finished every load but the last buffer's, which waited for its flush
 *                         interval: a finite run's artefact that a steady stream never sees, so the
 *                         rates leave it out
 * @param loadP50Millis median load latency as the target saw it, request received to committed;
 *                      NaN for the no-op sink
 * @param taskCpuNanos CPU time of the task threads (poll, convert, put) over the run
 * @param processCpuNanos CPU time of the whole JVM over the run: broker, worker, sink, emulator
 * @param emulatorCpuNanos the part of {@code processCpuNanos} the emulator (the target) used
 * @param peakLiveBytes the most heap that survived a full GC at the probes, or -1 without probes
 * @param wireBytes load body bytes the target received for the committed loads, as sent
 *                  (compressed or not); 0 for the no-op sink
 * @param loadThreadCpuNanos CPU time of the sink's load threads (which write, and compress, the bodies)
 */
public record RunResult(Scenario scenario, long records, long valueBytes, double seconds, double finalWaitSeconds,
                        int loads, double loadP50Millis, double loadP99Millis, long peakUsedBytes, long peakAfterGcBytes,
                        long gcMillis, long taskCpuNanos, long processCpuNanos, long emulatorCpuNanos,
                        long peakLiveBytes, long wireBytes, long loadThreadCpuNanos) {

    public double wireBytesPerRecord() {
        return (double) wireBytes / records;
    }

    public double loadThreadCpuMicrosPerRecord() {
        return loadThreadCpuNanos / 1000.0 / records;
    }

    public double recordsPerSecond() {
        return records / (seconds - finalWaitSeconds);
    }

    /** Task thread CPU microseconds per record: what one record costs where the task runs. */
    public double taskCpuMicrosPerRecord() {
        return taskCpuNanos / 1000.0 / records;
    }

    public double processCpuMicrosPerRecord() {
        return processCpuNanos / 1000.0 / records;
    }

    public double emulatorCpuMicrosPerRecord() {
        return emulatorCpuNanos / 1000.0 / records;
    }

    public double megabytesPerSecond() {
        return valueBytes / (seconds - finalWaitSeconds) / 1_000_000.0;
    }
}
