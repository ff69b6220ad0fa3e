package io.streamload.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sink tasks of one measured run tell the harness: when the first batch of records
 * reached {@code put()}, which threads ran the tasks (and their CPU time then), and for the no-op
 * sink how many records arrived and when the last one did. The worker runs in the harness' JVM,
 * so a static is the simplest honest channel.
 */
public final class DeliveryProbe {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final AtomicLong firstPutNanos = new AtomicLong();
    private static final AtomicLong records = new AtomicLong();
    private static final AtomicLong lastRecordNanos = new AtomicLong();
    /** Task thread id to its CPU time at its first {@code put()}. */
    private static final Map<Long, Long> taskThreadCpuAtStart = new ConcurrentHashMap<>();

    private DeliveryProbe() {
    }

    /** Forgets the previous run. */
    public static void reset() {
        firstPutNanos.set(0);
        records.set(0);
        lastRecordNanos.set(0);
        taskThreadCpuAtStart.clear();
    }

    /** Called at the start of every {@code put()} with records; keeps the first time per run and thread. */
    public static void putStarted() {
        if (firstPutNanos.get() == 0) {
            firstPutNanos.compareAndSet(0, System.nanoTime());
        }
        long thread = Thread.currentThread().getId();
        if (!taskThreadCpuAtStart.containsKey(thread)) {
            taskThreadCpuAtStart.putIfAbsent(thread, THREADS.getCurrentThreadCpuTime());
        }
    }

    /** Called by the no-op sink after it has taken {@code count} records: they are done. */
    public static void delivered(int count) {
        if (count > 0) {
            records.addAndGet(count);
            lastRecordNanos.set(System.nanoTime());
        }
    }

    /** Called by the sink after {@code put()} took {@code count} records (not yet loaded). */
    public static void taken(int count) {
        if (count > 0) {
            records.addAndGet(count);
            lastRecordNanos.set(System.nanoTime());
        }
    }

    public static long firstPutNanos() {
        return firstPutNanos.get();
    }

    /** Records delivered to the no-op sink, or taken by the sink's {@code put()}. */
    public static long records() {
        return records.get();
    }

    /** When the last record was delivered to the no-op sink, or taken by the sink's {@code put()}. */
    public static long lastRecordNanos() {
        return lastRecordNanos.get();
    }

    /**
     * CPU time the task threads used since their first {@code put()}: polling, converting and
     * the sink's own work. Read before the connector is deleted, while the threads live.
     */
    public static long taskThreadCpuNanos() {
        long total = 0;
        for (Map.Entry<Long, Long> thread : taskThreadCpuAtStart.entrySet()) {
            long now = THREADS.getThreadCpuTime(thread.getKey());
            if (now >= 0) {
                total += now - thread.getValue();
            }
        }
        return total;
    }
}
