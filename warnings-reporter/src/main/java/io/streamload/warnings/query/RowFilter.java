package io.streamload.warnings.query;

import java.time.Instant;

/**
 * Filters over rejected rows beyond SHOW LOAD WARNINGS' own, for the HTTP service and its page;
 * null means any. {@code reason} is contained in {@code error_msg} (in the column's collation:
 * any case); {@code since} is inclusive and {@code until} exclusive, on {@code created_at}.
 */
public record RowFilter(String table, String reason, Instant since, Instant until) {
    public static final RowFilter NONE = new RowFilter(null, null, null, null);

    public RowFilter {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until, got " + since + " and " + until);
        }
    }
}
