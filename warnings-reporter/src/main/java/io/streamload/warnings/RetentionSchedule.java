package io.streamload.warnings;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the TTL pass now and then every interval on one thread: the connector's first task and the
 * CLI's {@code serve} both use it. A failed pass (MySQL away) is
 * logged and tried again at the next interval; it never stops the schedule.
 */
public final class RetentionSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final ScheduledExecutorService scheduler;

    private RetentionSchedule(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static RetentionSchedule start(ExpiredRowsCleaner cleaner, StoreConnections connections, Duration interval) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "warnings-ttl");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> runPass(cleaner, connections), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new RetentionSchedule(scheduler);
    }

    private static void runPass(ExpiredRowsCleaner cleaner, StoreConnections connections) {
        try (Connection connection = connections.open()) {
            CleanupResult result = cleaner.runOnce(connection);
            LOG.info("TTL pass deleted {} rows older than {} ({} load_errors, {} load_jobs) in {} statements",
                    result.rowsDeleted(), cleaner.retention(), result.errorRowsDeleted(), result.jobRowsDeleted(),
                    result.deleteStatements());
        } catch (Exception e) {
            LOG.warn("TTL pass failed, will try again at the next interval: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
