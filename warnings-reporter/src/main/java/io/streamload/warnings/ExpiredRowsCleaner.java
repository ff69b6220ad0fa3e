package io.streamload.warnings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The TTL: deletes rows older than the retention, a small batch at a time in increasing id order
 * ({@code DELETE ... ORDER BY id LIMIT n}, repeated until a statement deletes less than a batch).
 *
 * <p>Why not one DELETE: a large delete holds locks and fills the undo log for as long as it runs,
 * stalling the writers that share the server. Walking the auto-increment id from the bottom reaches
 * the oldest rows first through the primary key, so each small statement is cheap.
 */
public final class ExpiredRowsCleaner {
    private final StoreLocation location;
    private final Duration retention;
    private final int batchSize;
    private final Clock clock;

    public ExpiredRowsCleaner(StoreLocation location, Duration retention, int batchSize, Clock clock) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the delete batch size must be positive, got " + batchSize);
        }
        this.location = location;
        this.retention = retention;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    public static ExpiredRowsCleaner of(WarningsStoreConfig config) {
        return new ExpiredRowsCleaner(config.location(), config.retention(), config.deleteBatchSize(), Clock.systemUTC());
    }

    /** One pass over both tables. Tables that do not exist yet have nothing to delete. */
    public CleanupResult runOnce(Connection connection) throws SQLException {
        Instant cutoff = clock.instant().minus(retention);
        StoreSchema schema = new StoreSchema(location);
        int[] statements = {0};
        long errors = schema.errorsTableExists(connection)
                ? deleteOlderThan(connection, location.qualifiedErrorsTable(), "created_at", cutoff, statements) : 0;
        long jobs = schema.jobsTableExists(connection)
                ? deleteOlderThan(connection, location.qualifiedJobsTable(), "finished_at", cutoff, statements) : 0;
        return new CleanupResult(errors, jobs, statements[0]);
    }

    private long deleteOlderThan(Connection connection, String table, String timeColumn, Instant cutoff,
                                 int[] statements) throws SQLException {
        String sql = "DELETE FROM " + table + " WHERE " + timeColumn + " < ? ORDER BY id LIMIT ?";
        long deleted = 0;
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setObject(1, UtcTimes.toColumn(cutoff));
            delete.setInt(2, batchSize);
            while (true) {
                int rows = delete.executeUpdate();
                statements[0]++;
                deleted += rows;
                if (rows < batchSize) {
                    return deleted;
                }
            }
        }
    }

    public Duration retention() {
        return retention;
    }
}
