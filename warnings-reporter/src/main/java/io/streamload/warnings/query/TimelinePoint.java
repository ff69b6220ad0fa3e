package io.streamload.warnings.query;

/**
 * One table's sums over one span of a {@link TimelineQuery}. {@code loadedRows} and
 * {@code filteredRows} come from the load attempts whose status says their rows landed
 * ({@link WarningsReader#LANDED_STATUSES}); any other attempt (failed, or a label that already
 * existed) only counts in {@code attempts}, because the counts a failed attempt reports never
 * landed and a retried batch would count twice. {@code rejectedRows} counts load_errors rows.
 */
public record TimelinePoint(String database, String table, long bucket, long attempts, long landedAttempts,
                            long loadedRows, long filteredRows, long rejectedRows) {
}
