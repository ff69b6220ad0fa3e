package io.streamload.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the threads whose names start with a prefix, between two points. Used for the
 * emulator's threads: on this machine the target shares the cores with the worker, which a real
 * deployment does not, so its share is shown apart. Threads that end in between lose what they
 * used after the first reading (the emulator keeps its connection threads while a sink runs).
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String prefix;
    private final Map<Long, Long> atStart;

    ThreadCpu(String prefix) {
        this.prefix = prefix;
        this.atStart = readings();
    }

    /** CPU nanoseconds the matching threads used since this was created. */
    long nanosSinceStart() {
        long total = 0;
        for (Map.Entry<Long, Long> now : readings().entrySet()) {
            total += now.getValue() - atStart.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }

    private Map<Long, Long> readings() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }
}
