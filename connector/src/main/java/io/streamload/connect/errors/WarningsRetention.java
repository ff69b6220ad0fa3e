package io.streamload.connect.errors;

import java.time.Duration;
import java.util.Map;

import io.streamload.warnings.ExpiredRowsCleaner;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.serve.RetentionSchedule;

/**
 * Deletes expired warnings store rows once an hour (in small batches by increasing id), so the
 * store stays bounded without a separate service. One task of the connector runs it; a failed
 * pass is logged and tried again at the next hour.
 */
public final class WarningsRetention implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofHours(1);

    private final RetentionSchedule schedule;

    private WarningsRetention(RetentionSchedule schedule) {
        this.schedule = schedule;
    }

    /** Starts the schedule, or returns null when no warnings store is configured. */
    public static WarningsRetention start(WarningsStoreSettings.Values values, Map<String, String> environment) {
        if (values.url() == null || values.url().value().isBlank()) {
            return null;
        }
        WarningsStoreConfig config = WarningsStoreSettings.storeConfig(values, environment);
        return new WarningsRetention(RetentionSchedule.start(ExpiredRowsCleaner.of(config), StoreConnections.of(config),
                INTERVAL));
    }

    @Override
    public void close() {
        schedule.close();
    }
}
