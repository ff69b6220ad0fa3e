package io.streamload.connect.buffer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.load.LoadListener;
import io.streamload.connect.load.LoadOutcome;
import io.streamload.connect.load.OutcomeKind;

/**
 * Each table's flush interval, fitted to what the target absorbs, between
 * {@code buffer.flush.interval.ms} and {@code buffer.flush.interval.max.ms}. Every version of a
 * table a target has not yet merged counts against a limit (StarRocks {@code tablet_max_versions},
 * Doris {@code max_tablet_version_num}); past it loads are refused ({@link OutcomeKind#SLOW_DOWN}).
 * On such a refusal the table's interval doubles (its loads halve, each carrying more rows); each
 * load the target confirms takes one minimum interval off again. Multiplicative back-off and
 * additive recovery, as TCP's congestion window: a table that was refused returns to its pace
 * slowly, so it does not hit the limit again at once, while tables that are never refused keep the
 * minimum.
 *
 * <p>A listener: hears retries and confirmations on load threads; read by the flush timer.
 */
public final class FlushPace implements LoadListener {

    private static final Logger log = LoggerFactory.getLogger(FlushPace.class);

    private final long minNanos;
    private final long maxNanos;
    private final ConcurrentMap<String, Long> intervals = new ConcurrentHashMap<>();

    public FlushPace(Duration min, Duration max) {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("the longest flush interval " + max.toMillis()
                    + " ms is shorter than the shortest " + min.toMillis() + " ms");
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The table's flush interval now. */
    public long intervalNanos(String table) {
        return intervals.getOrDefault(table, minNanos);
    }

    @Override
    public void retry(Batch batch, LoadOutcome outcome) {
        if (outcome.kind() != OutcomeKind.SLOW_DOWN || maxNanos == minNanos) {
            return;
        }
        long before = intervalNanos(batch.table());
        long after = intervals.merge(batch.table(), Math.min(maxNanos, before * 2),
                (old, proposed) -> Math.min(maxNanos, Math.max(old, old * 2)));
        if (after != before) {
            log.info("The target refused a load into {} for holding too many versions: its buffer now flushes every "
                    + "{} ms (buffer.flush.interval.max.ms {})", batch.table(), after / 1_000_000, maxNanos / 1_000_000);
        }
    }

    @Override
    public void loaded(Batch batch, LoadReply reply, Resolution resolution, long latencyNanos) {
        intervals.computeIfPresent(batch.table(), (table, interval) -> {
            long next = interval - minNanos;
            // Back at the minimum, the table is forgotten: the map holds only tables being slowed.
            return next <= minNanos ? null : next;
        });
    }
}
