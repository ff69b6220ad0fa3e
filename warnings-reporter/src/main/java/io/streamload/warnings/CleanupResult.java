package io.streamload.warnings;

/**
 * What one TTL pass did: rows deleted per table and how many DELETE statements it took. The
 * statement count shows the deletes were batched (rows / batch size, rounded up, plus one final
 * statement that found fewer rows than a batch).
 */
public record CleanupResult(long errorRowsDeleted, long jobRowsDeleted, int deleteStatements) {
    public long rowsDeleted() {
        return errorRowsDeleted + jobRowsDeleted;
    }
}
