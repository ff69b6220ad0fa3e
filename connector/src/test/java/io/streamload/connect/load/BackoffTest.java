package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000), () -> 0.0);
        Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000), () -> 0.999_999);
        long[] ceilings = {100, 200, 400, 800, 1_000, 1_000};
        for (int retry = 1; retry <= ceilings.length; retry++) {
            assertEquals(ceilings[retry - 1] / 2, lowest.delayMs(retry));
            assertEquals(ceilings[retry - 1] - 1, highest.delayMs(retry), "retry " + retry);
        }
        assertEquals(500, lowest.delayMs(1_000), "no overflow on very many retries");
    }

    @Test
    void randomDelaysStayInRange() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));
        for (int i = 0; i < 1_000; i++) {
            long delay = backoff.delayMs(1 + i % 8);
            assertTrue(delay >= 25 && delay <= 400, "delay " + delay);
        }
    }
}
