package io.streamload.warnings.query;

import java.time.Duration;
import java.time.Instant;

/**
 * Rows loaded, filtered and rejected per target table over {@code [since, until)}, summed into
 * {@code buckets} equal spans of {@link #bucketSeconds()}; {@code table} null means every table.
 * At most {@code limit} (table, span) groups come back from each of load_jobs and load_errors.
 */
public record TimelineQuery(String table, Instant since, Instant until, int buckets, int limit) {

    public TimelineQuery {
        if (since == null || until == null || !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until, got " + since + " and " + until);
        }
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be positive, got " + buckets);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }

    /** The length of one span, whole seconds, at least one: together they cover the range. */
    public long bucketSeconds() {
        long millis = Duration.between(since, until).toMillis();
        return Math.max(1, (millis + buckets * 1000L - 1) / (buckets * 1000L));
    }

    /** Where span {@code index} starts. */
    public Instant bucketStart(long index) {
        return since.plusSeconds(index * bucketSeconds());
    }
}
