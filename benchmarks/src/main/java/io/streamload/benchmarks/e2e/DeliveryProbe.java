package io.streamload.benchmarks.e2e;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sink tasks of one measured run tell the harness: when the first batch of records
 * reached {@code put()}, and (for the no-op sink) how many records arrived and when the last one
 * did. The worker runs in the harness' JVM, so a static is the simplest honest channel.
 */
public final class DeliveryProbe {

    private static final AtomicLong firstPutNanos = new AtomicLong();
    private static final AtomicLong records = new AtomicLong();
    private static final AtomicLong lastRecordNanos = new AtomicLong();

    private DeliveryProbe() {
    }

    /** Forgets the previous run. */
    public static void reset() {
        firstPutNanos.set(0);
        records.set(0);
        lastRecordNanos.set(0);
    }

    /** Called at the start of every {@code put()}; keeps the first time. */
    public static void putStarted() {
        if (firstPutNanos.get() == 0) {
            firstPutNanos.compareAndSet(0, System.nanoTime());
        }
    }

    /** Called by the no-op sink after it has taken {@code count} records. */
    public static void delivered(int count) {
        if (count > 0) {
            records.addAndGet(count);
            lastRecordNanos.set(System.nanoTime());
        }
    }

    public static long firstPutNanos() {
        return firstPutNanos.get();
    }

    public static long records() {
        return records.get();
    }

    public static long lastRecordNanos() {
        return lastRecordNanos.get();
    }
}
