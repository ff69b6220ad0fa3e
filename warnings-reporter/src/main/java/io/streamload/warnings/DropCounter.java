package io.streamload.warnings;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts entries the store could not take and says so once per interval, not once per entry:
 * while MySQL is down a task may drop thousands of entries a second, and a WARN for each would
 * bury the log. Counting is lock-free because callers on the loading path count too.
 */
final class DropCounter {
    private static final Logger LOG = LoggerFactory.getLogger(DropCounter.class);

    private final AtomicLong total = new AtomicLong();
    private final AtomicReference<String> lastCause = new AtomicReference<>("none");
    private final long intervalNanos;
    private final String storeName;
    private long reportedTotal;
    private long lastReportNanos;

    DropCounter(Duration interval, String storeName) {
        this(interval, storeName, System.nanoTime());
    }

    /** {@code startNanos}: the first drop is reported at once, later ones at most once per interval. */
    DropCounter(Duration interval, String storeName, long startNanos) {
        this.intervalNanos = interval.toNanos();
        this.storeName = storeName;
        this.lastReportNanos = startNanos - intervalNanos;
    }

    void drop(long count, String cause) {
        total.addAndGet(count);
        lastCause.set(cause);
    }

    long total() {
        return total.get();
    }

    /** Logs one WARN with the drops since the last one when the interval has passed; true when it did. */
    synchronized boolean reportIfDue(long nowNanos) {
        return nowNanos - lastReportNanos >= intervalNanos && reportNow(nowNanos);
    }

    /** Logs the drops not reported yet, if any, whatever the interval (on close). */
    synchronized boolean reportNow(long nowNanos) {
        long current = total.get();
        if (current == reportedTotal) {
            return false;
        }
        LOG.warn("Warnings store {}: dropped {} entries in the last {} s ({} in all); loading is not affected. Last cause: {}",
                storeName, current - reportedTotal, Duration.ofNanos(nowNanos - lastReportNanos).toSeconds(),
                current, lastCause.get());
        reportedTotal = current;
        lastReportNanos = nowNanos;
        return true;
    }
}
