package io.streamload.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this process between two points, by the kernel's name for it, read
 * from {@code /proc/self/task}: the threads {@link ThreadCpu} cannot see (the collector's, the JIT
 * compilers', the VM thread) are the ones this is for. Linux only; elsewhere it reads nothing.
 */
final class NativeThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** Where each reading keeps the nanoseconds a thread ran, and those it waited for a core. */
    private static final int RAN = 0;
    private static final int WAITED = 1;

    private final Map<String, long[]> atStart;
    private final Map<String, String> names = new HashMap<>();

    NativeThreadCpu() {
        this.atStart = readings();
    }

    /**
     * Nanoseconds each thread waited for a core while it could run (the kernel's run-queue delay),
     * since this was created, by thread name with numbers left out: a thread's time that is neither
     * on a core nor blocked.
     */
    Map<String, Long> waitForCoreByName() {
        return since(WAITED);
    }

    /** CPU nanoseconds used since this was created, by thread name with numbers left out. */
    Map<String, Long> byName() {
        return since(RAN);
    }

    private Map<String, Long> since(int field) {
        Map<String, Long> used = new TreeMap<>();
        for (Map.Entry<String, long[]> now : readings().entrySet()) {
            long[] before = atStart.get(now.getKey());
            long nanos = now.getValue()[field] - (before == null ? 0 : before[field]);
            if (nanos > 0) {
                used.merge(names.get(now.getKey()).replaceAll("[0-9]+", "N"), nanos, Long::sum);
            }
        }
        return used;
    }

    private Map<String, long[]> readings() {
        Map<String, long[]> cpu = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    // schedstat: nanoseconds this thread ran on a CPU, then nanoseconds it waited
                    // on a run queue, then how many times it ran
                    String[] schedstat = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    String id = task.getFileName().toString();
                    cpu.put(id, new long[] {Long.parseLong(schedstat[RAN]), Long.parseLong(schedstat[WAITED])});
                    names.put(id, Files.readString(task.resolve("comm")).trim());
                } catch (IOException ended) {
                    // the thread ended between the listing and the read: it no longer counts
                }
            }
        } catch (IOException notLinux) {
            // no /proc: nothing to read, and the log says so by listing no thread
        }
        return cpu;
    }
}
