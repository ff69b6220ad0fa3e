package io.streamload.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results as the Markdown tables {@code docs/performance.md} shows: per scenario its median
 * round (by records/s) with the ratio to its ceiling's median, then every round as measured.
 */
final class ResultTable {

    private static final double MIB = 1024 * 1024;

    private ResultTable() {
    }

    static String markdown(EndToEndBenchmark.Settings settings, List<RunResult> results) {
        Map<String, List<RunResult>> byName = new LinkedHashMap<>();
        results.forEach(result -> byName.computeIfAbsent(result.scenario().name(), n -> new ArrayList<>()).add(result));
        Map<String, RunResult> median = new LinkedHashMap<>();
        byName.forEach((name, runs) -> {
            List<RunResult> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparingDouble(RunResult::recordsPerSecond));
            median.put(name, sorted.get((sorted.size() - 1) / 2));
        });

        StringBuilder out = new StringBuilder();
        out.append(String.format("%,d records per run, %d partitions, %d task(s), %d round(s); %d cores, max heap "
                        + "%.0f MiB, Java %s%n%n", settings.records(), settings.partitions(), settings.tasks(),
                settings.rounds(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / MIB,
                System.getProperty("java.version")));
        out.append("| scenario | records/s | MB/s | vs ceiling | task CPU µs/record | vs ceiling CPU | process CPU "
                + "µs/record (emulator) | loads | load p50 / p99 ms | peak heap used MiB | peak heap after GC MiB | live heap MiB "
                + "(probes) | GC ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        median.values().forEach(r -> row(out, r, median.get(r.scenario().ceiling())));
        if (settings.rounds() > 1) {
            out.append("\nEvery round:\n\n| scenario | records/s | MB/s | task CPU µs/record |\n|---|---:|---:|---:|\n");
            for (RunResult r : results) {
                out.append(String.format("| %s | %,.0f | %.1f | %.2f |%n", r.scenario().name(), r.recordsPerSecond(),
                        r.megabytesPerSecond(), r.taskCpuMicrosPerRecord()));
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, RunResult r, RunResult ceiling) {
        String ratio = ceiling == null ? (r.scenario().isNoOp() ? "100%" : "-")
                : String.format("%.0f%%", 100 * r.recordsPerSecond() / ceiling.recordsPerSecond());
        // The share of the ceiling this scenario would reach if the task thread alone set the
        // pace: the ceiling's CPU per record over this one's.
        String cpuRatio = ceiling == null ? (r.scenario().isNoOp() ? "100%" : "-")
                : String.format("%.0f%%", 100 * ceiling.taskCpuMicrosPerRecord() / r.taskCpuMicrosPerRecord());
        String latency = r.scenario().isNoOp() ? "-" : String.format("%.0f / %.0f", r.loadP50Millis(), r.loadP99Millis());
        String live = r.peakLiveBytes() < 0 ? "-" : String.format("%.0f", r.peakLiveBytes() / MIB);
        out.append(String.format("| %s | %,.0f | %.1f | %s | %.2f | %s | %.2f (%.2f) | %s | %s | %.0f | %.0f | %s | %d |%n",
                r.scenario().name(), r.recordsPerSecond(), r.megabytesPerSecond(), ratio, r.taskCpuMicrosPerRecord(),
                cpuRatio, r.processCpuMicrosPerRecord(), r.emulatorCpuMicrosPerRecord(), r.scenario().isNoOp() ? "-" : r.loads(), latency,
                r.peakUsedBytes() / MIB, r.peakAfterGcBytes() / MIB, live, r.gcMillis()));
    }
}
