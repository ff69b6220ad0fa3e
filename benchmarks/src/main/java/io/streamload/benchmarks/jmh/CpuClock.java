package io.streamload.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Operations per CPU-second of the benchmark thread, printed after each iteration next to JMH's
 * wall-clock score. On a machine shared with other work the wall-clock score drops whenever the
 * thread waits for a core; the CPU-time rate does not, and it is what "records per second per
 * core" means.
 */
final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long startCpuNanos;
    private long startOps;

    /** Call on the benchmark thread when an iteration starts. */
    void start(long ops) {
        startCpuNanos = THREADS.getCurrentThreadCpuTime();
        startOps = ops;
    }

    /** Call on the benchmark thread when the iteration ends; prints the rate. */
    void stop(String what, long ops) {
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - startCpuNanos) / 1e9;
        System.out.printf("%n  cpu: %s %,.0f ops per CPU-second (%.2f CPU-s)%n", what, (ops - startOps) / cpuSeconds,
                cpuSeconds);
    }
}
