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
}
