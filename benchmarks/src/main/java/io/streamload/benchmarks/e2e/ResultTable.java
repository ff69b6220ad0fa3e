package io.streamload.benchmarks.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The results as the Markdown table {@code docs/performance.md} shows. */
final class ResultTable {

    private static final double MIB = 1024 * 1024;

    private ResultTable() {
    }

    static String markdown(EndToEndBenchmark.Settings settings, List<RunResult> results) {
        Map<String, RunResult> byName = new HashMap<>();
        results.forEach(result -> byName.put(result.scenario().name(), result));
        StringBuilder out = new StringBuilder();
        out.append(String.format("%,d records per scenario, %d partitions, %d task(s); %d cores, max heap %.0f MiB, "
                        + "Java %s%n%n", settings.records(), settings.partitions(), settings.tasks(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / MIB,
                System.getProperty("java.version")));
        out.append("| scenario | records/s | MB/s | vs ceiling | loads | load p50 / p99 ms | peak heap used MiB "
                + "| peak heap after GC MiB | GC ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            RunResult ceiling = r.scenario().ceiling() == null ? null : byName.get(r.scenario().ceiling());
            String ratio = ceiling == null ? (r.scenario().isCeiling() ? "100%" : "-")
                    : String.format("%.0f%%", 100 * r.recordsPerSecond() / ceiling.recordsPerSecond());
            String latency = r.scenario().isCeiling() ? "-"
                    : String.format("%.0f / %.0f", r.loadP50Millis(), r.loadP99Millis());
            out.append(String.format("| %s | %,.0f | %.1f | %s | %s | %s | %.0f | %.0f | %d |%n", r.scenario().name(),
                    r.recordsPerSecond(), r.megabytesPerSecond(), ratio, r.scenario().isCeiling() ? "-" : r.loads(),
                    latency, r.peakUsedBytes() / MIB, r.peakAfterGcBytes() / MIB, r.gcMillis()));
        }
        return out.toString();
    }
}
