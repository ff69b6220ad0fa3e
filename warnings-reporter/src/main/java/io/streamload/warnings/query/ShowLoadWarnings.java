package io.streamload.warnings.query;

/**
 * A parsed {@code SHOW LOAD WARNINGS [FROM db] [WHERE LABEL = "x" | LOAD_JOB_ID = n] [LIMIT n]}.
 *
 * <p>{@code database} filters the target database (the {@code db} column), null for all;
 * at most one of {@code label} and {@code jobId} is set.
 */
public record ShowLoadWarnings(String database, String label, Long jobId, int limit) {
    /** Without LIMIT, at most this many rows, as the Doris design suggests. */
    public static final int DEFAULT_LIMIT = 100;

    public ShowLoadWarnings {
        if (label != null && jobId != null) {
            throw new IllegalArgumentException("filter by LABEL or by LOAD_JOB_ID, not both");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("LIMIT must be positive, got " + limit);
        }
    }
}
