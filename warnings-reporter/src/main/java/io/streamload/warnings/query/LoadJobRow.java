package io.streamload.warnings.query;

import java.time.Instant;

/** One row of the load_jobs listing; {@code offsetRanges} is the stored JSON text. */
public record LoadJobRow(
        long id,
        String label,
        long transactionId,
        String database,
        String table,
        String status,
        String message,
        long totalRows,
        long loadedRows,
        long filteredRows,
        long unselectedRows,
        long loadBytes,
        long loadTimeMs,
        String offsetRanges,
        String errorUrl,
        Instant finishedAt) {
}
