package io.streamload.benchmarks.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The results as the Markdown tables {@code docs/performance.md} shows. Ratios are taken within a
 * round, between runs a few seconds apart, and only then summarised: on a shared machine a
 * ceiling measured in a quiet minute and a sink measured in a busy one would say nothing. The
 * summary shows per scenario the median over rounds of each figure; every round follows.
 */
final class ResultTable {

    private static final double MIB = 1024 * 1024;

    private ResultTable() {
    }

    /**
     * One run with its ratios, in records/s, to the ceiling and to the no-op sink behind the same
     * converter of the same round, and in task CPU to the ceiling (NaN for the no-op runs).
     */
    private record Row(RunResult run, double ratio, double sameConverterRatio, double cpuRatio) {
    }

    static String markdown(EndToEndBenchmark.Settings settings, List<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        int perRound = settings.scenarios().size();
        for (int i = 0; i < results.size(); i++) {
            RunResult run = results.get(i);
            List<RunResult> round = results.subList(i / perRound * perRound,
                    Math.min(results.size(), (i / perRound + 1) * perRound));
            RunResult ceiling = named(round, run.scenario().ceiling());
            RunResult sameConverter = named(round, run.scenario().sameConverter());
            rows.add(new Row(run, ceiling == null ? Double.NaN : run.recordsPerSecond() / ceiling.recordsPerSecond(),
                    sameConverter == null ? Double.NaN
                            : run.recordsPerSecond() / sameConverter.recordsPerSecond(),
                    ceiling == null ? Double.NaN : ceiling.taskCpuMicrosPerRecord() / run.taskCpuMicrosPerRecord()));
        }
        Map<String, List<Row>> byScenario = new LinkedHashMap<>();
        rows.forEach(row -> byScenario.computeIfAbsent(row.run().scenario().name(), n -> new ArrayList<>()).add(row));

        StringBuilder out = new StringBuilder();
        out.append(String.format("%,d records per run, %d partitions, %d task(s), %d round(s); %d cores, max heap "
                        + "%.0f MiB, Java %s%n%n", settings.records(), settings.partitions(), settings.tasks(),
                settings.rounds(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / MIB,
                System.getProperty("java.version")));
        out.append("| scenario | records/s | MB/s | vs ceiling | vs no-op, same converter | task CPU µs/record "
                + "| vs ceiling, task CPU | process CPU µs/record (emulator) | loads | load p50 / p99 ms | GC ms "
                + "| live heap MiB (probes) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        byScenario.forEach((name, runs) -> summary(out, runs));
        compression(out, byScenario);
        out.append("\nEvery run:\n\n| round | scenario | records/s | MB/s | vs ceiling | vs no-op, same converter "
                + "| task CPU µs/record | vs ceiling, task CPU | process CPU µs/record (emulator) "
                + "| peak heap used MiB | GC ms "
                + "| last buffer's wait ms |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            RunResult r = row.run();
            out.append(String.format(
                    "| %d | %s | %,.0f | %.1f | %s | %s | %.2f | %s | %.2f (%.2f) | %.0f | %d | %s |%n",
                    i / perRound + 1, r.scenario().name(), r.recordsPerSecond(), r.megabytesPerSecond(),
                    percent(row.ratio()), percent(row.sameConverterRatio()), r.taskCpuMicrosPerRecord(),
                    percent(row.cpuRatio()),
                    r.processCpuMicrosPerRecord(), r.emulatorCpuMicrosPerRecord(), r.peakUsedBytes() / MIB,
                    r.gcMillis(), r.scenario().isNoOp() ? "-" : String.format("%.0f", r.finalWaitSeconds() * 1000)));
        }
        return out.toString();
    }

    private static void summary(StringBuilder out, List<Row> runs) {
        RunResult first = runs.get(0).run();
        boolean noOp = first.scenario().isNoOp();
        double live = median(runs, row -> row.run().peakLiveBytes());
        out.append(String.format("| %s | %,.0f | %.1f | %s | %s | %.2f | %s | %.2f (%.2f) | %s | %s | %.0f | %s |%n",
                first.scenario().name(),
                median(runs, row -> row.run().recordsPerSecond()),
                median(runs, row -> row.run().megabytesPerSecond()),
                percent(median(runs, Row::ratio)),
                percent(median(runs, Row::sameConverterRatio)),
                median(runs, row -> row.run().taskCpuMicrosPerRecord()),
                percent(median(runs, Row::cpuRatio)),
                median(runs, row -> row.run().processCpuMicrosPerRecord()),
                median(runs, row -> row.run().emulatorCpuMicrosPerRecord()),
                noOp ? "-" : String.format("%.0f", median(runs, row -> row.run().loads())),
                noOp ? "-" : String.format("%.0f / %.0f", median(runs, row -> row.run().loadP50Millis()),
                        median(runs, row -> row.run().loadP99Millis())),
                median(runs, row -> row.run().gcMillis()),
                live < 0 ? "-" : String.format("%.0f", live / MIB)));
    }

    /**
     * The sink runs side by side by what crossed the wire: bytes per record (and as a share of the
     * uncompressed run's), the load threads' CPU (where bodies are written and compressed) and the
     * throughput, each the median over rounds.
     */
    private static void compression(StringBuilder out, Map<String, List<Row>> byScenario) {
        Map<String, List<Row>> sinks = new LinkedHashMap<>();
        byScenario.forEach((name, runs) -> {
            if (!runs.get(0).run().scenario().isNoOp()) {
                sinks.put(name, runs);
            }
        });
        if (sinks.isEmpty()) {
            return;
        }
        double plain = sinks.values().stream()
                .filter(runs -> !runs.get(0).run().scenario().props().containsKey("load.compression"))
                .mapToDouble(runs -> median(runs, row -> row.run().wireBytesPerRecord())).findFirst().orElse(Double.NaN);
        out.append("\nOn the wire (sink runs):\n\n| scenario | wire bytes/record | vs uncompressed | load threads CPU "
                + "µs/record | task CPU µs/record | process CPU µs/record (emulator) | records/s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        sinks.forEach((name, runs) -> out.append(String.format("| %s | %.1f | %s | %.2f | %.2f | %.2f (%.2f) | %,.0f |%n",
                name, median(runs, row -> row.run().wireBytesPerRecord()),
                percent(median(runs, row -> row.run().wireBytesPerRecord()) / plain),
                median(runs, row -> row.run().loadThreadCpuMicrosPerRecord()),
                median(runs, row -> row.run().taskCpuMicrosPerRecord()),
                median(runs, row -> row.run().processCpuMicrosPerRecord()),
                median(runs, row -> row.run().emulatorCpuMicrosPerRecord()),
                median(runs, row -> row.run().recordsPerSecond()))));
    }

    private static RunResult named(List<RunResult> round, String name) {
        return name == null ? null
                : round.stream().filter(run -> run.scenario().name().equals(name)).findFirst().orElse(null);
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> figure) {
        double[] values = rows.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format("%.0f%%", 100 * ratio);
    }
}
