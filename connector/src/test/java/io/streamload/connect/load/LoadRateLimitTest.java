package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.buffer.RowIndex;
import io.streamload.connect.testing.ManualClock;

/** load.max.rate spaces attempts 1/rate apart, in the order they ask, with no burst saved while idle. */
class LoadRateLimitTest {

    @Test
    void attemptsAreSpacedOneSlotApartInTheOrderTheyAsk() throws Exception {
        ManualClock clock = new ManualClock();
        List<Long> sentAtMs = new ArrayList<>();
        List<String> order = new ArrayList<>();
        LoadProtocol counting = (batch, headers) -> {
            sentAtMs.add(clock.nanoTime() / 1_000_000);
            order.add(batch.table());
            return null;
        };
        LoadProtocol limited = LoadRateLimit.around(counting, 4, clock);
        long start = clock.nanoTime() / 1_000_000;
        for (String table : List.of("a", "b", "c", "d", "e")) {
            limited.send(batch(table), Map.of());
        }
        assertEquals(List.of(0L, 250L, 500L, 750L, 1000L), sentAtMs.stream().map(t -> t - start).toList(),
                "4 loads per second: one every 250 ms");
        assertEquals(List.of("a", "b", "c", "d", "e"), order);

        clock.sleep(10_000);
        long idleEnd = clock.nanoTime() / 1_000_000;
        limited.send(batch("f"), Map.of());
        limited.send(batch("g"), Map.of());
        assertEquals(List.of(0L, 250L), sentAtMs.subList(5, 7).stream().map(t -> t - idleEnd).toList(),
                "an idle spell saves up no burst");
    }

    @Test
    void zeroMeansNoLimitAndNegativeIsRefused() {
        LoadProtocol plain = (batch, headers) -> null;
        assertSame(plain, LoadRateLimit.around(plain, 0, new ManualClock()));
        assertThrows(IllegalArgumentException.class, () -> new LoadRateLimit(plain, -1, new ManualClock()));
    }

    @Test
    void aLimitedMergedLoadStillSaysItsLabelDecidesNothing() {
        // With load.mode=merge_commit a resend after an unknown outcome may load twice; the limit
        // around the protocol must not hide that from the attempt engine.
        LoadProtocol merged = new LoadProtocol() {
            @Override
            public Attempt send(Batch batch, Map<String, String> headers) {
                return null;
            }

            @Override
            public boolean labelDecidesRetries() {
                return false;
            }
        };
        assertFalse(LoadRateLimit.around(merged, 4, new ManualClock()).labelDecidesRetries());
        assertTrue(LoadRateLimit.around((batch, headers) -> null, 4, new ManualClock()).labelDecidesRetries());
    }

    private static Batch batch(String table) {
        return new Batch(table, "l-" + table, new ChunkedBytes(), 1, List.of(), List.of(), new RowIndex(false));
    }
}
