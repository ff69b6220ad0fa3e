package io.streamload.warnings;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the TTL pass now and then every interval on one thread: the connector's first task and the
 * CLI's {@code serve} both use it. A failed pass (MySQL away) is logged and tried again at the
 * next interval; it never stops the schedule. {@link #close()} stops it, a pass under way
 * included, and returns once its thread has ended.
 */
public final class RetentionSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ExpiredRowsCleaner cleaner;
    private final StoreConnections connections;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;
    /** The connection of the pass under way: close() aborts it, so a statement MySQL holds ends. */
    private volatile Connection passConnection;

    private RetentionSchedule(ExpiredRowsCleaner cleaner, StoreConnections connections, ThreadFactory factory) {
        this.cleaner = cleaner;
        this.connections = connections;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = factory.newThread(runnable);
            threads.add(thread);
            return thread;
        });
    }

    /**
     * @param threads makes the schedule's one thread (its name, whether it is a daemon), for
     *        example the connector task's own factory, so the task knows it and waits for its end
     */
    public static RetentionSchedule start(ExpiredRowsCleaner cleaner, StoreConnections connections, Duration interval,
                                          ThreadFactory threads) {
        RetentionSchedule schedule = new RetentionSchedule(cleaner, connections, threads);
        schedule.scheduler.scheduleWithFixedDelay(schedule::runPass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    private void runPass() {
        try (Connection connection = connections.open()) {
            passConnection = connection;
            if (closed) {
                return; // close() may have looked for a connection before this one was set
            }
            CleanupResult result = cleaner.runOnce(connection);
            LOG.info("TTL pass deleted {} rows older than {} ({} load_errors, {} load_jobs) in {} statements",
                    result.rowsDeleted(), cleaner.retention(), result.errorRowsDeleted(), result.jobRowsDeleted(),
                    result.deleteStatements());
        } catch (Exception e) {
            if (closed) {
                LOG.debug("TTL pass stopped by closing: {}", e.getMessage());
            } else {
                LOG.warn("TTL pass failed, will try again at the next interval: {}", e.getMessage());
            }
        } finally {
            passConnection = null;
        }
    }

    /**
     * Stops the schedule: a pass under way ends at once (its statement aborted), and this returns
     * when the schedule's thread has ended ({@link #CLOSE_TIMEOUT} at most).
     */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        StoreConnections.abort(passConnection);
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.warn("TTL thread {} did not end within {} s of closing", thread.getName(),
                        CLOSE_TIMEOUT.toSeconds());
            }
        }
    }
}
