package io.streamload.warnings.query;

import java.util.List;

/**
 * The answer to a {@link TimelineQuery}: points ordered by database, table and span.
 * {@code truncated} when load_jobs or load_errors had as many groups as the query's limit, so
 * that later tables or spans may be missing.
 */
public record Timeline(TimelineQuery query, List<TimelinePoint> points, boolean truncated) {
}
