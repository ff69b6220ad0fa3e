package io.streamload.connect.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.streamload.connect.load.LoadListener;
import io.streamload.connect.load.LoadOutcome;
import io.streamload.connect.load.OutcomeKind;

/** Too many versions doubles a table's interval up to the maximum; each confirmed load takes one minimum off. */
class FlushPaceTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final LoadOutcome TOO_MANY_VERSIONS = new LoadOutcome(OutcomeKind.SLOW_DOWN, "too many versions", "");

    @Test
    void refusalsDoubleTheIntervalOfThatTableOnlyUpToTheMaximum() {
        FlushPace pace = new FlushPace(Duration.ofSeconds(1), Duration.ofSeconds(5));
        pace.retry(batch("hot"), TOO_MANY_VERSIONS);
        assertEquals(2 * SECOND, pace.intervalNanos("hot"));
        pace.retry(batch("hot"), TOO_MANY_VERSIONS);
        assertEquals(4 * SECOND, pace.intervalNanos("hot"));
        pace.retry(batch("hot"), TOO_MANY_VERSIONS);
        assertEquals(5 * SECOND, pace.intervalNanos("hot"), "capped at buffer.flush.interval.max.ms");
        assertEquals(SECOND, pace.intervalNanos("cold"), "other tables keep the minimum");
    }

    @Test
    void confirmedLoadsBringItBackOneMinimumAtATime() {
        FlushPace pace = new FlushPace(Duration.ofSeconds(1), Duration.ofSeconds(8));
        for (int i = 0; i < 3; i++) {
            pace.retry(batch("t"), TOO_MANY_VERSIONS);
        }
        assertEquals(8 * SECOND, pace.intervalNanos("t"));
        for (long expected = 7; expected >= 1; expected--) {
            pace.loaded(batch("t"), null, LoadListener.Resolution.CONFIRMED, 0);
            assertEquals(expected * SECOND, pace.intervalNanos("t"));
        }
        pace.loaded(batch("t"), null, LoadListener.Resolution.CONFIRMED, 0);
        assertEquals(SECOND, pace.intervalNanos("t"), "never below buffer.flush.interval.ms");
    }

    @Test
    void otherRetriesAndAFixedIntervalLeaveThePaceAlone() {
        FlushPace pace = new FlushPace(Duration.ofSeconds(1), Duration.ofSeconds(8));
        pace.retry(batch("t"), new LoadOutcome(OutcomeKind.RETRIABLE, "busy", ""));
        pace.retry(batch("t"), new LoadOutcome(OutcomeKind.UNKNOWN, "502", ""));
        assertEquals(SECOND, pace.intervalNanos("t"));

        FlushPace fixed = new FlushPace(Duration.ofSeconds(1), Duration.ofSeconds(1));
        fixed.retry(batch("t"), TOO_MANY_VERSIONS);
        assertEquals(SECOND, fixed.intervalNanos("t"));
    }

    @Test
    void aMaximumBelowTheMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FlushPace(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private static Batch batch(String table) {
        return new Batch(table, "l", new ChunkedBytes(), 1, List.of(), List.of(), new RowIndex(false));
    }
}
