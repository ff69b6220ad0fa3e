package io.streamload.warnings.query;

import java.time.Instant;

/**
 * Filters of the load_jobs listing; null means any. Newest first. {@code since} is inclusive and
 * {@code until} exclusive, on {@code finished_at}.
 */
public record LoadsQuery(String label, String table, Instant since, Instant until, int limit) {
    public static final int DEFAULT_LIMIT = 100;

    public LoadsQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until, got " + since + " and " + until);
        }
    }

    public LoadsQuery(String label, String table, int limit) {
        this(label, table, null, null, limit);
    }
}
