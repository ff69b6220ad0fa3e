package io.streamload.connect.errors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.warnings.ExpiredRowsCleaner;
import io.streamload.warnings.RetentionSchedule;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;

/**
 * Deletes expired warnings store rows once an hour (in small batches by increasing id), so the
 * store stays bounded without a separate service. One task of the connector runs it; a failed
 * pass is logged and tried again at the next hour. {@link #close()} ends a pass under way and
 * waits for it.
 */
public final class WarningsRetention implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(WarningsRetention.class);

    private final RetentionSchedule schedule;

    private WarningsRetention(RetentionSchedule schedule) {
        this.schedule = schedule;
    }

    /**
     * Starts the schedule, or returns null when no warnings store is configured or it cannot be used.
     *
     * @param threads makes the schedule's thread: the task's, so that the task's {@code stop()}
     *        waits for its end after closing the schedule
     */
    public static WarningsRetention start(WarningsStoreSettings.Values values, Map<String, String> environment,
                                          ThreadFactory threads) {
        if (!WarningsStoreSettings.configured(values)) {
            return null;
        }
        WarningsStoreConfig config;
        try {
            config = WarningsStoreSettings.storeConfig(values, environment);
        } catch (RuntimeException e) {
            // The writer has said why the store is not used; there is nothing to clean without it.
            log.debug("No warnings store retention: {}", e.getMessage());
            return null;
        }
        return new WarningsRetention(RetentionSchedule.start(ExpiredRowsCleaner.of(config), StoreConnections.of(config),
                INTERVAL, threads));
    }

    @Override
    public void close() {
        schedule.close();
    }
}
