package io.streamload.warnings.query;

/** Filters of the load_jobs listing; null means any. Newest first. */
public record LoadsQuery(String label, String table, int limit) {
    public static final int DEFAULT_LIMIT = 100;

    public LoadsQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }
}
