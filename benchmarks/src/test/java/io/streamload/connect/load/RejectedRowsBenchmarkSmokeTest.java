package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The rejected-rows benchmark on a small input: both ways run, each checked by the benchmark itself
 * (exactly the bad records reported, every other record stored once), and the counts it reports
 * are those of the loads the emulator saw.
 */
class RejectedRowsBenchmarkSmokeTest {

    @Test
    void bothWaysFindTheBadRecordsAndTheErrorLogNeedsTwoLoads() throws Exception {
        List<RejectedRowsBenchmark.Run> runs = new RejectedRowsBenchmark(Map.of("--records", "400", "--rejected", "20",
                "--rounds", "1")).run();

        assertEquals(2, runs.size());
        RejectedRowsBenchmark.Run halves = runs.get(0);
        RejectedRowsBenchmark.Run log = runs.get(1);
        assertTrue(log.readErrorLog() && !halves.readErrorLog());
        assertEquals(2, log.loads(), "one refused load, one load of the rest");
        assertEquals(1, log.failedLoads());
        assertTrue(halves.loads() > 20, "halving costs loads per bad record: " + halves.loads());
    }
}
