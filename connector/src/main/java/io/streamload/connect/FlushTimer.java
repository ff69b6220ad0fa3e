package io.streamload.connect;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.TableBuffers;

/**
 * Seals buffers whose first record has waited {@code buffer.flush.interval.ms}. It runs on its
 * own thread because Connect calls {@code put()} only when records arrive or a poll times out,
 * which can be much later than the interval.
 */
final class FlushTimer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlushTimer.class);

    private final ScheduledExecutorService executor;

    FlushTimer(TableBuffers buffers, Duration interval, ThreadFactory threads) {
        this.executor = Executors.newSingleThreadScheduledExecutor(threads);
        // Checking four times per interval keeps the extra latency under a quarter interval.
        long tickMs = Math.max(5, Math.min(250, interval.toMillis() / 4));
        executor.scheduleWithFixedDelay(() -> {
            try {
                buffers.flushDue(System.nanoTime());
            } catch (RuntimeException e) {
                // Never let one failure cancel the schedule.
                log.error("Sealing due buffers failed", e);
            }
        }, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    /** Stops the timer and waits for its thread to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.error("The flush timer thread did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
