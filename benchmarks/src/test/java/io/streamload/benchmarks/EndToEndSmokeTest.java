package io.streamload.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.streamload.benchmarks.e2e.EndToEndBenchmark;
import io.streamload.benchmarks.e2e.EndToEndBenchmark.Settings;
import io.streamload.benchmarks.e2e.RunResult;
import io.streamload.benchmarks.e2e.Scenario;

/**
 * The end-to-end harness with a few thousand records: every scenario runs to the end through the
 * real broker, worker and emulator, and the report holds a row per scenario. Whether the numbers
 * are good is for the real runs (see docs/performance.md), never asserted here.
 */
class EndToEndSmokeTest {

    @Test
    void everyScenarioDeliversEveryRecord() throws Exception {
        // One warm-up round, which must not be reported, and one heap probe per run, so that
        // those paths are exercised too.
        Settings settings = new Settings(3_000, 2, 1, Settings.defaults().scenarios(), 1, 1, 1, Duration.ZERO,
                Duration.ofMinutes(2), Duration.ZERO, Map.of());
        List<RunResult> results = new EndToEndBenchmark(settings).run();
        assertEquals(settings.scenarios().size(), results.size());
        for (RunResult result : results) {
            assertTrue(result.recordsPerSecond() > 0, result.scenario().name());
            assertTrue(result.finalWaitSeconds() >= 0 && result.finalWaitSeconds() < result.seconds(),
                    result.scenario().name() + ": " + result);
        }
    }

    @Test
    void theDiagnosticNoOpSinksSpendTheirCpuAndDeliverEveryRecordSmoothOrInBursts() throws Exception {
        // 3,000 records in bursts of 1,100: the last 800 make no full burst and must be released
        // by the end of the input, or the run would wait for them until its timeout.
        List<Scenario> scenarios = List.of(Scenario.byKey("ceiling-json"), Scenario.byKey("noop-offcore-100000"),
                Scenario.byKey("noop-offcore-100000-burst-1100"));
        Settings settings = new Settings(3_000, 2, 1, scenarios, 1, 0, 0, Duration.ZERO, Duration.ofMinutes(2),
                Duration.ZERO, Map.of());
        List<RunResult> results = new EndToEndBenchmark(settings).run();
        assertEquals(3, results.size());
        for (RunResult result : results.subList(1, 3)) {
            // 100 µs of CPU per record on one thread, spent before the records count as delivered: 0.3 s,
            // where the plain no-op sink takes under a third of that for the same records.
            assertTrue(result.seconds() >= 3_000 * 100e-6, result.scenario().name() + ": " + result);
        }
    }
}
