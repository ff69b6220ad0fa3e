package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.warnings.testing.Await;
import io.streamload.warnings.testing.TestMysql;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TTL schedule runs on a thread of the caller's factory, and close() ends it, a pass under way included. */
class RetentionScheduleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestMysql mysql = TestMysql.shared();
    private final List<Thread> threads = new ArrayList<>();
    private String database;
    private StoreLocation location;
    private RetentionSchedule schedule;

    @BeforeEach
    void createTables() throws Exception {
        database = mysql.newDatabaseName("schedule");
        location = new StoreLocation(database, "load_errors", "load_jobs");
        try (Connection connection = mysql.connect()) {
            new StoreSchema(location).createIfMissing(connection);
        }
        mysql.execute("INSERT INTO " + location.qualifiedErrorsTable()
                + " (label, error_msg, created_at) VALUES ('old', 'old reason', '2001-01-01 00:00:00')");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (schedule != null) {
            schedule.close();
        }
        mysql.dropDatabase(database);
    }

    private void startSchedule() {
        ExpiredRowsCleaner cleaner = new ExpiredRowsCleaner(location, Duration.ofDays(7), 100, Clock.systemUTC());
        StoreConnections connections = new StoreConnections(mysql.url(), Duration.ofSeconds(5), Duration.ofSeconds(30));
        schedule = RetentionSchedule.start(cleaner, connections, Duration.ofHours(1), this::newThread);
    }

    private synchronized Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "ttl-under-test-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    @Test
    void runsAPassAtOnceOnAThreadOfTheGivenFactoryAndCloseEndsIt() throws Exception {
        startSchedule();
        Await.until("the expired row deleted", WAIT,
                () -> mysql.count("SELECT COUNT(*) FROM " + location.qualifiedErrorsTable()) == 0);
        assertEquals(1, threads.size());

        schedule.close();
        assertFalse(threads.get(0).isAlive(), "the TTL thread outlived close()");
    }

    /** A DELETE MySQL holds (its table locked by another session) must not keep the thread past close(). */
    @Test
    void closeEndsAPassWhoseStatementWaitsOnALockedTable() throws Exception {
        try (Connection locker = mysql.connect(); Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLES " + location.qualifiedErrorsTable() + " WRITE, "
                    + location.qualifiedJobsTable() + " WRITE");
            startSchedule();
            Await.until("the pass's DELETE waiting on the lock", WAIT, () -> mysql.count(
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE '%lock%'"
                            + " AND INFO LIKE '%`" + database + "`%'") == 1);
            Thread thread = threads.get(0);

            long started = System.nanoTime();
            schedule.close();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertAll(
                    () -> assertFalse(thread.isAlive(), "the TTL thread outlived close(): "
                            + Arrays.toString(thread.getStackTrace())),
                    () -> assertTrue(tookMs < 3_000, "close() took " + tookMs + " ms"));
        }
    }
}
