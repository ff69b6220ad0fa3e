package io.streamload.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the JVM's threads between two points, by thread name. Used for the emulator's
 * threads (on this machine the target shares the cores with the worker, which a real deployment
 * does not, so its share is shown apart) and for the log's breakdown of where a run's CPU went.
 * Threads that end in between lose what they used after the first reading (the emulator keeps its
 * connection threads while a sink runs); threads the JVM hides (GC, JIT) are not seen at all.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> atStart;
    private final Map<Long, String> names = new HashMap<>();

    ThreadCpu() {
        this.atStart = readings();
    }

    /**
     * CPU nanoseconds used since this was created, by thread name with its numbers left out, so
     * that a pool's threads add up to one line.
     */
    Map<String, Long> byName() {
        Map<String, Long> used = new TreeMap<>();
        for (Map.Entry<Long, Long> now : readings().entrySet()) {
            long nanos = now.getValue() - atStart.getOrDefault(now.getKey(), 0L);
            if (nanos > 0) {
                used.merge(names.get(now.getKey()).replaceAll("[0-9]+", "N"), nanos, Long::sum);
            }
        }
        return used;
    }

    private Map<Long, Long> readings() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return cpu;
    }
}
