package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamload.warnings.testing.TestMysql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExpiredRowsCleanerTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    private final TestMysql mysql = TestMysql.shared();
    private String database;
    private StoreLocation location;

    @BeforeEach
    void createTables() throws Exception {
        database = mysql.newDatabaseName("ttl");
        location = new StoreLocation(database, "load_errors", "load_jobs");
        try (Connection connection = mysql.connect()) {
            new StoreSchema(location).createIfMissing(connection);
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        mysql.dropDatabase(database);
    }

    @Test
    void deletesExactlyTheExpiredRowsInBatchesOfTheConfiguredSize() throws Exception {
        // 250 expired rows interleaved with 40 fresh ones, so fresh rows sit between expired ids.
        List<Long> freshIds = new ArrayList<>();
        try (Connection connection = mysql.connect()) {
            for (int i = 0; i < 290; i++) {
                boolean fresh = i % 7 == 3 && freshIds.size() < 40;
                Instant createdAt = fresh ? NOW.minus(RETENTION).plusSeconds(60) : NOW.minus(RETENTION).minusSeconds(1 + i);
                long id = insertError(connection, "label-" + i, createdAt);
                if (fresh) {
                    freshIds.add(id);
                }
            }
        }
        assertEquals(40, freshIds.size());
        insertJobs(3, NOW.minus(Duration.ofDays(30)));
        insertJobs(2, NOW.minus(Duration.ofDays(1)));

        ExpiredRowsCleaner cleaner = new ExpiredRowsCleaner(location, RETENTION, 100, Clock.fixed(NOW, ZoneOffset.UTC));
        CleanupResult result;
        try (Connection connection = mysql.connect()) {
            result = cleaner.runOnce(connection);
        }

        assertEquals(250, result.errorRowsDeleted());
        assertEquals(3, result.jobRowsDeleted());
        // load_errors: 100 + 100 + 50; load_jobs: 3 (fewer than a batch, so one statement).
        assertEquals(4, result.deleteStatements());
        assertEquals(freshIds, remainingErrorIds());
        assertEquals(2, mysql.count("SELECT COUNT(*) FROM " + location.qualifiedJobsTable()));

        try (Connection connection = mysql.connect()) {
            CleanupResult second = cleaner.runOnce(connection);
            assertEquals(0, second.rowsDeleted());
            assertEquals(2, second.deleteStatements());
        }
    }

    @Test
    void smallBatchesRepeatUntilNothingIsLeft() throws Exception {
        try (Connection connection = mysql.connect()) {
            for (int i = 0; i < 10; i++) {
                insertError(connection, "old", NOW.minus(Duration.ofDays(8)));
            }
        }
        ExpiredRowsCleaner cleaner = new ExpiredRowsCleaner(location, RETENTION, 3, Clock.fixed(NOW, ZoneOffset.UTC));
        try (Connection connection = mysql.connect()) {
            CleanupResult result = cleaner.runOnce(connection);
            assertEquals(10, result.errorRowsDeleted());
            // 3 + 3 + 3 + 1 on load_errors, one empty statement on load_jobs.
            assertEquals(5, result.deleteStatements());
        }
        assertEquals(List.of(), remainingErrorIds());
    }

    @Test
    void aStoreWithoutTablesHasNothingToClean() throws Exception {
        StoreLocation missing = new StoreLocation(mysql.newDatabaseName("ttl_missing"), "load_errors", "load_jobs");
        ExpiredRowsCleaner cleaner = new ExpiredRowsCleaner(missing, RETENTION, 100, Clock.fixed(NOW, ZoneOffset.UTC));
        try (Connection connection = mysql.connect()) {
            assertEquals(new CleanupResult(0, 0, 0), cleaner.runOnce(connection));
        }
    }

    private long insertError(Connection connection, String label, Instant createdAt) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + location.qualifiedErrorsTable()
                + " (job_id, label, error_msg, created_at) VALUES (1, ?, 'bad row', ?)",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, label);
            insert.setObject(2, UtcTimes.toColumn(createdAt));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private void insertJobs(int count, Instant finishedAt) throws Exception {
        try (Connection connection = mysql.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + location.qualifiedJobsTable()
                     + " (label, status, finished_at) VALUES (?, 'Success', ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, "job-" + i);
                insert.setObject(2, UtcTimes.toColumn(finishedAt));
                insert.executeUpdate();
            }
        }
    }

    private List<Long> remainingErrorIds() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = mysql.connect();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM " + location.qualifiedErrorsTable()
                     + " ORDER BY id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }
}
