package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DropCounterTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void warnsAtMostOncePerIntervalWithTheCount() {
        DropCounter drops = new DropCounter(Duration.ofMinutes(1), "test", 0);
        assertFalse(drops.reportIfDue(0), "nothing dropped, nothing to say");

        drops.drop(1, "queue full");
        assertTrue(drops.reportIfDue(SECOND), "the first drop is reported at once");
        drops.drop(1000, "queue full");
        assertFalse(drops.reportIfDue(2 * SECOND));
        assertFalse(drops.reportIfDue(60 * SECOND));
        assertTrue(drops.reportIfDue(61 * SECOND), "one WARN after the interval");
        assertFalse(drops.reportIfDue(200 * SECOND), "no new drops, no WARN");
        assertEquals(1001, drops.total());

        drops.drop(5, "closed");
        assertTrue(drops.reportNow(201 * SECOND), "close reports what is left regardless of the interval");
    }
}
